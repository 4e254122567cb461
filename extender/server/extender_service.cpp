#include "extender/server/extender_service.h"

#include <fmt/format.h>

#include <unordered_set>

#include "common/logging/log.h"
#include "extender/protocol/protocol_error.h"
#include "extender/protocol/reply_writer.h"

namespace numalign::extender {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

http::HttpReply json_reply(unsigned status, std::string body) {
  http::HttpReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

std::string pod_key(const nlohmann::json& pod) {
  auto field = [&](const char* key) -> std::string {
    const auto metadata = pod.find("metadata");
    if (metadata == pod.end() || !metadata->is_object()) return "";
    const auto value = metadata->find(key);
    return value != metadata->end() && value->is_string() ? value->get<std::string>() : "";
  };
  return field("namespace") + "/" + field("name");
}

// Indices into `candidates` of the names in `feasible`. The scheduler fails the whole call when
// a returned name is not a candidate, so unknown and repeated names are dropped here. The
// common case (feasible is an in-order subsequence) costs one linear walk.
std::vector<std::size_t> feasible_indices(const std::vector<std::string>& candidates,
                                          const std::vector<std::string>& feasible) {
  std::vector<std::size_t> indices;
  indices.reserve(feasible.size());
  std::size_t next = 0;
  bool in_order = true;
  for (const auto& name : feasible) {
    while (next < candidates.size() && candidates[next] != name) ++next;
    if (next == candidates.size()) {
      in_order = false;
      break;
    }
    indices.push_back(next++);
  }
  if (in_order) return indices;

  indices.clear();
  std::unordered_set<std::string_view> wanted(feasible.begin(), feasible.end());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (wanted.erase(candidates[i]) > 0) indices.push_back(i);
  }
  return indices;
}

std::string deadline_error(std::chrono::milliseconds timeout) {
  return fmt::format("numalign: decision exceeded the request timeout of {}ms", timeout.count());
}

}  // namespace

ExtenderService::ExtenderService(Decider& decider, ServiceMetrics& metrics, ServiceOptions options)
    : decider_(decider), metrics_(metrics), options_(options) {}

DecisionContext ExtenderService::new_context() const {
  DecisionContext context;
  context.deadline = Clock::now() + options_.decision_timeout;
  return context;
}

template <class Handler>
http::HttpReply ExtenderService::run(ServiceMetrics::Verb verb, std::string_view body,
                                     Handler&& handler) {
  const auto start = Clock::now();
  http::HttpReply reply;
  try {
    reply = handler();
  } catch (const protocol::ProtocolError& e) {
    logging::v_info(2, "Rejected malformed request",
                    {{"verb", ServiceMetrics::verb_name(verb)},
                     {"error", e.what()},
                     {"bytes", std::to_string(body.size())}});
    reply = json_reply(400, protocol::write_error_body(e.what()));
  } catch (const std::exception& e) {
    logging::error("Request failed",
                   {{"verb", ServiceMetrics::verb_name(verb)}, {"error", e.what()}});
    reply =
        json_reply(500, protocol::write_error_body(fmt::format("internal error: {}", e.what())));
  }
  metrics_.observe_request(verb, reply.status, seconds_since(start));
  return reply;
}

http::HttpReply ExtenderService::handle(ServiceMetrics::Verb verb, std::string_view body) {
  switch (verb) {
    case ServiceMetrics::kFilter:
      return filter(body);
    case ServiceMetrics::kPrioritize:
      return prioritize(body);
    case ServiceMetrics::kBind:
      return bind(body);
    case ServiceMetrics::kPreempt:
      return preempt(body);
    default:
      return json_reply(404, protocol::write_error_body("unknown verb"));
  }
}

http::HttpReply ExtenderService::filter(std::string_view body) {
  return run(ServiceMetrics::kFilter, body, [&] {
    auto args = protocol::parse_extender_args(body, options_.limits);
    const auto context = new_context();
    const auto decide_start = Clock::now();
    FilterVerdict verdict;
    try {
      verdict = decider_.Filter(args.pod, args.nodes, context);
    } catch (const std::exception& e) {
      verdict = FilterVerdict{};
      verdict.error = fmt::format("numalign: filter failed: {}", e.what());
    }
    metrics_.observe_decision(ServiceMetrics::kFilter, seconds_since(decide_start));
    if (verdict.error.empty() && context.expired()) {
      metrics_.count_overrun(ServiceMetrics::kFilter);
      verdict.error = deadline_error(options_.decision_timeout);
    }

    protocol::FilterResult result;
    if (!verdict.error.empty()) {
      metrics_.count_decisions(ServiceMetrics::kFilter, "error");
      result.error = std::move(verdict.error);
      if (args.nodes.objects) result.nodes.emplace();
      logging::warning("Filter failed", {{"pod", pod_key(args.pod)}, {"error", result.error}});
      return json_reply(200, protocol::write_filter_result(result));
    }
    const auto indices = feasible_indices(args.nodes.names, verdict.feasible);
    result.node_names.reserve(indices.size());
    for (auto i : indices) result.node_names.push_back(std::move(args.nodes.names[i]));
    if (args.nodes.objects) {
      auto& objects = result.nodes.emplace();
      objects.reserve(indices.size());
      for (auto i : indices) objects.push_back(std::move((*args.nodes.objects)[i]));
    }
    result.failed_nodes = std::move(verdict.failed);
    result.failed_and_unresolvable_nodes = std::move(verdict.failed_and_unresolvable);
    metrics_.count_decisions(ServiceMetrics::kFilter, "feasible", double(result.node_names.size()));
    metrics_.count_decisions(ServiceMetrics::kFilter, "failed", double(result.failed_nodes.size()));
    metrics_.count_decisions(ServiceMetrics::kFilter, "unresolvable",
                             double(result.failed_and_unresolvable_nodes.size()));
    if (logging::v(4)) {
      logging::info("Filter", {{"pod", pod_key(args.pod)},
                               {"candidates", std::to_string(args.nodes.names.size())},
                               {"feasible", std::to_string(result.node_names.size())},
                               {"nodeCacheCapable", args.nodes.objects ? "false" : "true"}});
    }
    return json_reply(200, protocol::write_filter_result(result));
  });
}

