#pragma once

#include <iosfwd>
#include <string>

namespace numalign::numa {

struct ExplainOptions {
  std::string machine_json;    // --machine: conformance-style machine JSON
  std::string topology_xml;    // --topology: hwloc XML
  std::string kubelet_config;  // --kubelet-config: KubeletConfiguration YAML (or JSON)
  std::string pods_on_node;    // --pods-on-node: pods admitted first, in order (optional)
  std::string pod;             // --pod: the pod to explain (YAML or JSON)
};

// `numalign-hints explain`: prints each provider's hints, the merged decision and, on rejection,
// the reason in an operator's words. Returns the exit code (0 admitted, 1 rejected, 2 bad input).
int RunExplain(const ExplainOptions& options, std::ostream& out, std::ostream& err);

}  // namespace numalign::numa
