#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace numalign::sim {

// How the process mode runs numalign: the real numalign-agent per simulated node,
// numalign-extender and numalign-controller, against the in-repo test API server.
struct ProcessModeOptions {
  // The programs; empty = found next to the running executable, then in the build tree this
  // library was built in, then on PATH (see process/program_locator.h).
  std::string agent_binary;
  std::string extender_binary;
  std::string controller_binary;
  std::string apiserver_binary;  // numalign-test-apiserver (tests/support)
  // Every program's stdout/stderr goes to <output_dir>/processes/<program>.log. Empty: inside
  // the temporary directory (removed at the end unless keep_work_dir).
  std::string output_dir;
  // Where the temporary tree (kubeconfig, per-node cgroup roots, state dirs, kubelet
  // configurations) is created; empty = $TMPDIR or /tmp.
  std::string temp_parent;
  bool keep_work_dir = false;
  // The NodeResourceTopology CRD manifest; empty = tests/support/fixtures in the source tree.
  std::string crd_manifest;

  // The scheduler's extender configuration (extender-protocol.md): weight and httpTimeout.
  std::int64_t extender_weight = 5;
  std::chrono::milliseconds extender_timeout{5000};
  // numalign-extender --scoring-strategy.
  std::string scoring_strategy = "least-numa-nodes";
  // --v of the daemons.
  int verbosity = 0;

  // Start-up of all programs, and one pod's wait for its agent (pinned or failed) or deletion.
  std::chrono::milliseconds startup_timeout{60000};
  std::chrono::milliseconds pod_timeout{30000};
};

}  // namespace numalign::sim
