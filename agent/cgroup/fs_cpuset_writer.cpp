#include "agent/cgroup/fs_cpuset_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace numalign::agent::cgroup {
namespace {

std::size_t Depth(const std::string& path) {
  return path.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

FsCpusetWriter::FsCpusetWriter(Filesystem& fs, CgroupVersion version)
    : fs_(fs), version_(version), files_(CpusetFilesFor(version)) {}

Status FsCpusetWriter::CheckCpusetFiles(const std::string& cgroup) const {
  if (auto parts = SplitRelativePath(cgroup); !parts) return parts.error();
  if (!fs_.IsDirectory(cgroup)) {
    return Error{ErrorCode::kNotFound, cgroup, "the cgroup does not exist (yet)"};
  }
  if (fs_.Exists(JoinPath(cgroup, files_.cpus)) && fs_.Exists(JoinPath(cgroup, files_.mems))) {
    return {};
  }
  if (version_ == CgroupVersion::kV1) {
    return Error{ErrorCode::kNotFound, cgroup,
                 "no cpuset.cpus / cpuset.mems: is this below the cpuset controller's mount?"};
  }
  const std::string parent = ParentPath(cgroup);
  const std::string subtree_control = JoinPath(parent, "cgroup.subtree_control");
  auto enabled = fs_.ReadFile(subtree_control);
  const std::string shown = enabled ? Trimmed(*enabled) : std::string("unreadable");
  return Error{ErrorCode::kControllerNotEnabled, cgroup,
               fmt::format("the cpuset controller is not enabled for this cgroup: {} holds \"{}\" "
                           "without cpuset (enable it with: echo +cpuset > {})",
                           subtree_control, shown, subtree_control)};
}

Result<IdList> FsCpusetWriter::ReadList(const std::string& path) const {
  auto text = fs_.ReadFile(path);
  if (!text) return text.error();
  auto list = IdList::Parse(*text);
  if (!list) {
    Error error = list.error();
    error.path = path;
    return error;
  }
  return list;
}

Error FsCpusetWriter::ExplainWriteError(Error error) const {
  const bool v1 = version_ == CgroupVersion::kV1;
  switch (error.code) {
    case ErrorCode::kPermissionDenied:
      if (v1) error.message += " (v1: a cpuset must stay within its parent's; or no privilege)";
      break;
    case ErrorCode::kBusy:
      error.message += " (a child cgroup still uses CPUs or nodes outside the new set)";
      break;
    case ErrorCode::kInvalidValue:
      error.message += " (a CPU or NUMA node that is offline, absent, or not in the parent)";
      break;
    case ErrorCode::kNoSpace:
      if (v1) error.message += " (v1: the cpuset would be empty while the cgroup has tasks)";
      break;
    default:
      break;
  }
  return error;
}

Status FsCpusetWriter::WriteIfDifferent(const std::string& path, const IdList& value) {
  auto current = ReadList(path);
  if (!current) return current.error();
  return WriteList(path, *current, value);
}

Status FsCpusetWriter::WriteList(const std::string& path, const IdList& current,
                                 const IdList& value) {
  if (current == value) return {};
  const std::string text = value.Format();
  if (auto written = fs_.WriteFile(path, text); !written) return ExplainWriteError(written.error());
  auto now = ReadList(path);
  if (!now) return now.error();
  if (*now != value) {
    return Error{ErrorCode::kKernelRejected, path,
                 fmt::format("wrote \"{}\" but the file now holds \"{}\"", text, now->Format())};
  }
  return {};
}

Status FsCpusetWriter::Apply(const std::vector<CpusetTarget>& targets) {
  std::set<std::string> seen;
  for (const CpusetTarget& target : targets) {
    if (target.desired.cpus.Empty() || target.desired.mems.Empty()) {
      return Error{ErrorCode::kInvalidArgument, target.cgroup,
                   "refusing an empty cpuset: empty means \"inherit all\" on v2 and is invalid "
                   "with tasks on v1"};
    }
    if (!seen.insert(target.cgroup).second) {
      return Error{ErrorCode::kInvalidArgument, target.cgroup, "cgroup listed twice"};
    }
    if (auto ok = CheckCpusetFiles(target.cgroup); !ok) return ok;
  }

  std::vector<const CpusetTarget*> ordered;
  for (const CpusetTarget& target : targets) ordered.push_back(&target);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return Depth(a->cgroup) < Depth(b->cgroup);
  });

  // Pass 1, parents first: grow to current ∪ desired.
  for (const CpusetTarget* target : ordered) {
    for (auto [file, want] : {std::pair{files_.mems, &target->desired.mems},
                              std::pair{files_.cpus, &target->desired.cpus}}) {
      const std::string path = JoinPath(target->cgroup, file);
      auto current = ReadList(path);
      if (!current) return current.error();
      if (auto ok = WriteList(path, *current, current->Union(*want)); !ok) return ok;
    }
  }
  // Pass 2, children first: shrink to desired.
  for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
    const CpusetTarget* target = *it;
    for (auto [file, want] : {std::pair{files_.mems, &target->desired.mems},
                              std::pair{files_.cpus, &target->desired.cpus}}) {
      if (version_ == CgroupVersion::kV1) {
        if (auto ok = ClampUntargetedChildren(target->cgroup, file, *want, seen); !ok) return ok;
      }
      if (auto ok = WriteIfDifferent(JoinPath(target->cgroup, file), *want); !ok) return ok;
    }
  }
  return {};
}

Status FsCpusetWriter::ClampUntargetedChildren(const std::string& cgroup, std::string_view file,
                                               const IdList& value,
                                               const std::set<std::string>& targets) {
  auto children = fs_.ListDirectory(cgroup);
  if (!children) return children.error();
  for (const std::string& name : *children) {
    const std::string child = JoinPath(cgroup, name);
    const std::string path = JoinPath(child, file);
    // Targets are handled (deeper ones first) by Apply itself.
    if (targets.contains(child) || !fs_.IsDirectory(child) || !fs_.Exists(path)) continue;
    auto current = ReadList(path);
    if (!current) return current.error();
    if (current->IsSubsetOf(value)) continue;
    IdList clamped = current->Intersection(value);
    if (clamped.Empty()) clamped = value;
    if (auto ok = ClampUntargetedChildren(child, file, clamped, targets); !ok) return ok;
    if (auto ok = WriteList(path, *current, clamped); !ok) return ok;
  }
  return {};
}

Result<CpusetReading> FsCpusetWriter::Read(std::string_view cgroup_view) const {
  const std::string cgroup(cgroup_view);
  if (auto ok = CheckCpusetFiles(cgroup); !ok) return ok.error();
  CpusetReading reading;
  auto cpus = ReadList(JoinPath(cgroup, files_.cpus));
  if (!cpus) return cpus.error();
  auto mems = ReadList(JoinPath(cgroup, files_.mems));
  if (!mems) return mems.error();
  reading.cpus = std::move(*cpus);
  reading.mems = std::move(*mems);
  for (auto [file, into] : {std::pair{files_.effective_cpus, &reading.effective_cpus},
                            std::pair{files_.effective_mems, &reading.effective_mems}}) {
    const std::string path = JoinPath(cgroup, file);
    if (!fs_.Exists(path)) continue;  // test trees may omit them; a kernel always has them
    auto list = ReadList(path);
    if (!list) return list.error();
    *into = std::move(*list);
  }
  return reading;
}

}  // namespace numalign::agent::cgroup
