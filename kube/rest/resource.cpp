#include "kube/rest/resource.h"

#include <stdexcept>

namespace numalign::kube {

std::string ResourceDescriptor::ApiVersion() const {
  return group.empty() ? version : group + "/" + version;
}

std::string ResourceDescriptor::CollectionPath(std::string_view ns) const {
  std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) path += "/namespaces/" + EscapePathSegment(ns);
  return path + "/" + resource;
}

std::string ResourceDescriptor::ObjectPath(std::string_view ns, std::string_view name,
                                           std::string_view subresource) const {
  if (name.empty()) throw std::invalid_argument("an object of " + resource + " needs a name");
  if (namespaced && ns.empty()) {
    throw std::invalid_argument(resource + " are namespaced: a namespace is required");
  }
  std::string path = CollectionPath(ns) + "/" + EscapePathSegment(name);
  if (!subresource.empty()) path += "/" + std::string(subresource);
  return path;
}

namespace resources {

const ResourceDescriptor& Pods() {
  static const ResourceDescriptor r{"", "v1", "pods", "Pod", true};
  return r;
}
const ResourceDescriptor& Nodes() {
  static const ResourceDescriptor r{"", "v1", "nodes", "Node", false};
  return r;
}
const ResourceDescriptor& Namespaces() {
  static const ResourceDescriptor r{"", "v1", "namespaces", "Namespace", false};
  return r;
}
const ResourceDescriptor& Events() {
  static const ResourceDescriptor r{"", "v1", "events", "Event", true};
  return r;
}
const ResourceDescriptor& ConfigMaps() {
  static const ResourceDescriptor r{"", "v1", "configmaps", "ConfigMap", true};
  return r;
}
const ResourceDescriptor& Leases() {
  static const ResourceDescriptor r{"coordination.k8s.io", "v1", "leases", "Lease", true};
  return r;
}
const ResourceDescriptor& CustomResourceDefinitions() {
  static const ResourceDescriptor r{"apiextensions.k8s.io", "v1", "customresourcedefinitions",
                                    "CustomResourceDefinition", false};
  return r;
}
const ResourceDescriptor& NodeResourceTopologies() {
  static const ResourceDescriptor r{"topology.node.k8s.io", "v1alpha2", "noderesourcetopologies",
                                    "NodeResourceTopology", false};
  return r;
}

}  // namespace resources

namespace {

std::string Escape(std::string_view value, std::string_view also_allowed) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' ||
                            also_allowed.find(static_cast<char>(c)) != std::string_view::npos;
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace

std::string EscapeQueryValue(std::string_view value) {
  return Escape(value, "");
}
std::string EscapePathSegment(std::string_view segment) {
  return Escape(segment, ":@");
}

}  // namespace numalign::kube
