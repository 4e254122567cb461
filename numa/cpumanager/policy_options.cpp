#include "numa/cpumanager/policy_options.h"

#include <array>
#include <string_view>

namespace numalign::numa {
namespace {

enum class Maturity { kAlpha, kBeta };

struct KnownOption {
  std::string_view name;
  Maturity maturity;
  bool StaticPolicyOptions::*field;
};

constexpr std::array<KnownOption, 6> kKnownOptions = {{
    {"full-pcpus-only", Maturity::kBeta, &StaticPolicyOptions::full_pcpus_only},
    {"distribute-cpus-across-numa", Maturity::kAlpha,
     &StaticPolicyOptions::distribute_cpus_across_numa},
    {"align-by-socket", Maturity::kAlpha, &StaticPolicyOptions::align_by_socket},
    {"distribute-cpus-across-cores", Maturity::kAlpha,
     &StaticPolicyOptions::distribute_cpus_across_cores},
    {"strict-cpu-reservation", Maturity::kAlpha, &StaticPolicyOptions::strict_cpu_reservation},
    {"prefer-align-cpus-by-uncorecache", Maturity::kAlpha,
     &StaticPolicyOptions::prefer_align_cpus_by_uncorecache},
}};

bool GateEnabled(const std::map<std::string, bool>& gates, const std::string& name,
                 bool default_value) {
  const auto it = gates.find(name);
  return it == gates.end() ? default_value : it->second;
}

// Go's strconv.ParseBool.
std::optional<bool> ParseGoBool(const std::string& value) {
  if (value == "1" || value == "t" || value == "T" || value == "TRUE" || value == "true" ||
      value == "True") {
    return true;
  }
  if (value == "0" || value == "f" || value == "F" || value == "FALSE" || value == "false" ||
      value == "False") {
    return false;
  }
  return std::nullopt;
}

std::string Quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

}  // namespace

std::optional<StaticPolicyOptions> ParseStaticPolicyOptions(
    const std::map<std::string, std::string>& options,
    const std::map<std::string, bool>& feature_gates, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<StaticPolicyOptions> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  StaticPolicyOptions parsed;
  for (const auto& [name, value] : options) {
    const KnownOption* known = nullptr;
    for (const KnownOption& option : kKnownOptions) {
      if (option.name == name) known = &option;
    }
    if (known == nullptr) return fail("unknown CPU Manager Policy option: " + Quoted(name));
    if (known->maturity == Maturity::kAlpha &&
        !GateEnabled(feature_gates, "CPUManagerPolicyAlphaOptions", false)) {
      return fail("CPU Manager Policy Alpha-level Options not enabled, but option " + Quoted(name) +
                  " provided");
    }
    if (known->maturity == Maturity::kBeta &&
        !GateEnabled(feature_gates, "CPUManagerPolicyBetaOptions", true)) {
      return fail("CPU Manager Policy Beta-level Options not enabled, but option " + Quoted(name) +
                  " provided");
    }
    const std::optional<bool> flag = ParseGoBool(value);
    if (!flag) {
      return fail("bad value for option " + Quoted(name) + ": strconv.ParseBool: parsing " +
                  Quoted(value) + ": invalid syntax");
    }
    parsed.*(known->field) = *flag;
  }

  auto incompatible = [&](std::string_view a, std::string_view b) {
    return fail("static policy options " + std::string(a) + " and " + std::string(b) +
                " can not be used at the same time");
  };
  if (parsed.full_pcpus_only && parsed.distribute_cpus_across_cores) {
    return incompatible("full-pcpus-only", "distribute-cpus-across-cores");
  }
  if (parsed.distribute_cpus_across_numa && parsed.distribute_cpus_across_cores) {
    return incompatible("distribute-cpus-across-numa", "distribute-cpus-across-cores");
  }
  if (parsed.prefer_align_cpus_by_uncorecache && parsed.distribute_cpus_across_cores) {
    return incompatible("prefer-align-cpus-by-uncorecache", "distribute-cpus-across-cores");
  }
  if (parsed.prefer_align_cpus_by_uncorecache && parsed.distribute_cpus_across_numa) {
    return incompatible("prefer-align-cpus-by-uncorecache", "distribute-cpus-across-numa");
  }
  return parsed;
}

std::optional<std::string> ValidateStaticPolicyOptions(const StaticPolicyOptions& options,
                                                       int num_sockets, int num_numa_nodes,
                                                       const std::string& topology_manager_policy) {
  if (!options.align_by_socket) return std::nullopt;
  // Both texts are the kubelet's, typo included (the first names the policy and the option).
  if (topology_manager_policy == "single-numa-node") {
    return "Topolgy manager single-numa-node policy is incompatible with CPUManager "
           "align-by-socket policy option";
  }
  if (num_sockets > num_numa_nodes) {
    return "Align by socket is not compatible with hardware where number of sockets are more "
           "than number of NUMA";
  }
  return std::nullopt;
}

}  // namespace numalign::numa
