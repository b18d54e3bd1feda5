#!/usr/bin/env bash
# Installs what Gramota needs on a fresh Debian machine: system packages (when root) and the virtualenv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Debian packages: the PostgreSQL server, Java for the Kafka broker, DejaVu fonts (Cyrillic in PDFs),
# poppler (pdftoppm/pdftotext to check PDFs), Chromium for the browser tests.
packages=(postgresql openjdk-17-jre-headless maven fonts-dejavu-core poppler-utils chromium zbar-tools)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node and npm run the outside checkers of the Open Badges credentials (deploy/ob3)
packages+=(nodejs npm)
# java/mvn/node may come from elsewhere than apt (a JDK or a Node on PATH counts)
if command -v node >/dev/null && command -v npm >/dev/null; then missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}"); fi
if command -v java >/dev/null; then missing=("${missing[@]/openjdk-17-jre-headless}"); fi
if command -v mvn >/dev/null; then missing=("${missing[@]/maven}"); fi
read -r -a missing <<<"${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages first: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'

# The Digital Credentials Consortium's verifier stack from npm (deploy/ob3/package-lock.json), installed once per
# lock into the cache like the Kafka jars, and the JSON-LD contexts it serves offline written to one file that the
# certificates service signs with (certificates/linked_data.py). deploy/ob3/node_modules points into the cache.
cache=${GRAMOTA_CACHE_DIR:-$HOME/.cache/gramota}
ob3=$cache/ob3
mkdir -p "$ob3"
(
  flock 9
  sum=$(sha256sum deploy/ob3/package-lock.json | cut -c1-64)
  if [ "$(cat "$ob3/.installed" 2>/dev/null)" != "$sum" ] || [ ! -d "$ob3/node_modules" ]; then
    cp deploy/ob3/package.json deploy/ob3/package-lock.json "$ob3/"
    (cd "$ob3" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" >"$ob3/.installed"
  fi
  ln -sfn "$ob3/node_modules" deploy/ob3/node_modules
  node deploy/ob3/contexts.mjs "$ob3/contexts.json.tmp" 2>/dev/null
  mv "$ob3/contexts.json.tmp" "$ob3/contexts.json"
) 9>"$ob3/.lock"
touch .venv/.installed
