#include "sim/scheduler/in_process_extender_client.h"

#include <algorithm>

namespace numalign::sim {

extender::protocol::FilterResult InProcessExtenderClient::Filter(
    const extender::protocol::ExtenderArgs& args) {
  extender::FilterVerdict verdict = decider_.Filter(args.pod, args.nodes, {});
  extender::protocol::FilterResult out;
  out.node_names = std::move(verdict.feasible);
  out.failed_nodes = std::move(verdict.failed);
  out.failed_and_unresolvable_nodes = std::move(verdict.failed_and_unresolvable);
  out.error = std::move(verdict.error);
  return out;
}

PrioritizeReply InProcessExtenderClient::Prioritize(const extender::protocol::ExtenderArgs& args) {
  extender::PrioritizeVerdict verdict = decider_.Prioritize(args.pod, args.nodes, {});
  PrioritizeReply out;
  // The reply writer clamps scores to the extender range; so does the wire.
  for (auto& hp : verdict.scores) {
    hp.score = std::clamp(hp.score, extender::protocol::kMinExtenderPriority,
                          extender::protocol::kMaxExtenderPriority);
  }
  out.scores = std::move(verdict.scores);
  out.error = std::move(verdict.error);
  return out;
}

extender::protocol::BindingResult InProcessExtenderClient::Bind(
    const extender::protocol::BindingArgs& args) {
  return {decider_.Bind(args, {})};
}

}  // namespace numalign::sim
