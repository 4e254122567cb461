#include "extender/protocol/request_parser.h"

#include <fmt/format.h>

#include "extender/protocol/fast_extender_args.h"
#include "extender/protocol/json_access.h"
#include "extender/protocol/protocol_error.h"

namespace numalign::extender::protocol {
namespace {

using nlohmann::json;

void validate_node_name(const std::string& name, std::string_view what,
                        const RequestLimits& limits) {
  if (name.empty()) throw ProtocolError(fmt::format("{}: empty node name", what));
  if (name.size() > limits.max_node_name_bytes) {
    throw ProtocolError(fmt::format("{}: node name of {} bytes exceeds the limit of {}", what,
                                    name.size(), limits.max_node_name_bytes));
  }
}

json take_pod(json& document, std::string_view type) {
  json* pod = find_field(document, "Pod");
  if (pod == nullptr) throw ProtocolError(fmt::format("{}.Pod is missing or null", type));
  require_object(*pod, fmt::format("{}.Pod", type));
  return std::move(*pod);
}

NodeCandidates take_node_names(json& names, const RequestLimits& limits) {
  require_array(names, "ExtenderArgs.NodeNames");
  NodeCandidates candidates;
  candidates.names.reserve(names.size());
  for (auto& entry : names) {
    // Go decodes a null element as ""; validation then rejects it like any empty name.
    std::string name = entry.is_string() ? std::move(entry.get_ref<std::string&>())
                                         : read_string(entry, "ExtenderArgs.NodeNames[]");
    validate_node_name(name, "ExtenderArgs.NodeNames[]", limits);
    candidates.names.push_back(std::move(name));
  }
  return candidates;
}

std::string node_object_name(const json& node, std::string_view what) {
  const json* metadata = find_field(node, "metadata");
  const json* name = metadata != nullptr ? find_field(*metadata, "name") : nullptr;
  if (name == nullptr) throw ProtocolError(fmt::format("{}: node without metadata.name", what));
  return read_string(*name, fmt::format("{}.metadata.name", what));
}

NodeCandidates take_node_objects(json& node_list, const RequestLimits& limits) {
  require_object(node_list, "ExtenderArgs.Nodes");
  NodeCandidates candidates;
  candidates.objects.emplace();
  json* items = find_field(node_list, "items");
  if (items == nullptr) return candidates;
  require_array(*items, "ExtenderArgs.Nodes.items");
  candidates.names.reserve(items->size());
  candidates.objects->reserve(items->size());
  for (auto& node : *items) {
    require_object(node, "ExtenderArgs.Nodes.items[]");
    auto name = node_object_name(node, "ExtenderArgs.Nodes.items[]");
    validate_node_name(name, "ExtenderArgs.Nodes.items[]", limits);
    candidates.names.push_back(std::move(name));
    candidates.objects->push_back(std::move(node));
  }
  return candidates;
}

std::string read_required_string(const json& document, std::string_view key,
                                 std::string_view what) {
  const json* value = find_field(document, key);
  auto text = value != nullptr ? read_string(*value, what) : std::string{};
  if (text.empty()) throw ProtocolError(fmt::format("{} is missing or empty", what));
  return text;
}

std::int64_t read_pdb_violations(const json& victims, std::string_view what) {
  const json* count = find_field(victims, "NumPDBViolations");
  return count != nullptr ? read_int64(*count, what) : 0;
}

MetaVictims read_meta_victims(const json& victims, const std::string& node) {
  const auto what = fmt::format("NodeNameToMetaVictims[{}]", node);
  MetaVictims result;
  if (victims.is_null()) return result;
  require_object(victims, what);
  if (const json* pods = find_field(victims, "Pods")) {
    require_array(*pods, what + ".Pods");
    for (const auto& pod : *pods) {
      require_object(pod, what + ".Pods[]");
      const json* uid = find_field(pod, "UID");
      result.pods.push_back({uid != nullptr ? read_string(*uid, what + ".Pods[].UID") : ""});
    }
  }
  result.num_pdb_violations = read_pdb_violations(victims, what + ".NumPDBViolations");
  return result;
}

Victims take_victims(json& victims, const std::string& node) {
  const auto what = fmt::format("NodeNameToVictims[{}]", node);
  Victims result;
  if (victims.is_null()) return result;
  require_object(victims, what);
  if (json* pods = find_field(victims, "Pods")) {
    require_array(*pods, what + ".Pods");
    for (auto& pod : *pods) {
      require_object(pod, what + ".Pods[]");
      result.pods.push_back(std::move(pod));
    }
  }
  result.num_pdb_violations = read_pdb_violations(victims, what + ".NumPDBViolations");
  return result;
}

}  // namespace

ExtenderArgs parse_extender_args(std::string_view body, const RequestLimits& limits) {
  if (auto fast = try_parse_extender_args_fast(body, limits)) return std::move(*fast);
  return parse_extender_args_full(body, limits);
}

ExtenderArgs parse_extender_args_full(std::string_view body, const RequestLimits& limits) {
  json document = parse_document(body, limits.max_depth);
  require_object(document, "ExtenderArgs");
  ExtenderArgs args;
  args.pod = take_pod(document, "ExtenderArgs");
  if (json* names = find_field(document, "NodeNames")) {
    args.nodes = take_node_names(*names, limits);
  } else if (json* nodes = find_field(document, "Nodes")) {
    args.nodes = take_node_objects(*nodes, limits);
  }
  return args;
}

BindingArgs parse_binding_args(std::string_view body, const RequestLimits& limits) {
  const json document = parse_document(body, limits.max_depth);
  require_object(document, "ExtenderBindingArgs");
  BindingArgs args;
  args.pod_name = read_required_string(document, "PodName", "ExtenderBindingArgs.PodName");
  args.pod_namespace =
      read_required_string(document, "PodNamespace", "ExtenderBindingArgs.PodNamespace");
  args.pod_uid = read_required_string(document, "PodUID", "ExtenderBindingArgs.PodUID");
  args.node = read_required_string(document, "Node", "ExtenderBindingArgs.Node");
  validate_node_name(args.node, "ExtenderBindingArgs.Node", limits);
  return args;
}

PreemptionArgs parse_preemption_args(std::string_view body, const RequestLimits& limits) {
  json document = parse_document(body, limits.max_depth);
  require_object(document, "ExtenderPreemptionArgs");
  PreemptionArgs args;
  args.pod = take_pod(document, "ExtenderPreemptionArgs");
  if (json* victims = find_field(document, "NodeNameToVictims")) {
    require_object(*victims, "ExtenderPreemptionArgs.NodeNameToVictims");
    auto& map = args.node_name_to_victims.emplace();
    for (auto it = victims->begin(); it != victims->end(); ++it) {
      validate_node_name(it.key(), "NodeNameToVictims", limits);
      map.emplace(it.key(), take_victims(it.value(), it.key()));
    }
  }
  if (const json* victims = find_field(document, "NodeNameToMetaVictims")) {
    require_object(*victims, "ExtenderPreemptionArgs.NodeNameToMetaVictims");
    auto& map = args.node_name_to_meta_victims.emplace();
    for (auto it = victims->begin(); it != victims->end(); ++it) {
      validate_node_name(it.key(), "NodeNameToMetaVictims", limits);
      map.emplace(it.key(), read_meta_victims(it.value(), it.key()));
    }
  }
  return args;
}

}  // namespace numalign::extender::protocol
