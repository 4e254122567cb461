#pragma once

#include "extender/decider/decider.h"
#include "sim/scheduler/extender_client.h"

namespace numalign::sim {

// The extender's decision layer called directly (no HTTP, no JSON encoding): what
// numalign-extender's verb handlers do with a request, minus the transport.
class InProcessExtenderClient final : public ExtenderClient {
 public:
  explicit InProcessExtenderClient(extender::Decider& decider) : decider_(decider) {}

  extender::protocol::FilterResult Filter(const extender::protocol::ExtenderArgs& args) override;
  PrioritizeReply Prioritize(const extender::protocol::ExtenderArgs& args) override;
  extender::protocol::BindingResult Bind(const extender::protocol::BindingArgs& args) override;

 private:
  extender::Decider& decider_;
};

}  // namespace numalign::sim
