#include "agent/cgroup/error.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace numalign::agent::cgroup {

std::string_view ToString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kOutsideRoot:
      return "outside cgroup root";
    case ErrorCode::kSymlinkRefused:
      return "symlink refused";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kPermissionDenied:
      return "permission denied";
    case ErrorCode::kNoSpace:
      return "no space";
    case ErrorCode::kInvalidValue:
      return "invalid value";
    case ErrorCode::kBusy:
      return "busy";
    case ErrorCode::kControllerNotEnabled:
      return "cpuset controller not enabled";
    case ErrorCode::kNotKubernetesLayout:
      return "no kubelet cgroup layout";
    case ErrorCode::kAmbiguous:
      return "ambiguous";
    case ErrorCode::kKernelRejected:
      return "kernel rejected value";
    case ErrorCode::kIo:
      return "i/o error";
  }
  return "unknown";
}

std::string Error::ToString() const {
  if (path.empty()) return fmt::format("{}: {}", cgroup::ToString(code), message);
  return fmt::format("{}: {}: {}", cgroup::ToString(code), path, message);
}

Error ErrorFromErrno(int sys_errno, std::string_view operation, std::string path) {
  ErrorCode code = ErrorCode::kIo;
  switch (sys_errno) {
    case ENOENT:
    case ENOTDIR:
      code = ErrorCode::kNotFound;
      break;
    case EACCES:
    case EPERM:
      code = ErrorCode::kPermissionDenied;
      break;
    case ENOSPC:
      code = ErrorCode::kNoSpace;
      break;
    case EINVAL:
      code = ErrorCode::kInvalidValue;
      break;
    case EBUSY:
      code = ErrorCode::kBusy;
      break;
    case ELOOP:
      code = ErrorCode::kSymlinkRefused;
      break;
    default:
      break;
  }
  return Error{code, std::move(path),
               fmt::format("{} failed: {}", operation, std::strerror(sys_errno)), sys_errno};
}

}  // namespace numalign::agent::cgroup
