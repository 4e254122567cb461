#include "extender/testing/scheduler_driver.h"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

#include "extender/protocol/protocol_error.h"
#include "extender/protocol/scheduler_codec.h"

namespace numalign::extender::testing {
namespace {

using nlohmann::json;

// extenderv1 default when httpTimeout is zero.
constexpr std::chrono::milliseconds kDefaultExtenderTimeout{5000};

std::string metadata_string(const json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  const auto value = metadata->find(key);
  return value != metadata->end() && value->is_string() ? value->get<std::string>() : "";
}

std::string nominated_node_name(const json& pod) {
  if (!pod.is_object()) return "";
  const auto status = pod.find("status");
  if (status == pod.end() || !status->is_object()) return "";
  const auto name = status->find("nominatedNodeName");
  return name != status->end() && name->is_string() ? name->get<std::string>() : "";
}

protocol::NodeCandidates candidates_of(const std::vector<const DriverNode*>& nodes,
                                       bool node_cache_capable) {
  protocol::NodeCandidates candidates;
  candidates.names.reserve(nodes.size());
  if (!node_cache_capable) candidates.objects.emplace();
  for (const auto* node : nodes) {
    candidates.names.push_back(node->name);
    if (!node_cache_capable) {
      json object = node->object.is_object() ? node->object : json::object();
      object["metadata"]["name"] = node->name;
      candidates.objects->push_back(std::move(object));
    }
  }
  return candidates;
}

}  // namespace

std::string pod_uid(const json& pod) {
  return metadata_string(pod, "uid");
}
std::string pod_namespace(const json& pod) {
  return metadata_string(pod, "namespace");
}
std::string pod_name(const json& pod) {
  return metadata_string(pod, "name");
}

// Idle keep-alive clients; concurrent callers (bind goroutines) each get their own connection,
// as Go's transport opens more connections under concurrency.
class SchedulerDriver::ClientPool {
 public:
  explicit ClientPool(ClientOptions options) : options_(std::move(options)) {}

  template <class Use>
  auto with_client(Use&& use) {
    std::unique_ptr<HttpClient> client;
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        client = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!client) client = std::make_unique<HttpClient>(options_);
    struct Return {
      ClientPool& pool;
      std::unique_ptr<HttpClient>& client;
      ~Return() {
        std::lock_guard lock(pool.mutex_);
        pool.opened_ += client->connections_opened() - pool.counted_[client.get()];
        pool.counted_[client.get()] = client->connections_opened();
        pool.idle_.push_back(std::move(client));
      }
    } give_back{*this, client};
    return use(*client);
  }

  int connections_opened() const {
    std::lock_guard lock(mutex_);
    return opened_;
  }

 private:
  ClientOptions options_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<HttpClient>> idle_;
  std::map<const HttpClient*, int> counted_;
  int opened_ = 0;
};

SchedulerDriver::SchedulerDriver(ExtenderConfig config) : config_(std::move(config)) {
  std::string_view url = config_.url_prefix;
  bool https = false;
  if (url.starts_with("https://")) {
    https = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    throw std::invalid_argument("urlPrefix must start with http:// or https://");
  }
  const auto slash = url.find('/');
  const auto authority = url.substr(0, slash);
  path_prefix_ = slash == std::string_view::npos ? "" : std::string(url.substr(slash));
  while (!path_prefix_.empty() && path_prefix_.back() == '/') path_prefix_.pop_back();
  const auto colon = authority.rfind(':');
  host_ = std::string(authority.substr(0, colon));
  port_ = https ? 443 : 80;
  if (colon != std::string_view::npos) {
    port_ = static_cast<unsigned short>(std::stoi(std::string(authority.substr(colon + 1))));
  }
  ClientOptions options;
  options.host = host_;
  options.port = port_;
  options.tls = config_.tls;
  options.tls.enabled = https;
  clients_ = std::make_unique<ClientPool>(options);
}

SchedulerDriver::~SchedulerDriver() = default;

std::string SchedulerDriver::verb_path(const std::string& verb) const {
  return path_prefix_ + "/" + verb;
}

std::chrono::milliseconds SchedulerDriver::timeout() const {
  return config_.http_timeout.count() > 0 ? config_.http_timeout : kDefaultExtenderTimeout;
}

ClientResponse SchedulerDriver::post(const std::string& verb, const std::string& body) {
  const auto path = verb_path(verb);
  return clients_->with_client(
      [&](HttpClient& client) { return client.post(path, body, timeout()); });
}

int SchedulerDriver::connections_opened() const {
  return clients_->connections_opened();
}

