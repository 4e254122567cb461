#include "numa/topologymanager/policy_options.h"

#include <cctype>
#include <limits>

namespace numalign::numa {
namespace {

constexpr const char* kPreferClosest = "prefer-closest-numa-nodes";
constexpr const char* kMaxAllowable = "max-allowable-numa-nodes";

// v1.32 maturity of each option: prefer-closest-numa-nodes is GA, max-allowable-numa-nodes beta.
enum class Maturity { kAlpha, kBeta, kGa };

std::optional<Maturity> OptionMaturity(const std::string& name) {
  if (name == kPreferClosest) return Maturity::kGa;
  if (name == kMaxAllowable) return Maturity::kBeta;
  return std::nullopt;
}

bool GateEnabled(const std::map<std::string, bool>& gates, const std::string& gate, bool dflt) {
  auto it = gates.find(gate);
  return it == gates.end() ? dflt : it->second;
}

}  // namespace

std::optional<bool> ParseGoBool(const std::string& text, std::string* error) {
  if (text == "1" || text == "t" || text == "T" || text == "TRUE" || text == "true" ||
      text == "True") {
    return true;
  }
  if (text == "0" || text == "f" || text == "F" || text == "FALSE" || text == "false" ||
      text == "False") {
    return false;
  }
  if (error) *error = "strconv.ParseBool: parsing \"" + text + "\": invalid syntax";
  return std::nullopt;
}

std::optional<int> ParseGoInt(const std::string& text, std::string* error) {
  std::size_t i = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    i = 1;
  }
  if (i == text.size()) {
    if (error) *error = "strconv.Atoi: parsing \"" + text + "\": invalid syntax";
    return std::nullopt;
  }
  long long value = 0;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (error) *error = "strconv.Atoi: parsing \"" + text + "\": invalid syntax";
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
    if (value > std::numeric_limits<int>::max()) {
      if (error) *error = "strconv.Atoi: parsing \"" + text + "\": value out of range";
      return std::nullopt;
    }
  }
  return static_cast<int>(negative ? -value : value);
}

std::optional<TopologyPolicyName> ParseTopologyPolicyName(const std::string& name,
                                                          std::string* error) {
  if (name == "none" || name.empty()) return TopologyPolicyName::kNone;
  if (name == "best-effort") return TopologyPolicyName::kBestEffort;
  if (name == "restricted") return TopologyPolicyName::kRestricted;
  if (name == "single-numa-node") return TopologyPolicyName::kSingleNumaNode;
  if (error) *error = "unknown policy: \"" + name + "\"";
  return std::nullopt;
}

std::optional<TopologyScopeName> ParseTopologyScopeName(const std::string& name,
                                                        std::string* error) {
  if (name == "container" || name.empty()) return TopologyScopeName::kContainer;
  if (name == "pod") return TopologyScopeName::kPod;
  if (error) *error = "unknown scope: \"" + name + "\"";
  return std::nullopt;
}

std::string ToString(TopologyPolicyName policy) {
  switch (policy) {
    case TopologyPolicyName::kNone:
      return "none";
    case TopologyPolicyName::kBestEffort:
      return "best-effort";
    case TopologyPolicyName::kRestricted:
      return "restricted";
    case TopologyPolicyName::kSingleNumaNode:
      return "single-numa-node";
  }
  return "none";
}

std::string ToString(TopologyScopeName scope) {
  return scope == TopologyScopeName::kPod ? "pod" : "container";
}

std::optional<TopologyPolicyOptions> ParseTopologyPolicyOptions(
    const std::map<std::string, std::string>& options,
    const std::map<std::string, bool>& feature_gates, std::string* error) {
  TopologyPolicyOptions out;
  for (const auto& [name, value] : options) {
    auto maturity = OptionMaturity(name);
    if (!maturity) {
      if (error) *error = "unknown Topology Manager Policy option: \"" + name + "\"";
      return std::nullopt;
    }
    if (*maturity == Maturity::kAlpha &&
        !GateEnabled(feature_gates, "TopologyManagerPolicyAlphaOptions", false)) {
      if (error) {
        *error = "Topology Manager Policy Alpha-level Options not enabled, but option \"" + name +
                 "\" provided";
      }
      return std::nullopt;
    }
    if (*maturity == Maturity::kBeta &&
        !GateEnabled(feature_gates, "TopologyManagerPolicyBetaOptions", true)) {
      if (error) {
        *error = "Topology Manager Policy Beta-level Options not enabled, but option \"" + name +
                 "\" provided";
      }
      return std::nullopt;
    }
    std::string why;
    if (name == kPreferClosest) {
      auto v = ParseGoBool(value, &why);
      if (!v) {
        if (error) *error = "bad value for option \"" + name + "\": " + why;
        return std::nullopt;
      }
      out.prefer_closest_numa_nodes = *v;
    } else {
      auto v = ParseGoInt(value, &why);
      if (!v) {
        if (error) *error = "unable to convert policy option to integer \"" + name + "\": " + why;
        return std::nullopt;
      }
      if (*v < kDefaultMaxAllowableNumaNodes) {
        if (error) {
          *error = "the minimum value of \"" + name + "\" should not be less than " +
                   std::to_string(kDefaultMaxAllowableNumaNodes);
        }
        return std::nullopt;
      }
      out.max_allowable_numa_nodes = *v;
    }
  }
  return out;
}

}  // namespace numalign::numa
