#include "agent/pinning/cgroup_pinner.h"

#include "agent/cgroup/cgroup_discovery.h"
#include "numa/pod/pod_requests.h"

namespace numalign::agent {
namespace {

PinAttempt FromError(const cgroup::Error& error) {
  PinAttempt a;
  if (error.code == cgroup::ErrorCode::kNotFound) {
    a.pod_cgroup_missing = true;
  } else {
    a.error = error.ToString();
  }
  return a;
}

}  // namespace

PinAttempt FsCgroupPinner::Pin(const cgroup::PodPinning& pinning) {
  auto result = cgroup::PinPod(fs_, writer_, version_, pinning);
  if (!result) return FromError(result.error());
  PinAttempt a;
  a.ok = true;
  a.pending = result->pending;
  return a;
}

PinAttempt FsCgroupPinner::Reconcile(const cgroup::PodPinning& pinning) {
  auto result = cgroup::ReconcilePod(fs_, writer_, version_, pinning);
  if (!result) return FromError(result.error());
  PinAttempt a;
  a.ok = true;
  a.repaired = static_cast<int>(result->size());
  return a;
}

std::optional<numa::PinnedRecord> FsCgroupPinner::ReadPinned(const PodObservation& pod,
                                                             const std::string& node_name) {
  auto uid = cgroup::PodUid::Parse(pod.spec.uid);
  if (!uid) return std::nullopt;
  auto pod_cgroup = cgroup::DiscoverPodCgroup(fs_, version_, uid.value());
  if (!pod_cgroup) return std::nullopt;
  auto pod_sets = writer_.Read(pod_cgroup->path);
  if (!pod_sets || pod_sets->cpus.Empty() || pod_sets->mems.Empty()) return std::nullopt;
  numa::PinnedRecord record;
  record.node = node_name;
  record.pod_uid = pod.spec.uid;
  record.pod = {pod_sets->cpus.Ids(), pod_sets->mems.Ids()};
  const numa::PodRequests requests = numa::ComputePodRequests(pod.spec);
  for (const auto& c : requests.containers) {
    auto id = pod.container_ids.find(c.name);
    if (id == pod.container_ids.end()) continue;
    auto container = cgroup::DiscoverContainerCgroup(fs_, pod_cgroup.value(), id->second);
    if (!container) continue;
    auto sets = writer_.Read(container->path);
    if (!sets || sets->cpus.Empty() || sets->mems.Empty()) continue;
    // Exclusive exactly when the cgroup holds as many CPUs as the container's whole request: a
    // shared-pool container of a Guaranteed pod is fractional, so it cannot match.
    const bool exclusive = c.exclusive_cpus > 0 &&
                           static_cast<std::int64_t>(sets->cpus.Ids().size()) == c.exclusive_cpus;
    record.containers.push_back({c.name, {sets->cpus.Ids(), sets->mems.Ids()}, exclusive});
  }
  return record;
}

}  // namespace numalign::agent
