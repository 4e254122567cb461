#pragma once

#include <string>
#include <string_view>

#include "agent/cgroup/expected.h"

namespace numalign::agent::cgroup {

// What went wrong, coarse enough for the agent to decide (retry, report, give up) without
// parsing messages.
enum class ErrorCode {
  kInvalidArgument,       // malformed input from the caller (UID, container id, list syntax)
  kOutsideRoot,           // a path that would leave --cgroup-root (.., absolute, escaping link)
  kSymlinkRefused,        // a symlink inside the root: cgroupfs has none, so it is refused
  kNotFound,              // ENOENT / ENOTDIR: the cgroup or file does not exist (yet)
  kPermissionDenied,      // EACCES / EPERM
  kNoSpace,               // ENOSPC (v1: empty cpuset with tasks; full disk on a test tree)
  kInvalidValue,          // EINVAL: the kernel refused the value (offline CPU, absent node)
  kBusy,                  // EBUSY (v1: shrinking a parent below a child's cpuset)
  kControllerNotEnabled,  // v2: cpuset missing from the parent's cgroup.subtree_control
  kNotKubernetesLayout,   // no known kubelet layout exists on disk for the pod / container
  kAmbiguous,             // several candidate cgroups exist for one pod or container
  kKernelRejected,        // the write succeeded but reading back shows another value
  kIo,                    // any other system error
};

std::string_view ToString(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kIo;
  std::string path;     // relative to the cgroup root; empty when no path is involved
  std::string message;  // says what was attempted and why it failed
  int sys_errno = 0;    // the errno behind it, 0 when none

  // "<code>: <path>: <message>" for logs and pod annotations.
  std::string ToString() const;
};

template <typename T>
using Result = Expected<T, Error>;
using Status = Expected<void, Error>;

// Maps an errno from open/read/write to an ErrorCode, naming the operation and path.
Error ErrorFromErrno(int sys_errno, std::string_view operation, std::string path);

}  // namespace numalign::agent::cgroup