namespace {

// Go's HTTPExtender.send: transport error, non-200 or undecodable body are all errors.
template <class Parse>
auto call(SchedulerDriver& driver, const std::string& verb, const std::string& body,
          std::string& error, Parse parse) -> decltype(parse(std::string_view{})) {
  try {
    const auto response = driver.post(verb, body);
    if (response.status != 200) {
      error = fmt::format("failed {} with extender at URL {}, code {}", verb,
                          driver.verb_path(verb), response.status);
      return {};
    }
    return parse(response.body);
  } catch (const TransportError& e) {
    error = fmt::format("Post \"{}\": {}", driver.verb_path(verb), e.what());
  } catch (const protocol::ProtocolError& e) {
    error = fmt::format("decoding {} reply: {}", verb, e.what());
  }
  return {};
}

}  // namespace

FilterCall SchedulerDriver::filter(const json& pod, const std::vector<const DriverNode*>& nodes) {
  FilterCall result;
  const auto body =
      protocol::write_extender_args(pod, candidates_of(nodes, config_.node_cache_capable));
  auto reply = call(*this, config_.filter_verb, body, result.error, [](std::string_view text) {
    return std::optional(protocol::parse_filter_reply(text));
  });
  if (!result.error.empty()) return result;
  if (!reply->error.empty()) {
    result.error = reply->error;
    return result;
  }
  std::set<std::string> input;
  for (const auto* node : nodes) input.insert(node->name);
  auto accept = [&](const std::string& name) {
    if (!input.contains(name)) {
      result.error = fmt::format(
          "extender {} claims a filtered node \"{}\" which is not found in the input node list",
          config_.url_prefix, name);
      return false;
    }
    result.feasible.push_back(name);
    return true;
  };
  if (config_.node_cache_capable && reply->node_names) {
    for (const auto& name : *reply->node_names) {
      if (!accept(name)) return FilterCall{{}, {}, result.error};
    }
  } else if (reply->nodes) {
    for (const auto& node : *reply->nodes) {
      if (!accept(metadata_string(node, "name"))) return FilterCall{{}, {}, result.error};
    }
  }
  // Both null: nothing is feasible.
  for (const auto& [name, reason] : reply->failed_and_unresolvable_nodes) {
    result.statuses[name] = {StatusCode::kUnschedulableAndUnresolvable, reason};
  }
  for (const auto& [name, reason] : reply->failed_nodes) {
    if (reply->failed_and_unresolvable_nodes.contains(name)) continue;  // unresolvable wins
    result.statuses[name] = {StatusCode::kUnschedulable, reason};
  }
  return result;
}

PrioritizeCall SchedulerDriver::prioritize(const json& pod,
                                           const std::vector<const DriverNode*>& nodes) {
  PrioritizeCall result;
  const auto body =
      protocol::write_extender_args(pod, candidates_of(nodes, config_.node_cache_capable));
  auto list = call(*this, config_.prioritize_verb, body, result.error, [](std::string_view text) {
    return std::optional(protocol::parse_host_priority_list(text));
  });
  if (!result.error.empty()) return result;
  result.raw = std::move(*list);
  std::set<std::string> input;
  for (const auto* node : nodes) input.insert(node->name);
  constexpr auto kScale = protocol::kMaxNodeScore / protocol::kMaxExtenderPriority;
  for (const auto& entry : result.raw) {
    if (!input.contains(entry.host)) continue;  // unknown hosts are ignored
    result.weighted_scores[entry.host] += entry.score * config_.weight * kScale;
  }
  return result;
}

std::string SchedulerDriver::bind(const protocol::BindingArgs& args) {
  std::string error;
  auto result = call(
      *this, config_.bind_verb, protocol::write_binding_args(args), error,
      [](std::string_view text) { return std::optional(protocol::parse_binding_result(text)); });
  if (!error.empty()) return error;
  return result->error;
}

PreemptCall SchedulerDriver::preempt(const json& pod,
                                     const std::map<std::string, protocol::Victims>& candidates,
                                     const std::vector<DriverNode>& nodes) {
  PreemptCall result;
  protocol::PreemptionArgs args;
  args.pod = pod;
  if (config_.node_cache_capable) {
    auto& meta = args.node_name_to_meta_victims.emplace();
    for (const auto& [node, victims] : candidates) {
      auto& entry = meta[node];
      entry.num_pdb_violations = victims.num_pdb_violations;
      for (const auto& victim : victims.pods) entry.pods.push_back({pod_uid(victim)});
    }
  } else {
    args.node_name_to_victims = candidates;
  }
  auto reply = call(
      *this, config_.preempt_verb, protocol::write_preemption_args(args), result.error,
      [](std::string_view text) { return std::optional(protocol::parse_preemption_result(text)); });
  auto skip_if_ignorable = [&] {
    if (config_.ignorable) {
      result.skipped = true;
      result.victims = candidates;
    }
    return result;
  };
  if (!result.error.empty()) return skip_if_ignorable();
  // convertToVictims: every node must exist and every UID must be a pod on that node.
  for (const auto& [node_name, meta] : reply->node_name_to_meta_victims) {
    const DriverNode* node = nullptr;
    for (const auto& candidate : nodes) {
      if (candidate.name == node_name) node = &candidate;
    }
    if (node == nullptr) {
      result.error = fmt::format("node \"{}\" not found", node_name);
      return skip_if_ignorable();
    }
    protocol::Victims victims;
    victims.num_pdb_violations = meta.num_pdb_violations;
    for (const auto& meta_pod : meta.pods) {
      const json* found = nullptr;
      for (const auto& on_node : node->pods) {
        if (pod_uid(on_node) == meta_pod.uid) found = &on_node;
      }
      if (found == nullptr) {
        result.error = fmt::format(
            "extender: {} claims to preempt pod (UID: {}) on node: {}, but the pod is not found "
            "on that node",
            config_.url_prefix, meta_pod.uid, node_name);
        return skip_if_ignorable();
      }
      victims.pods.push_back(*found);
    }
    result.victims[node_name] = std::move(victims);
  }
  // callExtenders: a node without victims is an error, or dropped for an ignorable extender.
  for (auto it = result.victims.begin(); it != result.victims.end();) {
    if (!it->second.pods.empty()) {
      ++it;
      continue;
    }
    if (!config_.ignorable) {
      result.error = fmt::format("expected at least one victim pod on node \"{}\"", it->first);
      result.victims.clear();
      return result;
    }
    it = result.victims.erase(it);
  }
  return result;
}