http::HttpReply ExtenderService::prioritize(std::string_view body) {
  return run(ServiceMetrics::kPrioritize, body, [&] {
    const auto args = protocol::parse_extender_args(body, options_.limits);
    const auto context = new_context();
    const auto decide_start = Clock::now();
    PrioritizeVerdict verdict;
    try {
      verdict = decider_.Prioritize(args.pod, args.nodes, context);
    } catch (const std::exception& e) {
      verdict.error = fmt::format("numalign: prioritize failed: {}", e.what());
    }
    metrics_.observe_decision(ServiceMetrics::kPrioritize, seconds_since(decide_start));
    if (verdict.error.empty() && context.expired()) {
      metrics_.count_overrun(ServiceMetrics::kPrioritize);
      verdict.error = deadline_error(options_.decision_timeout);
    }
    if (!verdict.error.empty()) {
      metrics_.count_decisions(ServiceMetrics::kPrioritize, "error");
      logging::warning("Prioritize failed", {{"pod", pod_key(args.pod)}, {"error", verdict.error}});
      return json_reply(500, protocol::write_error_body(verdict.error));
    }
    metrics_.count_decisions(ServiceMetrics::kPrioritize, "scored", double(verdict.scores.size()));
    logging::v_info(
        4, "Prioritize",
        {{"pod", pod_key(args.pod)}, {"candidates", std::to_string(args.nodes.names.size())}});
    return json_reply(200, protocol::write_host_priority_list(verdict.scores));
  });
}

http::HttpReply ExtenderService::bind(std::string_view body) {
  return run(ServiceMetrics::kBind, body, [&] {
    const auto args = protocol::parse_binding_args(body, options_.limits);
    const auto context = new_context();
    const auto decide_start = Clock::now();
    protocol::BindingResult result;
    try {
      result.error = decider_.Bind(args, context);
    } catch (const std::exception& e) {
      result.error = fmt::format("numalign: bind failed: {}", e.what());
    }
    metrics_.observe_decision(ServiceMetrics::kBind, seconds_since(decide_start));
    if (context.expired()) metrics_.count_overrun(ServiceMetrics::kBind);
    const auto pod = args.pod_namespace + "/" + args.pod_name;
    if (result.error.empty()) {
      metrics_.count_decisions(ServiceMetrics::kBind, "bound");
      logging::v_info(2, "Bound pod", {{"pod", pod}, {"uid", args.pod_uid}, {"node", args.node}});
    } else {
      metrics_.count_decisions(ServiceMetrics::kBind, "error");
      logging::warning(
          "Bind failed",
          {{"pod", pod}, {"uid", args.pod_uid}, {"node", args.node}, {"error", result.error}});
    }
    return json_reply(200, protocol::write_binding_result(result));
  });
}

http::HttpReply ExtenderService::preempt(std::string_view body) {
  return run(ServiceMetrics::kPreempt, body, [&] {
    const auto args = protocol::parse_preemption_args(body, options_.limits);
    PreemptionCandidates candidates;
    if (args.node_name_to_meta_victims) {
      candidates.by_uid = *args.node_name_to_meta_victims;
    } else if (args.node_name_to_victims) {
      candidates.full = &*args.node_name_to_victims;
      for (const auto& [node, victims] : *args.node_name_to_victims) {
        auto& meta = candidates.by_uid[node];
        meta.num_pdb_violations = victims.num_pdb_violations;
        for (const auto& pod : victims.pods) {
          const auto metadata = pod.find("metadata");
          std::string uid;
          if (metadata != pod.end() && metadata->is_object()) {
            const auto value = metadata->find("uid");
            if (value != metadata->end() && value->is_string()) uid = value->get<std::string>();
          }
          meta.pods.push_back({std::move(uid)});
        }
      }
    }
    const auto context = new_context();
    const auto decide_start = Clock::now();
    PreemptVerdict verdict;
    try {
      verdict = decider_.Preempt(args.pod, candidates, context);
    } catch (const std::exception& e) {
      verdict.error = fmt::format("numalign: preempt failed: {}", e.what());
    }
    metrics_.observe_decision(ServiceMetrics::kPreempt, seconds_since(decide_start));
    if (verdict.error.empty() && context.expired()) {
      metrics_.count_overrun(ServiceMetrics::kPreempt);
      verdict.error = deadline_error(options_.decision_timeout);
    }
    if (!verdict.error.empty()) {
      metrics_.count_decisions(ServiceMetrics::kPreempt, "error");
      logging::warning("Preempt failed", {{"pod", pod_key(args.pod)}, {"error", verdict.error}});
      return json_reply(500, protocol::write_error_body(verdict.error));
    }
    const auto kept = verdict.node_name_to_meta_victims.size();
    metrics_.count_decisions(ServiceMetrics::kPreempt, "kept", double(kept));
    if (candidates.by_uid.size() > kept) {
      metrics_.count_decisions(ServiceMetrics::kPreempt, "dropped",
                               double(candidates.by_uid.size() - kept));
    }
    protocol::PreemptionResult result;
    result.node_name_to_meta_victims = std::move(verdict.node_name_to_meta_victims);
    return json_reply(200, protocol::write_preemption_result(result));
  });
}

}  // namespace numalign::extender
