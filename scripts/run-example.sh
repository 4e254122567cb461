#!/usr/bin/env bash
# The main job: numalign-sim on a small mixed cluster (examples/sim/cluster.yaml, six nodes of
# four recorded machines) with the `small` workload preset, through the topology-blind
# scheduler, the NodeResourceTopology plugin (with and without its reserve cache) and numalign.
# Prints the comparison and writes out/numalign-sim/result.json and report.html.
#
#   scripts/run-example.sh                  # processes: the real numalign programs (~1 min)
#   MODE=in-process scripts/run-example.sh  # numalign in one process
#   MODE=processes scripts/run-example.sh   # the real numalign-agent/-extender/-controller
#   scripts/run-example.sh --hints          # numalign-hints explain on examples/two-socket
# Extra arguments go to numalign-sim (e.g. --seed=7 --preset=mixed).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
mode=${MODE:-processes}
shared=${NUMALIGN_SHARED:-../shared}

bash scripts/configure.sh "$build_dir"

if [[ "${1:-}" == "--hints" ]]; then
  cmake --build "$build_dir" -j "$(nproc)" --target numalign-hints
  example=examples/two-socket
  for pod in pod-fits pod-rejected; do
    echo "================ $pod.yaml ================"
    # explain exits 1 for a rejected pod; that is the point of the second example.
    "$build_dir/numa/numalign-hints" explain --machine "$example/machine.json" \
      --kubelet-config "$example/kubelet-config.yaml" \
      --pods-on-node "$example/pods-on-node.yaml" --pod "$example/$pod.yaml" || true
  done
  exit 0
fi

if [[ ! -d "$shared/topologies/hwloc" ]]; then
  echo "run-example.sh: the recorded topologies are missing: $shared/topologies/hwloc" >&2
  echo "(check out the shared/ directory next to this repository or set NUMALIGN_SHARED)" >&2
  exit 2
fi

targets=(numalign-sim)
if [[ "$mode" == processes ]]; then
  targets+=(numalign-agent numalign-extender numalign-controller numalign-test-apiserver)
fi
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"

export NUMALIGN_SHARED="$shared"
"$build_dir/sim/numalign-sim" --cluster=examples/sim/cluster.yaml --preset=small --seed=1 \
  --mode="$mode" --output-dir=out/numalign-sim "$@"
echo "Open out/numalign-sim/report.html in a browser for the plots."
