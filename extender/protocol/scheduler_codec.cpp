#include "extender/protocol/scheduler_codec.h"

#include <fmt/format.h>

#include "extender/protocol/json_access.h"
#include "extender/protocol/json_writer.h"
#include "extender/protocol/protocol_error.h"

namespace numalign::extender::protocol {
namespace {

using nlohmann::json;

void append_go_string(std::string& out, std::string_view value) {
  append_json_string(out, value, HtmlEscape::kLikeGo);
}

std::map<std::string, std::string> read_string_map(const json& document, std::string_view key) {
  std::map<std::string, std::string> map;
  const json* value = find_field(document, key);
  if (value == nullptr) return map;
  require_object(*value, fmt::format("ExtenderFilterResult.{}", key));
  for (auto it = value->begin(); it != value->end(); ++it) {
    map[it.key()] = read_string(it.value(), fmt::format("ExtenderFilterResult.{}[]", key));
  }
  return map;
}

template <class Victims, class AppendPods>
void append_victims_map(std::string& out, const std::map<std::string, Victims>& map,
                        AppendPods append_pods) {
  out += '{';
  bool first = true;
  for (const auto& [node, victims] : map) {
    if (!first) out += ',';
    first = false;
    append_go_string(out, node);
    out += ":{\"Pods\":[";
    bool first_pod = true;
    for (const auto& pod : victims.pods) {
      if (!first_pod) out += ',';
      first_pod = false;
      append_pods(pod);
    }
    out += "],\"NumPDBViolations\":";
    out += std::to_string(victims.num_pdb_violations);
    out += '}';
  }
  out += '}';
}

}  // namespace

std::string write_extender_args(const json& pod, const NodeCandidates& nodes) {
  std::string out = "{\"Pod\":";
  append_json_value(out, pod);
  out += ",\"Nodes\":";
  if (nodes.objects) {
    out += "{\"metadata\":{},\"items\":[";
    bool first = true;
    for (const auto& node : *nodes.objects) {
      if (!first) out += ',';
      first = false;
      append_json_value(out, node);
    }
    out += "]},\"NodeNames\":null}";
    return out;
  }
  out += "null,\"NodeNames\":[";
  bool first = true;
  for (const auto& name : nodes.names) {
    if (!first) out += ',';
    first = false;
    append_go_string(out, name);
  }
  out += "]}";
  return out;
}

std::string write_binding_args(const BindingArgs& args) {
  std::string out = "{\"PodName\":";
  append_go_string(out, args.pod_name);
  out += ",\"PodNamespace\":";
  append_go_string(out, args.pod_namespace);
  out += ",\"PodUID\":";
  append_go_string(out, args.pod_uid);
  out += ",\"Node\":";
  append_go_string(out, args.node);
  out += '}';
  return out;
}

std::string write_preemption_args(const PreemptionArgs& args) {
  std::string out = "{\"Pod\":";
  append_json_value(out, args.pod);
  out += ",\"NodeNameToVictims\":";
  if (args.node_name_to_victims) {
    append_victims_map(out, *args.node_name_to_victims,
                       [&](const json& pod) { append_json_value(out, pod); });
  } else {
    out += "null";
  }
  out += ",\"NodeNameToMetaVictims\":";
  if (args.node_name_to_meta_victims) {
    append_victims_map(out, *args.node_name_to_meta_victims, [&](const MetaPod& pod) {
      out += "{\"UID\":";
      append_go_string(out, pod.uid);
      out += '}';
    });
  } else {
    out += "null";
  }
  out += '}';
  return out;
}

FilterReply parse_filter_reply(std::string_view body) {
  json document = parse_document(body);
  require_object(document, "ExtenderFilterResult");
  FilterReply reply;
  if (const json* names = find_field(document, "NodeNames")) {
    require_array(*names, "ExtenderFilterResult.NodeNames");
    auto& out = reply.node_names.emplace();
    for (const auto& name : *names)
      out.push_back(read_string(name, "ExtenderFilterResult.NodeNames[]"));
  }
  if (json* nodes = find_field(document, "Nodes")) {
    require_object(*nodes, "ExtenderFilterResult.Nodes");
    auto& out = reply.nodes.emplace();
    if (json* items = find_field(*nodes, "items")) {
      require_array(*items, "ExtenderFilterResult.Nodes.items");
      for (auto& node : *items) {
        require_object(node, "ExtenderFilterResult.Nodes.items[]");
        out.push_back(std::move(node));
      }
    }
  }
  reply.failed_nodes = read_string_map(document, "FailedNodes");
  reply.failed_and_unresolvable_nodes = read_string_map(document, "FailedAndUnresolvableNodes");
  if (const json* error = find_field(document, "Error")) {
    reply.error = read_string(*error, "ExtenderFilterResult.Error");
  }
  return reply;
}

HostPriorityList parse_host_priority_list(std::string_view body) {
  const json document = parse_document(body);
  HostPriorityList list;
  if (document.is_null()) return list;
  require_array(document, "HostPriorityList");
  list.reserve(document.size());
  for (const auto& entry : document) {
    if (entry.is_null()) {
      list.push_back({});
      continue;
    }
    require_object(entry, "HostPriority");
    HostPriority priority;
    if (const json* host = find_field(entry, "Host"))
      priority.host = read_string(*host, "HostPriority.Host");
    if (const json* score = find_field(entry, "Score"))
      priority.score = read_int64(*score, "HostPriority.Score");
    list.push_back(std::move(priority));
  }
  return list;
}

BindingResult parse_binding_result(std::string_view body) {
  const json document = parse_document(body);
  BindingResult result;
  if (document.is_null()) return result;
  require_object(document, "ExtenderBindingResult");
  if (const json* error = find_field(document, "Error")) {
    result.error = read_string(*error, "ExtenderBindingResult.Error");
  }
  return result;
}

PreemptionResult parse_preemption_result(std::string_view body) {
  const json document = parse_document(body);
  PreemptionResult result;
  if (document.is_null()) return result;
  require_object(document, "ExtenderPreemptionResult");
  const json* map = find_field(document, "NodeNameToMetaVictims");
  if (map == nullptr) return result;
  require_object(*map, "ExtenderPreemptionResult.NodeNameToMetaVictims");
  for (auto it = map->begin(); it != map->end(); ++it) {
    const auto what = fmt::format("NodeNameToMetaVictims[{}]", it.key());
    MetaVictims victims;
    if (!it.value().is_null()) {
      require_object(it.value(), what);
      if (const json* pods = find_field(it.value(), "Pods")) {
        require_array(*pods, what + ".Pods");
        for (const auto& pod : *pods) {
          require_object(pod, what + ".Pods[]");
          const json* uid = find_field(pod, "UID");
          victims.pods.push_back({uid != nullptr ? read_string(*uid, what + ".Pods[].UID") : ""});
        }
      }
      if (const json* count = find_field(it.value(), "NumPDBViolations")) {
        victims.num_pdb_violations = read_int64(*count, what + ".NumPDBViolations");
      }
    }
    result.node_name_to_meta_victims.emplace(it.key(), std::move(victims));
  }
  return result;
}

}  // namespace numalign::extender::protocol
