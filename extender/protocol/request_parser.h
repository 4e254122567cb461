#pragma once

#include <cstddef>
#include <string_view>

#include "extender/protocol/types.h"

// Server side: decodes the requests kube-scheduler sends. Every function throws ProtocolError
// on a body that Go's decoder would reject or that no real scheduler can send (a missing Pod,
// an empty or over-long node name); the server answers those with 400.
namespace numalign::extender::protocol {

struct RequestLimits {
  int max_depth = 128;  // a Pod with managedFields nests ~15 deep; 128 is far beyond any real one
  std::size_t max_node_name_bytes = 253;  // a Kubernetes object name is a DNS subdomain
};

// ExtenderArgs for filter and prioritize: `NodeNames` (nodeCacheCapable=true) or `Nodes`
// (false). When both are null the candidate list is empty, in names mode.
ExtenderArgs parse_extender_args(std::string_view body, const RequestLimits& limits = {});
// The same through the general JSON tree parser only (no fast path); for equivalence checks.
ExtenderArgs parse_extender_args_full(std::string_view body, const RequestLimits& limits = {});

BindingArgs parse_binding_args(std::string_view body, const RequestLimits& limits = {});

PreemptionArgs parse_preemption_args(std::string_view body, const RequestLimits& limits = {});

}  // namespace numalign::extender::protocol
