#include "agent/pinning/pod_pinning_plan.h"

#include <set>

#include "numa/pod/pod_requests.h"

namespace numalign::agent {
namespace {

std::vector<int> Union(const std::vector<int>& a, const std::vector<int>& b) {
  std::set<int> s(a.begin(), a.end());
  s.insert(b.begin(), b.end());
  return {s.begin(), s.end()};
}

cgroup::QosClass ToCgroupQos(numa::QosClass qos) {
  switch (qos) {
    case numa::QosClass::kGuaranteed:
      return cgroup::QosClass::kGuaranteed;
    case numa::QosClass::kBurstable:
      return cgroup::QosClass::kBurstable;
    case numa::QosClass::kBestEffort:
      return cgroup::QosClass::kBestEffort;
  }
  return cgroup::QosClass::kBestEffort;
}

}  // namespace

PodPinningPlan PlanPodPinning(const AllocationEngine& engine, const PodObservation& pod,
                              const std::string& node_name) {
  const numa::PodRequests requests = numa::ComputePodRequests(pod.spec);
  PodPinningPlan plan;
  plan.uid = pod.spec.uid;
  plan.qos = requests.qos;
  plan.record.node = node_name;
  plan.record.pod_uid = pod.spec.uid;
  const std::vector<int> shared = engine.SharedPool();
  const std::vector<int> all_nodes = engine.AllNumaIds();
  for (const auto& c : requests.containers) {
    numa::PinnedContainer pinned;
    pinned.name = c.name;
    pinned.sets.cpus = engine.ExclusiveCpus(pod.spec.uid, c.name);
    pinned.exclusive = !pinned.sets.cpus.empty();
    if (!pinned.exclusive) {
      pinned.sets.cpus = shared;
      plan.uses_shared_pool = true;
    }
    for (const auto& [resource, ids] : engine.MemoryNuma(pod.spec.uid, c.name)) {
      pinned.sets.mems = Union(pinned.sets.mems, ids);
    }
    if (pinned.sets.mems.empty()) pinned.sets.mems = all_nodes;
    plan.record.pod.cpus = Union(plan.record.pod.cpus, pinned.sets.cpus);
    plan.record.pod.mems = Union(plan.record.pod.mems, pinned.sets.mems);
    plan.record.containers.push_back(std::move(pinned));
  }
  if (plan.record.containers.empty()) {
    plan.record.pod = {shared, all_nodes};
    plan.uses_shared_pool = true;
  }
  return plan;
}

cgroup::Result<cgroup::PodPinning> ToCgroupPinning(const PodPinningPlan& plan,
                                                   const PodObservation& pod,
                                                   std::vector<std::string>* skipped) {
  auto uid = cgroup::PodUid::Parse(plan.uid);
  if (!uid) return uid.error();
  cgroup::PodPinning pinning{uid.value(),
                             ToCgroupQos(plan.qos),
                             cgroup::Cpuset{cgroup::IdList::Of(plan.record.pod.cpus),
                                            cgroup::IdList::Of(plan.record.pod.mems)},
                             {}};
  for (const auto& c : plan.record.containers) {
    auto it = pod.container_ids.find(c.name);
    if (it == pod.container_ids.end() || it->second.empty()) continue;  // not started yet
    auto ref = cgroup::ContainerRef::ParseStatusId(it->second);
    if (!ref) {
      if (skipped) skipped->push_back(c.name + ": " + ref.error().ToString());
      continue;
    }
    pinning.containers.push_back({it->second, cgroup::Cpuset{cgroup::IdList::Of(c.sets.cpus),
                                                             cgroup::IdList::Of(c.sets.mems)}});
  }
  return pinning;
}

}  // namespace numalign::agent
