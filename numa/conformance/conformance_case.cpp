#include "numa/conformance/conformance_case.h"

#include "numa/admission/node_admitter.h"
#include "numa/conformance/machine_json.h"
#include "numa/pod/pod_spec.h"

namespace numalign::numa {

using nlohmann::json;

namespace {

std::optional<ConformanceCase> ParseCase(const json& line, std::string* error) {
  if (!line.is_object()) {
    *error = "case: must be a JSON object";
    return std::nullopt;
  }
  ConformanceCase c;
  if (auto id = line.find("id"); id != line.end() && id->is_string()) c.id = id->get<std::string>();
  auto node = line.find("node");
  if (node == line.end() || !node->is_object()) {
    *error = c.id + ": node: required";
    return std::nullopt;
  }
  auto machine_it = node->find("machine");
  if (machine_it == node->end()) {
    *error = c.id + ": node.machine: required";
    return std::nullopt;
  }
  auto machine = ParseMachineJson(*machine_it, error);
  if (!machine) return std::nullopt;
  c.machine = std::move(*machine);
  auto kubelet_it = node->find("kubelet");
  auto kubelet =
      ParseKubeletConfigJson(kubelet_it == node->end() ? json::object() : *kubelet_it, error);
  if (!kubelet) return std::nullopt;
  c.kubelet = std::move(*kubelet);
  auto steps = line.find("steps");
  if (steps == line.end() || !steps->is_array()) {
    *error = c.id + ": steps: must be a list";
    return std::nullopt;
  }
  for (const auto& s : *steps) {
    ConformanceStep step;
    const std::string op = s.value("op", "");
    if (op == "admit") {
      step.op = ConformanceStep::Op::kAdmit;
      step.pod = s.value("pod", json());
    } else if (op == "remove") {
      step.op = ConformanceStep::Op::kRemove;
      step.pod_key = s.value("pod", "");
    } else {
      *error = c.id + ": unknown step op \"" + op + "\"";
      return std::nullopt;
    }
    c.steps.push_back(std::move(step));
  }
  c.expect = line.value("expect", json::array());
  if (!c.expect.is_array()) {
    *error = c.id + ": expect: must be a list";
    return std::nullopt;
  }
  return c;
}

}  // namespace

// Malformed shapes that slip past the explicit checks surface as json exceptions; they are bad
// input, so they become errors here rather than escaping.
std::optional<ConformanceCase> ParseConformanceCase(const json& line, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  try {
    return ParseCase(line, error);
  } catch (const json::exception& e) {
    *error = std::string("malformed case: ") + e.what();
    return std::nullopt;
  }
}

namespace {

std::optional<std::vector<json>> RunCase(const ConformanceCase& c, bool check_evaluate,
                                         std::string* error) {
  auto node = NodeAdmitter::Create(c.machine, c.kubelet, error);
  if (!node) return std::nullopt;
  std::vector<json> results;
  for (const auto& step : c.steps) {
    if (step.op == ConformanceStep::Op::kRemove) {
      node->Remove(step.pod_key);
      continue;
    }
    json out = json::object();
    std::string why;
    auto pod = ParsePodJson(step.pod, &why);
    if (!pod) {
      out["pod"] = step.pod.value("metadata", json::object()).value("namespace", "default") + "/" +
                   step.pod.value("metadata", json::object()).value("name", "");
      out["admit"] = false;
      out["reason"] = "InvalidPod";
      out["message"] = why;
      results.push_back(out);
      continue;
    }
    std::optional<AdmitResult> evaluated;
    if (check_evaluate) {
      const MemoryCheckpoint before = node->Checkpoint();
      evaluated = node->Evaluate(*pod);
      if (!(node->Checkpoint() == before)) {
        *error = "Evaluate changed the node's state for pod " + pod->Key();
        return std::nullopt;
      }
    }
    AdmitResult r = node->Admit(*pod);
    if (evaluated && !SameVerdict(*evaluated, r)) {
      *error = "Evaluate and Admit disagree on pod " + pod->Key() + ": evaluate " +
               (evaluated->admit ? "admits" : "rejects (" + evaluated->message + ")") + ", admit " +
               (r.admit ? "admits" : "rejects (" + r.message + ")");
      return std::nullopt;
    }
    out["pod"] = pod->Key();
    out["admit"] = r.admit;
    if (!r.admit) {
      out["reason"] = r.reason;
      out["message"] = r.message;
    } else if (!r.containers.empty()) {
      json containers = json::object();
      for (const auto& [name, a] : r.containers) {
        json entry = {{"cpus", a.cpus}};
        if (!a.memory_numa.empty()) entry["memoryNUMA"] = a.memory_numa;
        containers[name] = entry;
      }
      out["containers"] = containers;
    }
    results.push_back(std::move(out));
  }
  return results;
}

std::string Compare(const json& got, const json& expected);

}  // namespace

namespace {

std::optional<std::vector<json>> RunGuarded(const ConformanceCase& c, bool check_evaluate,
                                            std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  try {
    return RunCase(c, check_evaluate, error);
  } catch (const json::exception& e) {
    *error = std::string("malformed step: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace

std::optional<std::vector<json>> RunConformanceCase(const ConformanceCase& c, std::string* error) {
  return RunGuarded(c, /*check_evaluate=*/false, error);
}

std::optional<std::vector<json>> RunConformanceCaseCheckingEvaluate(const ConformanceCase& c,
                                                                    std::string* error) {
  return RunGuarded(c, /*check_evaluate=*/true, error);
}

std::string CompareWithExpectation(const json& got, const json& expected) {
  try {
    return Compare(got, expected);
  } catch (const json::exception& e) {
    return std::string("malformed expectation: ") + e.what();
  }
}

namespace {

std::string Compare(const json& got, const json& expected) {
  if (got.value("pod", "") != expected.value("pod", "")) {
    return "pod " + got.value("pod", "") + " vs expected " + expected.value("pod", "");
  }
  const bool admit = got.value("admit", false);
  if (admit != expected.value("admit", false)) {
    return std::string("admit=") + (admit ? "true" : "false") + " (" + got.value("reason", "") +
           ": " + got.value("message", "") + ")";
  }
  if (!admit) {
    if (got.value("reason", "") != expected.value("reason", "")) {
      return "reason " + got.value("reason", "") + " vs " + expected.value("reason", "") + " (" +
             got.value("message", "") + ")";
    }
    return "";
  }
  const json none = json::object();
  const json& gc = got.contains("containers") ? got["containers"] : none;
  const json& ec = expected.contains("containers") ? expected["containers"] : none;
  if (gc != ec) return "containers " + gc.dump() + " vs " + ec.dump();
  return "";
}

}  // namespace

}  // namespace numalign::numa