ScheduleOutcome SchedulerDriver::schedule(const json& pod, const std::vector<DriverNode>& nodes) {
  ScheduleOutcome outcome;
  const bool filters = !config_.filter_verb.empty();

  // evaluateNominatedNode: the nominated node alone first; errors are only logged.
  if (const auto nominated = nominated_node_name(pod); !nominated.empty() && filters) {
    for (const auto& node : nodes) {
      if (node.name != nominated) continue;
      outcome.nominated_node_evaluated = true;
      ++outcome.filter_calls;
      const auto call = filter(pod, {&node});
      const bool passes = call.error.empty() ? !call.feasible.empty() : config_.ignorable;
      if (passes) {
        outcome.extender_skipped = !call.error.empty();
        outcome.result = ScheduleOutcome::Result::kScheduled;
        outcome.node = nominated;
        return outcome;
      }
    }
  }

  std::vector<const DriverNode*> feasible;
  for (const auto& node : nodes) feasible.push_back(&node);
  if (filters && !feasible.empty()) {
    ++outcome.filter_calls;
    auto call = filter(pod, feasible);
    if (!call.error.empty()) {
      if (!config_.ignorable) {
        outcome.result = ScheduleOutcome::Result::kError;
        outcome.error = call.error;
        return outcome;
      }
      outcome.extender_skipped = true;
    } else {
      outcome.statuses = std::move(call.statuses);
      std::vector<const DriverNode*> kept;
      for (const auto& name : call.feasible) {
        for (const auto* node : feasible) {
          if (node->name == name) {
            kept.push_back(node);
            break;
          }
        }
      }
      feasible = std::move(kept);
    }
  }
  if (feasible.empty()) {
    outcome.result = ScheduleOutcome::Result::kUnschedulable;
    return outcome;
  }
  outcome.result = ScheduleOutcome::Result::kScheduled;
  if (feasible.size() == 1) {  // schedulePod's shortcut: no scoring at all
    outcome.node = feasible.front()->name;
    return outcome;
  }
  std::map<std::string, std::int64_t> extender_scores;
  if (!config_.prioritize_verb.empty()) {
    outcome.prioritize_called = true;
    auto call = prioritize(pod, feasible);
    if (call.error.empty()) extender_scores = std::move(call.weighted_scores);  // else ignored
  }
  std::int64_t best = 0;
  for (const auto* node : feasible) {
    const auto total = node->in_tree_score + extender_scores[node->name];
    outcome.total_scores[node->name] = total;
    if (outcome.node.empty() || total > best) {
      best = total;
      outcome.node = node->name;
    }
  }
  return outcome;
}

BindOutcome SchedulerDriver::bind_pod(const json& pod, const std::string& node, int max_attempts) {
  BindOutcome outcome;
  if (config_.bind_verb.empty()) {
    outcome.bound = outcome.bound_by_default_binder = true;
    return outcome;
  }
  const protocol::BindingArgs args{pod_name(pod), pod_namespace(pod), pod_uid(pod), node};
  for (int attempt = 0; attempt < std::max(1, max_attempts); ++attempt) {
    ++outcome.attempts;
    auto error = bind(args);
    if (error.empty()) {
      outcome.bound = true;
      return outcome;
    }
    outcome.errors.push_back(std::move(error));
    if (config_.ignorable) {  // since v1.30 the DefaultBinder takes over
      outcome.bound = outcome.bound_by_default_binder = true;
      return outcome;
    }
  }
  return outcome;
}

std::future<BindOutcome> SchedulerDriver::bind_pod_async(json pod, std::string node,
                                                         int max_attempts) {
  return std::async(std::launch::async,
                    [this, pod = std::move(pod), node = std::move(node), max_attempts] {
                      return bind_pod(pod, node, max_attempts);
                    });
}

}  // namespace numalign::extender::testing
