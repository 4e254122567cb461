#include "tests/support/apiserver/list_semantics.h"

namespace numalign::test_apiserver {

std::optional<std::string> ListMergeKey(const std::vector<std::string>& path) {
  if (path.empty()) return std::nullopt;
  const std::string& last = path.back();
  std::string parent = path.size() >= 2 ? path[path.size() - 2] : "";
  if ((last == "containers" || last == "initContainers" || last == "ephemeralContainers") &&
      parent == "spec")
    return "name";
  if (last == "volumes" && parent == "spec") return "name";
  if (last == "env") return "name";
  if (last == "volumeMounts") return "mountPath";
  if (last == "ports" && parent != "spec") return "containerPort";
  if (last == "conditions" && parent == "status") return "type";
  if (last == "addresses" && parent == "status") return "type";
  if ((last == "podIPs" || last == "hostIPs") && parent == "status") return "ip";
  if (last == "ownerReferences" && parent == "metadata") return "uid";
  if (last == "imagePullSecrets") return "name";
  return std::nullopt;
}

bool IsSetList(const std::vector<std::string>& path) {
  return path.size() == 2 && path[0] == "metadata" && path[1] == "finalizers";
}

}  // namespace numalign::test_apiserver

namespace numalign::test_apiserver {
bool IsAtomicStruct(const std::vector<std::string>& path) {
  if (path.size() == 2 && path[0] == "spec" && path[1] == "selector") return true;  // PDB
  return path.size() == 1 &&
         (path[0] == "involvedObject" || path[0] == "regarding" || path[0] == "related");
}
}  // namespace numalign::test_apiserver
