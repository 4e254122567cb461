#!/usr/bin/env bash
# Runs numalign-bench-extender (issue #5): 5,000 nodes of real topologies half full (50,000 pods),
# filter + prioritize over loopback keep-alive with 500 and 5,000 candidate names, then the
# filter throughput with 500 names. Prints p50/p99/p99.9 per call, calls/s and RSS, with the
# targets. Takes about a minute on 2 cores.
#
#   bench/extender/run.sh [BINARY] [--nodes=5000] [--pods=50000] [--calls=2000] [--cold-calls=200] [--seconds=3]
#                         [--clients=2] [--server-threads=2]
#
# BINARY defaults to build-bench/bench/extender/numalign-bench-extender, then
# build/bench/extender/numalign-bench-extender. NUMALIGN_SHARED points at the shared/ directory
# when it is not the one the binary was built with. Build with optimisation:
#   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release &&
#   cmake --build build-bench --target numalign-bench-extender
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="${1:-}"
if [[ -n "$binary" && "$binary" != -* ]]; then
  shift
else
  binary=""
  for candidate in "$repo_root/build-bench/bench/extender/numalign-bench-extender" \
                   "$repo_root/build/bench/extender/numalign-bench-extender"; do
    if [[ -x "$candidate" ]]; then binary="$candidate"; break; fi
  done
fi
if [[ -z "$binary" || ! -x "$binary" ]]; then
  echo "numalign-bench-extender not found; build it first:" >&2
  echo "  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release &&" \
       "cmake --build build-bench --target numalign-bench-extender" >&2
  exit 1
fi
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$binary" "$@"
