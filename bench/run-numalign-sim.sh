#!/usr/bin/env bash
# numalign-sim at scale, in-process: 1,000 nodes (override with NODES) of three recorded machines,
# the `mixed` preset, all placements. Reports the comparison, the wall-clock time and the peak
# memory of the run (GNU time). numalign's admission errors are expected to be zero.
#   bench/run-numalign-sim.sh [extra numalign-sim flags]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
nodes=${NODES:-1000}
bash scripts/configure.sh "$build_dir"
cmake --build "$build_dir" -j "$(nproc)" --target numalign-sim
export NUMALIGN_SHARED=${NUMALIGN_SHARED:-../shared}
out=out/numalign-sim-$nodes
timer=()
if [[ -x /usr/bin/time ]]; then timer=(/usr/bin/time -f "wall %e s, max RSS %M KiB"); fi
"${timer[@]}" "$build_dir/sim/numalign-sim" --nodes="$nodes" \
  --topologies=epyc-corona,memorysidecaches,g4dnmetal --preset=mixed --seed=1 \
  --mode=in-process --pod-details=false --output-dir="$out" "$@"
