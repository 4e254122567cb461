#pragma once

#include <string>
#include <string_view>

namespace numalign::kube {

// Which REST collection an object lives in: enough to build every URL of the resource.
struct ResourceDescriptor {
  std::string group;     // "" for the core group
  std::string version;   // "v1"
  std::string resource;  // lower-case plural, "pods"
  std::string kind;      // "Pod"; filled into list items, which the API sends without it
  bool namespaced = true;

  // "v1" or "coordination.k8s.io/v1", as in an object's apiVersion.
  std::string ApiVersion() const;
  // "/api/v1/namespaces/ns/pods", or "/api/v1/pods" when ns is empty (all namespaces) or the
  // resource is cluster-scoped.
  std::string CollectionPath(std::string_view ns) const;
  // ".../pods/name[/subresource]". Throws std::invalid_argument on an empty name, or on an
  // empty namespace for a namespaced resource.
  std::string ObjectPath(std::string_view ns, std::string_view name,
                         std::string_view subresource = {}) const;

  bool operator==(const ResourceDescriptor&) const = default;
};

namespace resources {
const ResourceDescriptor& Pods();
const ResourceDescriptor& Nodes();
const ResourceDescriptor& Namespaces();
const ResourceDescriptor& Events();
const ResourceDescriptor& ConfigMaps();
const ResourceDescriptor& Leases();
const ResourceDescriptor& CustomResourceDefinitions();
// topology.node.k8s.io/v1alpha2, cluster-scoped, one per node.
const ResourceDescriptor& NodeResourceTopologies();
}  // namespace resources

// Percent-encodes a query parameter value (RFC 3986 unreserved characters pass through).
std::string EscapeQueryValue(std::string_view value);
// Percent-encodes one path segment (names are DNS labels, but never trust input).
std::string EscapePathSegment(std::string_view segment);

}  // namespace numalign::kube
