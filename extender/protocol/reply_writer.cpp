#include "extender/protocol/reply_writer.h"

#include <algorithm>

#include "extender/protocol/json_writer.h"

namespace numalign::extender::protocol {
namespace {

void append_string_map(std::string& out, const std::map<std::string, std::string>& map) {
  out += '{';
  bool first = true;
  for (const auto& [key, value] : map) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, key);
    out += ':';
    append_json_string(out, value);
  }
  out += '}';
}

void append_meta_victims(std::string& out, const MetaVictims& victims) {
  out += "{\"Pods\":[";
  bool first = true;
  for (const auto& pod : victims.pods) {
    if (!first) out += ',';
    first = false;
    out += "{\"UID\":";
    append_json_string(out, pod.uid);
    out += '}';
  }
  out += "],\"NumPDBViolations\":";
  out += std::to_string(victims.num_pdb_violations);
  out += '}';
}

}  // namespace

std::int64_t clamp_score(std::int64_t score) {
  return std::clamp(score, kMinExtenderPriority, kMaxExtenderPriority);
}

std::string write_filter_result(const FilterResult& result) {
  std::string out;
  std::size_t estimate = 128 + result.error.size();
  for (const auto& name : result.node_names) estimate += name.size() + 3;
  out.reserve(estimate);
  out += "{\"Nodes\":";
  if (result.nodes) {
    out += "{\"items\":[";
    bool first = true;
    for (const auto& node : *result.nodes) {
      if (!first) out += ',';
      first = false;
      append_json_value(out, node);
    }
    out += "]}";
  } else {
    out += "null";
  }
  out += ",\"NodeNames\":[";
  bool first = true;
  for (const auto& name : result.node_names) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, name);
  }
  out += "],\"FailedNodes\":";
  append_string_map(out, result.failed_nodes);
  out += ",\"FailedAndUnresolvableNodes\":";
  append_string_map(out, result.failed_and_unresolvable_nodes);
  out += ",\"Error\":";
  append_json_string(out, result.error);
  out += '}';
  return out;
}

std::string write_host_priority_list(const HostPriorityList& list) {
  std::string out;
  out.reserve(2 + list.size() * 40);
  out += '[';
  bool first = true;
  for (const auto& entry : list) {
    if (!first) out += ',';
    first = false;
    out += "{\"Host\":";
    append_json_string(out, entry.host);
    out += ",\"Score\":";
    out += std::to_string(clamp_score(entry.score));
    out += '}';
  }
  out += ']';
  return out;
}

std::string write_binding_result(const BindingResult& result) {
  return write_error_body(result.error);
}

std::string write_preemption_result(const PreemptionResult& result) {
  std::string out = "{\"NodeNameToMetaVictims\":{";
  bool first = true;
  for (const auto& [node, victims] : result.node_name_to_meta_victims) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, node);
    out += ':';
    append_meta_victims(out, victims);
  }
  out += "}}";
  return out;
}

std::string write_error_body(std::string_view message) {
  std::string out = "{\"Error\":";
  append_json_string(out, message);
  out += '}';
  return out;
}

}  // namespace numalign::extender::protocol
