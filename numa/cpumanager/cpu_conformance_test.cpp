// Replays the kubelet's own admission vectors (../shared/conformance/kubelet-admission.jsonl)
// through the CPU Manager alone, to check it against the real kubelet before the admission
// pipeline exists. What can be isolated from the other managers is checked:
//  - CPU hints of every container (container scope) or pod (pod scope): the vectors record them;
//  - the exclusive CPU ids of every admitted container, allocating with the Topology Manager's
//    recorded best hint (no hint under policy `none`, where ids are pure takeByTopology results);
//  - SMTAlignmentError and CPU-caused UnexpectedAdmissionError rejections, message included.
// Steps rejected by the memory manager are replayed but not checked (which container failed is
// not recorded). Rejected pods are released, as the kubelet's stale-state cleanup does next.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "numa/cpumanager/static_policy.h"

namespace numalign::numa {
namespace {

using nlohmann::json;

std::filesystem::path VectorsPath() {
  std::string shared = NUMALIGN_SHARED_DIR;
  if (const char* env = std::getenv("NUMALIGN_SHARED"); env != nullptr && *env != '\0') {
    shared = env;
  }
  return std::filesystem::path(shared) / "conformance" / "kubelet-admission.jsonl";
}

// A Kubernetes quantity in thousandths of its unit ("1500m" -> 1500, "2Gi" -> 2147483648000).
std::optional<std::int64_t> Thousandths(const std::string& text) {
  std::size_t i = 0;
  std::int64_t mantissa = 0;
  int fraction_digits = 0;
  bool seen_dot = false;
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      mantissa = mantissa * 10 + (c - '0');
      any_digit = true;
      if (seen_dot) ++fraction_digits;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!any_digit) return std::nullopt;
  const std::string suffix = text.substr(i);
  static const std::map<std::string, std::int64_t> kMultipliers = {
      {"", 1000},
      {"m", 1},
      {"k", std::int64_t{1000} * 1000},
      {"M", std::int64_t{1000} * 1000 * 1000},
      {"G", std::int64_t{1000} * 1000 * 1000 * 1000},
      {"T", std::int64_t{1000} * 1000 * 1000 * 1000 * 1000},
      {"Ki", std::int64_t{1024} * 1000},
      {"Mi", std::int64_t{1024} * 1024 * 1000},
      {"Gi", std::int64_t{1024} * 1024 * 1024 * 1000},
      {"Ti", std::int64_t{1024} * 1024 * 1024 * 1024 * 1000},
  };
  const auto it = kMultipliers.find(suffix);
  if (it == kMultipliers.end()) return std::nullopt;
  std::int64_t value = mantissa * it->second;
  for (int d = 0; d < fraction_digits; ++d) value /= 10;
  return value;
}

std::int64_t QuantityOr0(const json& list, const char* name) {
  if (!list.is_object() || !list.contains(name)) return 0;
  return Thousandths(list[name].get<std::string>()).value_or(0);
}

struct PodContainer {
  std::string name;
  ContainerKind kind = ContainerKind::kApp;
  json resources;
};

std::vector<PodContainer> ContainersOf(const json& pod) {
  std::vector<PodContainer> out;
  const json& spec = pod["spec"];
  if (spec.contains("initContainers")) {
    for (const json& c : spec["initContainers"]) {
      const bool sidecar = c.value("restartPolicy", "") == "Always";
      out.push_back({c["name"], sidecar ? ContainerKind::kRestartableInit : ContainerKind::kInit,
                     c.value("resources", json::object())});
    }
  }
  for (const json& c : spec["containers"]) {
    out.push_back({c["name"], ContainerKind::kApp, c.value("resources", json::object())});
  }
  return out;
}

// The kubelet's ComputePodQOS, restricted to what decides "Guaranteed".
bool IsGuaranteed(const std::vector<PodContainer>& containers) {
  std::map<std::string, std::int64_t> requests, limits;
  bool guaranteed = true;
  for (const PodContainer& c : containers) {
    std::map<std::string, bool> limit_found;
    for (const char* resource : {"cpu", "memory"}) {
      const std::int64_t request =
          QuantityOr0(c.resources.value("requests", json::object()), resource);
      const std::int64_t limit = QuantityOr0(c.resources.value("limits", json::object()), resource);
      if (request > 0) requests[resource] += request;
      if (limit > 0) {
        limits[resource] += limit;
        limit_found[resource] = true;
      }
    }
    if (!limit_found["cpu"] || !limit_found["memory"]) guaranteed = false;
  }
  if (requests.empty() && limits.empty()) return false;
  for (const auto& [resource, request] : requests) {
    const auto it = limits.find(resource);
    if (it == limits.end() || it->second != request) guaranteed = false;
  }
  return guaranteed && requests.size() == limits.size();
}

// The kubelet's guaranteedCPUs.
std::int64_t ExclusiveCpus(bool guaranteed, const PodContainer& c) {
  if (!guaranteed) return 0;
  const std::int64_t milli = QuantityOr0(c.resources.value("requests", json::object()), "cpu");
  if (milli % 1000 != 0) return 0;
  return static_cast<std::int64_t>(milli / 1000);
}

Machine MachineOf(const json& machine_json) {
  Machine machine;
  for (const json& node : machine_json["numaNodes"]) {
    NumaNodeInfo info;
    info.id = node["id"];
    for (const json& cpu : node["cpus"]) {
      info.cpus.push_back(cpu["id"]);
      machine.cpus.push_back({cpu["id"], cpu["core"], cpu["socket"], info.id});
    }
    std::sort(info.cpus.begin(), info.cpus.end());
    machine.numa_nodes.push_back(info);
  }
  std::sort(machine.numa_nodes.begin(), machine.numa_nodes.end(),
            [](const NumaNodeInfo& a, const NumaNodeInfo& b) { return a.id < b.id; });
  std::sort(machine.cpus.begin(), machine.cpus.end(),
            [](const LogicalCpu& a, const LogicalCpu& b) { return a.id < b.id; });
  return machine;
}

CpuManagerConfig ConfigOf(const json& kubelet) {
  CpuManagerConfig config;
  if (kubelet.contains("reservedSystemCPUs")) {
    config.reserved_system_cpus = kubelet["reservedSystemCPUs"].get<std::string>();
  }
  for (const char* key : {"systemReserved", "kubeReserved"}) {
    if (kubelet.contains(key) && kubelet[key].contains("cpu")) {
      config.reserved_millicpus += static_cast<std::int64_t>(
          Thousandths(kubelet[key]["cpu"].get<std::string>()).value_or(0));
    }
  }
  if (kubelet.contains("cpuManagerPolicyOptions")) {
    for (const auto& [name, value] : kubelet["cpuManagerPolicyOptions"].items()) {
      config.options[name] = value.get<std::string>();
    }
  }
  if (kubelet.contains("featureGates")) {
    for (const auto& [name, value] : kubelet["featureGates"].items()) {
      config.feature_gates[name] = value.get<bool>();
    }
  }
  config.topology_manager_policy = kubelet.value("topologyManagerPolicy", "none");
  return config;
}

// "0,1*" style, sorted, to compare with the vectors' hint lists.
std::vector<std::string> HintStrings(const NumaIdMap& ids, const std::vector<TopologyHint>& hints) {
  std::vector<std::string> out;
  for (const TopologyHint& hint : hints) {
    std::string text;
    if (!hint.affinity) {
      text = "any";
    } else {
      for (int id : ids.IdsOf(*hint.affinity))
        text += (text.empty() ? "" : ",") + std::to_string(id);
    }
    if (hint.preferred) text += "*";
    out.push_back(text);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Compares our provider answer with the vectors' record ("cpu" absent = no keys).
bool HintsMatch(const NumaIdMap& ids, const ProviderHints& ours, const json& entry,
                std::string* diff) {
  if (!entry.contains("cpu")) {
    if (ours.by_resource.empty()) return true;
    *diff = "expected no cpu hints";
    return false;
  }
  const json& expected_map = entry["cpu"];
  if (!expected_map.contains("cpu") || expected_map["cpu"].is_null()) {
    const auto it = ours.by_resource.find("cpu");
    if (it != ours.by_resource.end() && !it->second) return true;
    *diff = "expected a nil cpu hint list";
    return false;
  }
  std::vector<std::string> expected;
  for (const json& h : expected_map["cpu"]) expected.push_back(h.get<std::string>());
  std::sort(expected.begin(), expected.end());
  const auto it = ours.by_resource.find("cpu");
  if (it == ours.by_resource.end() || !it->second) {
    *diff = "expected cpu hints, got none";
    return false;
  }
  const std::vector<std::string> got = HintStrings(ids, *it->second);
  if (got == expected) return true;
  std::ostringstream out;
  out << "cpu hints: expected " << json(expected).dump() << " got " << json(got).dump();
  *diff = out.str();
  return false;
}

std::optional<NumaMask> BestHintMask(const NumaIdMap& ids, const json& entry) {
  std::string best = entry.value("best", "any");
  if (!best.empty() && best.back() == '*') best.pop_back();
  if (best == "any") return std::nullopt;
  std::vector<int> numas;
  std::stringstream stream(best);
  for (std::string part; std::getline(stream, part, ',');) numas.push_back(std::stoi(part));
  return ids.MaskOfIds(numas);
}

struct Tally {
  int cases = 0, cases_matched = 0, cases_unusable = 0, cases_unrecorded = 0;
  int steps_checked = 0, steps_matched = 0, steps_unchecked = 0;
  int hints_checked = 0, hints_matched = 0;
};

struct CaseResult {
  bool usable = true;
  bool recorded = true;  // false: the vectors lack the Topology Manager hints this case needs
  bool matched = true;
  std::vector<std::string> diffs;
};

CaseResult ReplayCase(const json& tc, Tally& tally) {
  CaseResult result;
  const json& kubelet = tc["node"]["kubelet"];
  const Machine machine = MachineOf(tc["node"]["machine"]);
  std::string error;
  const auto ids = NumaIdMap::Create(machine.node_ids(), &error);
  if (!ids) {
    result.usable = false;
    result.diffs.push_back("numa id map: " + error);
    return result;
  }
  auto policy = StaticCpuPolicy::Create(machine, *ids, ConfigOf(kubelet), &error);
  if (!policy) {
    result.usable = false;
    result.diffs.push_back("policy: " + error);
    return result;
  }
  const std::string tm_policy = kubelet.value("topologyManagerPolicy", "none");
  const bool pod_scope = kubelet.value("topologyManagerScope", "container") == "pod";
  std::map<std::string, std::string> uid_by_name;

  std::size_t admit_index = 0;
  for (const json& step : tc["steps"]) {
    if (step["op"] == "remove") {
      const auto it = uid_by_name.find(step["pod"].get<std::string>());
      if (it != uid_by_name.end()) policy->RemovePod(it->second);
      continue;
    }
    const json& pod = step["pod"];
    const json& expect = tc["expect"][admit_index++];
    const std::string name = pod["metadata"].value("namespace", "default") + "/" +
                             pod["metadata"]["name"].get<std::string>();
    const std::string uid = pod["metadata"].value("uid", name);
    uid_by_name[name] = uid;
    const std::vector<PodContainer> containers = ContainersOf(pod);
    const bool guaranteed = IsGuaranteed(containers);
    const bool admitted = expect["admit"].get<bool>();
    const std::string reason = expect.value("reason", "");
    const std::string message = expect.value("message", "");
    const bool memory_rejection = message.find("[memorymanager]") != std::string::npos;
    if (tm_policy != "none" && !expect.contains("hints")) {
      // Without the recorded best hint the allocation cannot be isolated from the Topology
      // Manager; the rest of the case depends on it.
      result.recorded = false;
      return result;
    }
    const json hints = expect.value("hints", json::array());
    auto note = [&](const std::string& what) {
      result.matched = false;
      result.diffs.push_back(name + ": " + what);
    };
    bool step_ok = true;

    std::vector<ContainerCpuRequest> requests;
    for (const PodContainer& c : containers) {
      requests.push_back({c.name, c.kind, ExclusiveCpus(guaranteed, c)});
    }

    std::optional<CpuAllocationError> failure;
    if (tm_policy == "none") {
      for (const ContainerCpuRequest& r : requests) {
        failure = policy->Allocate(uid, r.name, r.kind, r.exclusive_cpus, std::nullopt);
        if (failure) break;
      }
    } else if (pod_scope) {
      if (!hints.empty()) {
        std::string diff;
        ++tally.hints_checked;
        if (HintsMatch(*ids, policy->PodHints(uid, requests, PodExclusiveCpus(requests)), hints[0],
                       &diff)) {
          ++tally.hints_matched;
        } else {
          step_ok = false;
          note(diff);
        }
      }
      if (reason != "TopologyAffinityError") {
        const std::optional<NumaMask> best =
            hints.empty() ? std::nullopt : BestHintMask(*ids, hints[0]);
        for (const ContainerCpuRequest& r : requests) {
          failure = policy->Allocate(uid, r.name, r.kind, r.exclusive_cpus, best);
          if (failure) break;
        }
      }
    } else {
      for (std::size_t i = 0; i < requests.size(); ++i) {
        const ContainerCpuRequest& r = requests[i];
        const json* entry = nullptr;
        for (const json& h : hints) {
          if (h.value("container", "") == r.name) entry = &h;
        }
        if (entry == nullptr) break;  // the kubelet stopped before this container
        std::string diff;
        ++tally.hints_checked;
        if (HintsMatch(*ids, policy->ContainerHints(uid, r.name, r.exclusive_cpus), *entry,
                       &diff)) {
          ++tally.hints_matched;
        } else {
          step_ok = false;
          note(r.name + " " + diff);
        }
        const bool last_recorded = &hints.back() == entry;
        if (last_recorded && reason == "TopologyAffinityError") break;
        failure =
            policy->Allocate(uid, r.name, r.kind, r.exclusive_cpus, BestHintMask(*ids, *entry));
        if (failure) break;
      }
    }

    if (memory_rejection) {
      ++tally.steps_unchecked;
    } else if (admitted) {
      if (failure) {
        step_ok = false;
        note("expected admission, got " + failure->reason + ": " + failure->message);
      } else {
        const json expected_containers = expect.value("containers", json::object());
        for (const ContainerCpuRequest& r : requests) {
          std::vector<int> expected;
          if (expected_containers.contains(r.name) &&
              expected_containers[r.name].contains("cpus")) {
            expected = expected_containers[r.name]["cpus"].get<std::vector<int>>();
          }
          const std::vector<int> got = policy->Assigned(uid, r.name).ToVector();
          if (got != expected) {
            step_ok = false;
            note(r.name + " cpus: expected " + json(expected).dump() + " got " + json(got).dump());
          }
        }
      }
      ++tally.steps_checked;
      if (step_ok) ++tally.steps_matched;
    } else {
      if (reason == "TopologyAffinityError") {
        if (failure) {
          step_ok = false;
          note("expected TopologyAffinityError, got " + failure->reason + ": " + failure->message);
        }
      } else if (!failure || failure->reason != reason || failure->message != message) {
        step_ok = false;
        note("expected " + reason + ": " + message + ", got " +
             (failure ? failure->reason + ": " + failure->message : std::string("admission")));
      }
      ++tally.steps_checked;
      if (step_ok) ++tally.steps_matched;
    }
    if (!admitted) policy->RemovePod(uid);  // the kubelet's stale-state cleanup
  }
  return result;
}

TEST(CpuConformance, ReplaysKubeletAdmissionVectors) {
  const std::filesystem::path path = VectorsPath();
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "conformance vectors not found at " << path
                         << " (set NUMALIGN_SHARED to the shared/ directory)";

  Tally all, isolated;  // isolated: Topology Manager policy `none` (no hint at all)
  int printed = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const json tc = json::parse(line);
    const bool tm_none = tc["node"]["kubelet"].value("topologyManagerPolicy", "none") == "none";
    Tally& group = tm_none ? isolated : all;
    const CaseResult r = ReplayCase(tc, group);
    ++group.cases;
    if (!r.usable) ++group.cases_unusable;
    if (!r.recorded) ++group.cases_unrecorded;
    if (r.usable && r.recorded && r.matched) ++group.cases_matched;
    if ((!r.usable || !r.matched) && printed < 25) {
      ++printed;
      std::cout << "MISMATCH " << tc["id"].get<std::string>() << " [" << tc.value("note", "")
                << "]\n";
      for (std::size_t i = 0; i < r.diffs.size() && i < 4; ++i) {
        std::cout << "    " << r.diffs[i] << "\n";
      }
    }
  }
  auto report = [](const char* label, const Tally& t) {
    const int replayable = t.cases - t.cases_unusable - t.cases_unrecorded;
    std::cout << label << ": cases " << t.cases_matched << "/" << replayable
              << " fully matched (of " << t.cases << "; " << t.cases_unrecorded
              << " lack recorded hints, " << t.cases_unusable << " could not start); steps "
              << t.steps_matched << "/" << t.steps_checked << " matched, " << t.steps_unchecked
              << " memory-manager rejections not checked; hints " << t.hints_matched << "/"
              << t.hints_checked << "\n";
  };

  report("TM policy none (CPU ids are pure takeByTopology)", isolated);
  report("TM policies best-effort/restricted/single-numa-node (recorded best hint)", all);
  EXPECT_EQ(isolated.cases_unusable, 0);
  EXPECT_EQ(all.cases_unusable, 0);
  EXPECT_EQ(isolated.cases_matched, isolated.cases - isolated.cases_unrecorded);
  EXPECT_EQ(all.cases_matched, all.cases - all.cases_unrecorded);
  EXPECT_EQ(all.hints_matched, all.hints_checked);
}

}  // namespace
}  // namespace numalign::numa
