#include "extender/protocol/parser_exerciser.h"

#include <stdexcept>

#include "extender/protocol/fast_extender_args.h"
#include "extender/protocol/protocol_error.h"
#include "extender/protocol/reply_writer.h"
#include "extender/protocol/request_parser.h"
#include "extender/protocol/scheduler_codec.h"

namespace numalign::extender::protocol {
namespace {

template <class Parse>
int accepts(Parse&& parse) {
  try {
    parse();
    return 1;
  } catch (const ProtocolError&) {
    return 0;
  }
}

}  // namespace

// The fast path must never accept what the full parser rejects, nor read anything
// differently; a mismatch is a bug the fuzzer should report as a crash.
void check_fast_path_agrees(std::string_view input) {
  const auto fast = try_parse_extender_args_fast(input, RequestLimits{});
  if (!fast) return;
  ExtenderArgs full;
  try {
    full = parse_extender_args_full(input);
  } catch (const ProtocolError& e) {
    throw std::logic_error(std::string("fast path accepted what the full parser rejects: ") +
                           e.what());
  }
  if (fast->pod != full.pod || fast->nodes.names != full.nodes.names ||
      fast->nodes.objects.has_value() != full.nodes.objects.has_value()) {
    throw std::logic_error("fast path and full parser disagree");
  }
}

int exercise_request_parsers(std::string_view input) {
  check_fast_path_agrees(input);
  int accepted = 0;
  accepted += accepts([&] {
    auto args = parse_extender_args(input);
    FilterResult result;
    result.node_names = args.nodes.names;
    if (args.nodes.objects) result.nodes = *args.nodes.objects;
    write_filter_result(result);
    HostPriorityList scores;
    for (const auto& name : args.nodes.names) scores.push_back({name, 5});
    write_host_priority_list(scores);
  });
  accepted += accepts([&] { parse_binding_args(input); });
  accepted += accepts([&] {
    auto args = parse_preemption_args(input);
    PreemptionResult result;
    if (args.node_name_to_meta_victims)
      result.node_name_to_meta_victims = *args.node_name_to_meta_victims;
    write_preemption_result(result);
  });
  // The driver's reply parsers face the same untrusted bytes from the other side.
  accepted += accepts([&] { parse_filter_reply(input); });
  accepted += accepts([&] { parse_host_priority_list(input); });
  accepted += accepts([&] { parse_binding_result(input); });
  accepted += accepts([&] { parse_preemption_result(input); });
  return accepted;
}

}  // namespace numalign::extender::protocol
