#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extender/protocol/types.h"

// The scheduler's side of the wire: writes requests exactly as kube-scheduler's Go
// encoding/json does (capitalised keys in field order, `null` for the unused field, HTML
// characters escaped) and reads replies with Go's rules (case-insensitive keys, unknown keys
// ignored, wrong types rejected). Used by the test driver and benchmarks.
namespace numalign::extender::protocol {

// ExtenderFilterResult as the scheduler sees it: null and [] differ (null NodeNames and
// null Nodes together mean no feasible node).
struct FilterReply {
  std::optional<std::vector<std::string>> node_names;
  std::optional<std::vector<nlohmann::json>> nodes;  // Nodes.items
  std::map<std::string, std::string> failed_nodes;
  std::map<std::string, std::string> failed_and_unresolvable_nodes;
  std::string error;
};

// {"Pod":...,"Nodes":null|{"items":[...]},"NodeNames":[...]|null}
std::string write_extender_args(const nlohmann::json& pod, const NodeCandidates& nodes);
std::string write_binding_args(const BindingArgs& args);
std::string write_preemption_args(const PreemptionArgs& args);

// Throw ProtocolError when the body does not decode.
FilterReply parse_filter_reply(std::string_view body);
HostPriorityList parse_host_priority_list(std::string_view body);  // scores as sent, unclamped
BindingResult parse_binding_result(std::string_view body);
PreemptionResult parse_preemption_result(std::string_view body);

}  // namespace numalign::extender::protocol
