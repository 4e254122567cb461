#!/usr/bin/env bash
# Builds numalign once and runs every test (unit and integration) in parallel.
# BUILD_DIR overrides the build directory; extra arguments go to ctest (e.g. -L unit, -R Conformance).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
jobs=$(nproc)
# Optimised without debug info: -g costs 10-30% more compile time on 2 CI cores; builds for
# debugging use CMake directly (the default build type there is RelWithDebInfo).
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" -j "$jobs" --output-on-failure --no-tests=error "$@"
