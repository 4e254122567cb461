#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "numa/admission/kubelet_config.h"
#include "numa/topology/machine.h"

namespace numalign::numa {

// One step of a conformance case: admit a pod, or remove one by "namespace/name".
struct ConformanceStep {
  enum class Op { kAdmit, kRemove } op = Op::kAdmit;
  nlohmann::json pod;   // kAdmit: the Pod object
  std::string pod_key;  // kRemove
};

// One line of kubelet-admission.jsonl.
struct ConformanceCase {
  std::string id;
  Machine machine;
  KubeletNumaConfig kubelet;
  std::vector<ConformanceStep> steps;
  nlohmann::json expect;  // one entry per admit step
};

std::optional<ConformanceCase> ParseConformanceCase(const nlohmann::json& line, std::string* error);

// Runs the steps on a fresh node and returns one result per admit step, shaped like `expect`
// ({"pod", "admit", "reason"?, "message"?, "containers"?}). A node that cannot be built (bad
// configuration) yields nullopt with the reason in `error`.
std::optional<std::vector<nlohmann::json>> RunConformanceCase(const ConformanceCase& c,
                                                              std::string* error);
// The same, also asking NodeAdmitter::Evaluate before every admission: fails (nullopt, with the
// pod named in `error`) when Evaluate's verdict differs from the admission's or when evaluating
// changed the node's state.
std::optional<std::vector<nlohmann::json>> RunConformanceCaseCheckingEvaluate(
    const ConformanceCase& c, std::string* error);

// Compares the binding fields (admit, reason, containers when admitted). Returns an empty string
// when they agree, else a short description of the first difference.
std::string CompareWithExpectation(const nlohmann::json& got, const nlohmann::json& expected);

}  // namespace numalign::numa
