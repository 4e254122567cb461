#pragma once

#include <string>
#include <string_view>

#include "agent/cgroup/error.h"

namespace numalign::agent::cgroup {

enum class QosClass { kGuaranteed, kBurstable, kBestEffort };
enum class ContainerRuntime { kContainerd, kCrio, kDocker };

std::string_view ToString(QosClass qos);
std::string_view ToString(ContainerRuntime runtime);

// A pod UID that is safe to put in a cgroup path. Accepted forms:
//  - RFC 4122 text, 8-4-4-4-12 hex digits: what the API server assigns to every pod;
//  - 32 hex digits without dashes: what the kubelet assigns to static pods (an MD5 of the pod,
//    config/common.go), e.g. kube-apiserver on a control-plane node.
// Anything else (slashes, dots, "..", other lengths) is refused, so a crafted UID can never
// steer a write to another cgroup.
class PodUid {
 public:
  static Result<PodUid> Parse(std::string_view text);

  // As the API shows it; the cgroupfs driver uses it unchanged.
  const std::string& str() const { return uid_; }
  // '-' -> '_', because '-' is systemd's slice hierarchy separator.
  std::string SystemdEscaped() const;

  bool operator==(const PodUid&) const = default;

 private:
  explicit PodUid(std::string uid) : uid_(std::move(uid)) {}
  std::string uid_;
};

// A container as the CRI runtime knows it: the runtime and its 64-hex-digit id (containerd,
// CRI-O and Docker all use a SHA-256 in lowercase hex).
class ContainerRef {
 public:
  static Result<ContainerRef> Create(ContainerRuntime runtime, std::string_view id);
  // The pod status form "containerd://<id>", "cri-o://<id>", "docker://<id>".
  static Result<ContainerRef> ParseStatusId(std::string_view status_id);
  // True for exactly 64 lowercase hex digits.
  static bool IsValidId(std::string_view id);

  ContainerRuntime runtime() const { return runtime_; }
  const std::string& id() const { return id_; }

  bool operator==(const ContainerRef&) const = default;

 private:
  ContainerRef(ContainerRuntime runtime, std::string id) : runtime_(runtime), id_(std::move(id)) {}
  ContainerRuntime runtime_;
  std::string id_;
};

}  // namespace numalign::agent::cgroup
