#!/usr/bin/env bash
# Builds numalign once and runs every test (unit and integration) in parallel.
# BUILD_DIR overrides the build directory; extra arguments go to ctest (e.g. -L unit, -R Conformance).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
jobs=$(nproc)
bash scripts/configure.sh "$build_dir"
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" -j "$jobs" --output-on-failure --no-tests=error "$@"
