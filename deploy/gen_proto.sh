#!/usr/bin/env bash
# Regenerates the Python code of every contract in proto/ into services/contracts/ (never edit it by hand).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$root/proto"
mapfile -t files < <(find gramota -name '*.proto' | sort)
"$py" -m grpc_tools.protoc -I . --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" "${files[@]}"
# every generated folder is a package, so the editable install and type checkers find it
find "$out/gramota/contracts" -type d -exec touch {}/__init__.py \;
if [ "${1:-}" = "--check" ]; then
  if ! diff -r -x __pycache__ "$out/gramota/contracts" "$root/services/contracts" >&2; then
    echo "gen_proto: services/contracts differs from what proto/ generates: run 'make proto' and commit" >&2
    exit 1
  fi
  exit 0
fi
rm -rf "$root/services/contracts"
cp -r "$out/gramota/contracts" "$root/services/contracts"
