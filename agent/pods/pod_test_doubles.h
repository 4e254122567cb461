#pragma once

// Test doubles for the pod controller and its worker (tests only).

#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/allocation/test_node.h"
#include "agent/pinning/cgroup_pinner.h"
#include "agent/pods/pod_api.h"
#include "agent/pods/pod_controller.h"

namespace numalign::agent::testing {

inline std::string ContainerId(int n) {
  char id[80];
  std::snprintf(id, sizeof id, "containerd://%064d", n);
  return id;
}

// Records every pin in the shared log and keeps the last pinning per pod uid.
class FakePinner final : public CgroupPinner {
 public:
  explicit FakePinner(std::vector<std::string>* log) : log_(log) {}
  PinAttempt Pin(const cgroup::PodPinning& pinning) override {
    if (on_pin) on_pin(pinning.uid.str());
    log_->push_back("pin:" + pinning.uid.str());
    PinAttempt a;
    if (missing.count(pinning.uid.str())) {
      a.pod_cgroup_missing = true;
      return a;
    }
    last.insert_or_assign(pinning.uid.str(), pinning);
    a.ok = true;
    return a;
  }
  PinAttempt Reconcile(const cgroup::PodPinning& pinning) override {
    PinAttempt a;
    a.ok = true;
    a.repaired = drifted.erase(pinning.uid.str()) ? 1 : 0;
    return a;
  }
  std::optional<numa::PinnedRecord> ReadPinned(const PodObservation&, const std::string&) override {
    return std::nullopt;
  }
  std::map<std::string, cgroup::PodPinning> last;
  std::set<std::string> missing;
  std::set<std::string> drifted;
  std::function<void(const std::string& uid)> on_pin;  // runs first in Pin (e.g. to block)

 private:
  std::vector<std::string>* log_;
};

class FakeApi final : public PodApi {
 public:
  bool PatchAnnotations(const std::string&, const std::string& name, const std::string&,
                        const std::map<std::string, std::optional<std::string>>& changes,
                        std::string* error) override {
    if (down) {
      *error = "connection refused";
      return false;
    }
    for (const auto& [k, v] : changes) {
      if (v)
        annotations[name][k] = *v;
      else
        annotations[name].erase(k);
    }
    return true;
  }
  void RecordEvent(const std::string&, const std::string& name, const std::string&,
                   const std::string& type, const std::string& reason,
                   const std::string& message) override {
    events.push_back(name + " " + type + " " + reason + " " + message);
  }
  void RecordNodeEvent(const std::string& type, const std::string& reason,
                       const std::string&) override {
    events.push_back("node " + type + " " + reason);
  }
  bool down = false;
  std::map<std::string, std::map<std::string, std::string>> annotations;
  std::vector<std::string> events;
};

// A controller on the small test node with every double, sharing one ordered log.
struct Harness {
  std::vector<std::string> log;
  FakeCheckpointStore store{&log};
  AllocationEngine engine{MakeAdmitter(), {kNode}, store};
  FakePinner pinner{&log};
  FakeApi api;
  NodeStateHub hub;
  AgentMetrics metrics;
  PodController controller{engine, pinner, api, hub, metrics, kNode};
};

// The pod with its container "app" started (a container id in its status).
inline PodObservation Started(PodObservation pod, int id) {
  pod.container_ids["app"] = ContainerId(id);
  return pod;
}

}  // namespace numalign::agent::testing
