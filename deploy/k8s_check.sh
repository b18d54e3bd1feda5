#!/usr/bin/env bash
# `make k8s-check`: render every Kubernetes overlay (k8s/overlays/*) and validate what comes out,
# without a cluster:
#   1. kubectl kustomize renders each overlay;
#   2. kubernetes-validate --strict checks every core object (Deployment, Service, NetworkPolicy, ...)
#      against the OpenAPI schemas of each Kubernetes version in KUBE_VERSIONS;
#   3. check-jsonschema checks every Strimzi, CloudNativePG and Prometheus Operator object against the
#      CRD schemas in shared/k8s-schemas ({group}/{kind}_{version}.json), one object per file;
#   4. check-jsonschema checks deploy/compose.yaml against the Compose specification.
# An object of a kind with no schema fails the check. Needs the dev tools of .venv (`make setup`).
# Environment: K8S_SCHEMAS (default: shared/k8s-schemas beside the repository or a folder above it),
#   KUBE_VERSIONS (default: "1.33.0 1.37.0": the oldest Kubernetes these manifests support, and the newest
#   the validator ships), K8S_RENDER_DIR (keep the rendered and split files there instead of a temp dir).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/.venv/bin
# the CRD schemas: shared/k8s-schemas beside the repository, or beside a folder above it (a git worktree)
schemas=${K8S_SCHEMAS:-}
if [ -z "$schemas" ]; then
  schemas=$root/../shared/k8s-schemas
  dir=$root
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    if [ -d "$dir/shared/k8s-schemas" ]; then
      schemas=$dir/shared/k8s-schemas
      break
    fi
  done
fi
read -r -a kube_versions <<<"${KUBE_VERSIONS:-1.33.0 1.37.0}"
started=$SECONDS

fail() { echo "k8s-check: $*" >&2; exit 1; }

for tool in python kubectl kubernetes-validate check-jsonschema; do
  [ -x "$bin/$tool" ] || fail "$bin/$tool is missing: run 'make setup' (the dev extras install it)"
done
[ -d "$schemas" ] || fail "no CRD schemas at $schemas: shared/k8s-schemas must sit beside the repository or a folder above it, or set K8S_SCHEMAS"
schemas=$(cd "$schemas" && pwd)

if [ -n "${K8S_RENDER_DIR:-}" ]; then
  work=$K8S_RENDER_DIR
  rm -rf "$work"
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# 1. render
overlays=()
for dir in "$root"/k8s/overlays/*/; do
  name=$(basename "$dir")
  overlays+=("$name")
  "$bin/kubectl" kustomize "$dir" >"$work/$name.yaml" || fail "kubectl kustomize k8s/overlays/$name failed"
done
[ ${#overlays[@]} -gt 0 ] || fail "no overlays under k8s/overlays"

# split into one file per object: core kinds to core.list, custom resources to crs.list with their schema
"$bin/python" - "$work" "$schemas" "${overlays[@]}" <<'PY'
import collections
import json
import pathlib
import sys

import regress
import yaml

work, schemas, overlays = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]


def portable(schema: pathlib.Path) -> pathlib.Path:
    """A copy of a CRD schema without the few 'pattern's in Go-only regex syntax (PrometheusRule's
    '^(?i)(abort|warn)?$'), which check-jsonschema would reject the whole schema for; says which."""
    copy = work / "schemas" / schema.relative_to(schemas)
    if copy.is_file():
        return copy
    dropped = []

    def walk(node):
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str):
                try:
                    regress.Regex(pattern)
                except regress.RegressError:
                    dropped.append(pattern)
                    del node["pattern"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    doc = json.loads(schema.read_text())
    walk(doc)
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(json.dumps(doc))
    for pattern in dropped:
        print(f"  note: {schema.relative_to(schemas)}: pattern {pattern!r} is Go-only regex syntax, not checked")
    return copy

core, crs, missing = [], [], []
for overlay in overlays:
    counts = collections.Counter()
    docs = [d for d in yaml.safe_load_all((work / f"{overlay}.yaml").read_text()) if d]
    for i, doc in enumerate(docs):
        api, kind, name = doc.get("apiVersion", ""), doc.get("kind", ""), doc.get("metadata", {}).get("name", "")
        group, _, version = api.rpartition("/")
        path = work / overlay / f"{i:03d}-{kind.lower()}-{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
        counts[kind] += 1
        # core: the legacy group ("v1"), the unqualified built-in groups (apps, batch, policy,
        # autoscaling) and *.k8s.io; everything else is a custom resource
        if "." not in group or group.endswith(".k8s.io"):
            core.append(str(path))
            continue
        schema = schemas / group / f"{kind.lower()}_{version}.json"
        if schema.is_file():
            crs.append(f"{portable(schema)}\t{path}")
        else:
            missing.append(f"{overlay}: {api} {kind} {name} (no {schema.relative_to(schemas)})")
    print(f"  {overlay}: {len(docs)} objects: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
if missing:
    sys.exit("k8s-check: custom resources without a schema in shared/k8s-schemas:\n  " + "\n  ".join(missing))
(work / "core.list").write_text("\n".join(core) + "\n")
(work / "crs.list").write_text("\n".join(crs) + "\n")
PY

# 2. core objects: kubernetes-validate does not fail on a kind it has no schema for (it warns), so a
# warning fails here too: a mistyped apiVersion must not pass unnoticed.
mapfile -t core <"$work/core.list"
for version in "${kube_versions[@]}"; do
  out=$("$bin/kubernetes-validate" --strict --quiet -k "$version" "${core[@]}" 2>&1) || {
    echo "$out" >&2
    fail "core objects do not validate against Kubernetes $version"
  }
  if [ -n "$out" ]; then
    echo "$out" >&2
    fail "kubernetes-validate warned for Kubernetes $version (unknown kind or version?)"
  fi
  echo "  kubernetes-validate --strict ($version): ${#core[@]} core objects valid"
done

# 3. custom resources, one check-jsonschema run per schema (the portable copy made above)
ncr=0
while read -r schema; do
  mapfile -t files < <(awk -F'\t' -v s="$schema" '$1 == s { print $2 }' "$work/crs.list")
  "$bin/check-jsonschema" --quiet --schemafile "$schema" "${files[@]}" ||
    fail "custom resources do not validate against ${schema#"$work/schemas/"}"
  ncr=$((ncr + ${#files[@]}))
done < <(cut -f1 "$work/crs.list" | sort -u)
echo "  check-jsonschema: $ncr custom resources valid (Strimzi, CloudNativePG, Prometheus Operator)"

# 4. the Compose file
"$bin/check-jsonschema" --quiet --builtin-schema vendor.compose-spec "$root/deploy/compose.yaml" ||
  fail "deploy/compose.yaml does not follow the Compose specification"
echo "  check-jsonschema: deploy/compose.yaml follows the Compose specification"

echo "k8s-check: ${#overlays[@]} overlay(s) (${overlays[*]}) valid in $((SECONDS - started))s"
