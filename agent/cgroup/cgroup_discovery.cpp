#include "agent/cgroup/cgroup_discovery.h"

#include <fmt/format.h>

#include <array>
#include <vector>

namespace numalign::agent::cgroup {
namespace {

constexpr std::array<QosClass, 3> kAllQos{QosClass::kGuaranteed, QosClass::kBurstable,
                                          QosClass::kBestEffort};
constexpr std::array<CgroupDriver, 2> kDrivers{CgroupDriver::kSystemd, CgroupDriver::kCgroupfs};
constexpr std::array<ContainerRuntime, 3> kRuntimes{
    ContainerRuntime::kContainerd, ContainerRuntime::kCrio, ContainerRuntime::kDocker};

std::string JoinCandidates(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& path : paths) out += (out.empty() ? "" : ", ") + path;
  return out;
}

// An entry that names the container but not as one of the known runtimes' patterns.
bool NamesContainer(std::string_view entry, std::string_view id) {
  if (entry.starts_with("crio-conmon-")) return false;  // CRI-O's monitor, not the container
  if (entry == id) return true;
  if (entry.ends_with(".scope")) entry.remove_suffix(6);
  return entry.size() > id.size() && entry.ends_with(id) &&
         entry[entry.size() - id.size() - 1] == '-';
}

}  // namespace

Result<PodCgroup> DiscoverPodCgroup(const Filesystem& fs, CgroupVersion version, const PodUid& uid,
                                    std::optional<QosClass> qos) {
  std::vector<PodCgroup> found;
  std::vector<std::string> probed;
  for (CgroupDriver driver : kDrivers) {
    const CgroupLayout layout(version, driver);
    for (QosClass candidate : kAllQos) {
      if (qos && *qos != candidate) continue;
      std::string path = layout.PodPath(candidate, uid);
      if (fs.IsDirectory(path)) found.push_back({layout, candidate, path});
      probed.push_back(std::move(path));
    }
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    return Error{
        ErrorCode::kNotFound, "",
        fmt::format("no cgroup for pod {} (probed {})", uid.str(), JoinCandidates(probed))};
  }
  std::vector<std::string> paths;
  for (const PodCgroup& pod : found) paths.push_back(pod.path);
  return Error{ErrorCode::kAmbiguous, "",
               fmt::format("several cgroups for pod {}: {}", uid.str(), JoinCandidates(paths))};
}

Result<ContainerCgroup> DiscoverContainerCgroup(const Filesystem& fs, const PodCgroup& pod,
                                                std::string_view container_id) {
  std::vector<ContainerRuntime> runtimes(kRuntimes.begin(), kRuntimes.end());
  std::string id(container_id);
  if (container_id.find("://") != std::string_view::npos) {
    auto ref = ContainerRef::ParseStatusId(container_id);
    if (!ref) return ref.error();
    runtimes = {ref->runtime()};
    id = ref->id();
  } else if (!ContainerRef::IsValidId(container_id)) {
    return Error{ErrorCode::kInvalidArgument, pod.path,
                 fmt::format("invalid container id \"{}\": expected 64 lowercase hex digits, "
                             "optionally after containerd://, cri-o:// or docker://",
                             container_id.substr(0, 80))};
  }

  std::vector<ContainerCgroup> found;
  for (ContainerRuntime runtime : runtimes) {
    const ContainerRef ref = ContainerRef::Create(runtime, id).value();
    const std::string leaf = pod.layout.ContainerLeaf(ref);
    const std::string path = JoinPath(pod.path, leaf);
    const bool named_by_runtime =
        pod.layout.driver() == CgroupDriver::kSystemd || runtime == ContainerRuntime::kCrio;
    if (!fs.IsDirectory(path)) continue;
    bool seen = false;
    for (const ContainerCgroup& c : found) seen = seen || c.path == path;
    if (!seen) {
      found.push_back({id, named_by_runtime ? std::optional(runtime) : std::nullopt, path});
    }
  }
  if (found.empty()) {
    // Way 3 of the design notes: any entry carrying the id, whatever prefix the runtime uses.
    auto entries = fs.ListDirectory(pod.path);
    if (!entries) return entries.error();
    for (const std::string& entry : *entries) {
      const std::string path = JoinPath(pod.path, entry);
      if (NamesContainer(entry, id) && fs.IsDirectory(path)) {
        found.push_back({id, std::nullopt, path});
      }
    }
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    return Error{ErrorCode::kNotFound, pod.path,
                 fmt::format("no cgroup for container {} in the pod cgroup", id)};
  }
  std::vector<std::string> paths;
  for (const ContainerCgroup& c : found) paths.push_back(c.path);
  return Error{ErrorCode::kAmbiguous, pod.path,
               fmt::format("several cgroups for container {}: {}", id, JoinCandidates(paths))};
}

}  // namespace numalign::agent::cgroup
