#!/usr/bin/env bash
# The main job until numalign-sim exists: builds numalign-hints and shows what the kubelet decides
# for two pods on the bundled two-socket node (examples/two-socket), then replays the upstream
# kubelet's conformance vectors when ../shared is present.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target numalign-hints
hints="$build_dir/numa/numalign-hints"
example=examples/two-socket
for pod in pod-fits pod-rejected; do
  echo "================ $pod.yaml ================"
  # explain exits 1 for a rejected pod; that is the point of the second example.
  "$hints" explain --machine "$example/machine.json" --kubelet-config "$example/kubelet-config.yaml" \
    --pods-on-node "$example/pods-on-node.yaml" --pod "$example/$pod.yaml" || true
done
cases=${NUMALIGN_SHARED:-../shared}/conformance/kubelet-admission.jsonl
if [[ -f "$cases" ]]; then
  echo "================ upstream kubelet conformance vectors ================"
  "$hints" replay --cases "$cases" | tail -n 1
else
  echo "(skipping the conformance replay: $cases is missing)"
fi
