#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "extender/protocol/types.h"

// Server side: encodes replies with the canonical capitalised Go field names, in Go's field
// order. kube-scheduler decodes them case-insensitively and ignores unknown keys.
namespace numalign::extender::protocol {

// Scores outside [MinExtenderPriority, MaxExtenderPriority] would silently inflate our
// weight in the scheduler (it does not clamp), so every written score is clamped.
std::int64_t clamp_score(std::int64_t score);

// `NodeNames` is always an array (null would reject every node); `Nodes` is
// {"items":[...]} in nodeCacheCapable=false mode and null otherwise.
std::string write_filter_result(const FilterResult& result);

// A top-level JSON array of {"Host","Score"}, scores clamped.
std::string write_host_priority_list(const HostPriorityList& list);

std::string write_binding_result(const BindingResult& result);

std::string write_preemption_result(const PreemptionResult& result);

// The body of a 400/500 reply: {"Error":"..."}; it decodes as the Error field of every reply
// object type.
std::string write_error_body(std::string_view message);

}  // namespace numalign::extender::protocol
