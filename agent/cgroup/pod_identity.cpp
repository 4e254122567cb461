#include "agent/cgroup/pod_identity.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace numalign::agent::cgroup {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsRfc4122Text(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? s[i] != '-' : !IsHex(s[i])) return false;
  }
  return true;
}

bool IsStaticPodHash(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), IsHex);
}

// Keeps error messages readable when the input is long or binary.
std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 80) out += "...";
  return out;
}

struct StatusScheme {
  std::string_view prefix;
  ContainerRuntime runtime;
};
constexpr std::array<StatusScheme, 3> kStatusSchemes{{
    {"containerd://", ContainerRuntime::kContainerd},
    {"cri-o://", ContainerRuntime::kCrio},
    {"docker://", ContainerRuntime::kDocker},
}};

}  // namespace

std::string_view ToString(QosClass qos) {
  switch (qos) {
    case QosClass::kGuaranteed:
      return "Guaranteed";
    case QosClass::kBurstable:
      return "Burstable";
    case QosClass::kBestEffort:
      return "BestEffort";
  }
  return "?";
}

std::string_view ToString(ContainerRuntime runtime) {
  switch (runtime) {
    case ContainerRuntime::kContainerd:
      return "containerd";
    case ContainerRuntime::kCrio:
      return "cri-o";
    case ContainerRuntime::kDocker:
      return "docker";
  }
  return "?";
}

Result<PodUid> PodUid::Parse(std::string_view text) {
  if (IsRfc4122Text(text) || IsStaticPodHash(text)) return PodUid(std::string(text));
  return Error{ErrorCode::kInvalidArgument, "",
               fmt::format("invalid pod UID \"{}\": expected RFC 4122 form "
                           "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) or 32 hex digits (static pod)",
                           Printable(text))};
}

std::string PodUid::SystemdEscaped() const {
  std::string escaped = uid_;
  std::replace(escaped.begin(), escaped.end(), '-', '_');
  return escaped;
}

bool ContainerRef::IsValidId(std::string_view id) {
  return id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Result<ContainerRef> ContainerRef::Create(ContainerRuntime runtime, std::string_view id) {
  if (!IsValidId(id)) {
    return Error{ErrorCode::kInvalidArgument, "",
                 fmt::format("invalid {} container id \"{}\": expected 64 lowercase hex digits",
                             ToString(runtime), Printable(id))};
  }
  return ContainerRef(runtime, std::string(id));
}

Result<ContainerRef> ContainerRef::ParseStatusId(std::string_view status_id) {
  for (const StatusScheme& scheme : kStatusSchemes) {
    if (status_id.starts_with(scheme.prefix)) {
      return Create(scheme.runtime, status_id.substr(scheme.prefix.size()));
    }
  }
  return Error{ErrorCode::kInvalidArgument, "",
               fmt::format("unknown container id \"{}\": expected containerd://, cri-o:// or "
                           "docker:// followed by the id",
                           Printable(status_id))};
}

}  // namespace numalign::agent::cgroup
