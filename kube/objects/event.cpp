#include "kube/objects/event.h"

namespace numalign::kube {

Json MakeObjectReference(const Json& object) {
  Json ref = {{"kind", StringAt(object, "/kind")},
              {"apiVersion", StringAt(object, "/apiVersion")},
              {"name", NameOf(object)}};
  if (const std::string ns = NamespaceOf(object); !ns.empty()) ref["namespace"] = ns;
  if (const std::string uid = UidOf(object); !uid.empty()) ref["uid"] = uid;
  if (const std::string rv = ResourceVersionOf(object); !rv.empty()) ref["resourceVersion"] = rv;
  return ref;
}

}  // namespace numalign::kube
