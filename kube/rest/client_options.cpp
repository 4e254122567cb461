#include "kube/rest/client_options.h"

#include <sys/utsname.h>

namespace numalign::kube {

namespace {

std::string GoArch() {
  utsname info{};
  if (uname(&info) != 0) return "unknown";
  const std::string machine = info.machine;
  if (machine == "x86_64") return "amd64";
  if (machine == "aarch64" || machine == "arm64") return "arm64";
  if (machine == "ppc64le") return "ppc64le";
  if (machine == "s390x") return "s390x";
  if (machine.rfind("arm", 0) == 0) return "arm";
  return machine;
}

}  // namespace

std::string DefaultUserAgent(const std::string& component, const std::string& version) {
  return component + "/" + version + " (linux/" + GoArch() + ")";
}

}  // namespace numalign::kube
