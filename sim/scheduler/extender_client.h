#pragma once

#include <string>

#include "extender/protocol/types.h"

namespace numalign::sim {

// The prioritize reply (the wire form is a bare HostPriority array; `error` carries a transport
// or decoding failure, upon which kube-scheduler ignores the extender for that pod when the
// extender is ignorable and fails the attempt otherwise).
struct PrioritizeReply {
  extender::protocol::HostPriorityList scores;
  std::string error;
};

// kube-scheduler's view of one configured extender (filterVerb, prioritizeVerb, bindVerb all
// set, nodeCacheCapable: true, weight from the scheduler configuration). The scheduler model
// (sim/scheduler) calls it; implementations: InProcessExtenderClient (the decision layer called
// directly) and HttpExtenderClient (sim/process, the real HTTP protocol).
//
// Failures never throw: they come back in the reply's `error` field, as kube-scheduler sees a
// failed HTTP call.
class ExtenderClient {
 public:
  virtual ~ExtenderClient() = default;

  virtual extender::protocol::FilterResult Filter(const extender::protocol::ExtenderArgs& args) = 0;
  virtual PrioritizeReply Prioritize(const extender::protocol::ExtenderArgs& args) = 0;
  virtual extender::protocol::BindingResult Bind(const extender::protocol::BindingArgs& args) = 0;

  // The extender's weight in the scheduler configuration (numalign's chart uses 5).
  virtual std::int64_t Weight() const { return 5; }
};

}  // namespace numalign::sim
