#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kube/objects/object_meta.h"
#include "numa/pod/quantity.h"

namespace numalign::kube {

// topology.node.k8s.io/v1alpha2 NodeResourceTopology, as plain structs: read with
// ParseNodeResourceTopology, write with NodeResourceTopologyBuilder.
struct NrtAttribute {
  std::string name;
  std::string value;
  bool operator==(const NrtAttribute&) const = default;
};

struct NrtCost {
  std::string name;  // the other zone
  std::int64_t value = 0;
  bool operator==(const NrtCost&) const = default;
};

struct NrtResource {
  std::string name;  // cpu, memory, hugepages-1Gi, vendor.com/device
  // numa/'s resource.Quantity, so the algorithm reads NRT amounts without conversion.
  numa::Quantity capacity;
  numa::Quantity allocatable;
  numa::Quantity available;
  bool operator==(const NrtResource&) const = default;
};

struct NrtZone {
  std::string name;  // "node-0"
  std::string type;  // "Node"
  std::string parent;
  std::vector<NrtCost> costs;
  std::vector<NrtAttribute> attributes;
  std::vector<NrtResource> resources;

  const NrtResource* FindResource(std::string_view resource) const;
  // The NUMA id of a "node-<N>" zone of type Node; nullopt for other zones.
  std::optional<int> NumaId() const;
  bool operator==(const NrtZone&) const = default;
};

struct NodeResourceTopology {
  std::string name;  // the node
  std::string resource_version;
  std::vector<std::string> topology_policies;  // deprecated in v1alpha2, still read
  std::vector<NrtAttribute> attributes;
  std::vector<NrtZone> zones;

  std::optional<std::string> Attribute(std::string_view name) const;
  const NrtZone* FindZone(std::string_view zone) const;
};

// Reads an NRT object. Quantities may be JSON strings or numbers (custom resources store them
// as sent). Throws DecodeError naming the field when the object does not have the schema's shape.
NodeResourceTopology ParseNodeResourceTopology(const Json& object);

// Writes an NRT object (for create, update or server-side apply). Quantities are written as
// strings (whole units when exact: "1610612736"); zones, costs and resources keep the order they
// were added in.
class NodeResourceTopologyBuilder {
 public:
  explicit NodeResourceTopologyBuilder(std::string node_name);

  // The NRT is garbage-collected with its Node.
  NodeResourceTopologyBuilder& OwnedByNode(const std::string& node_name, const std::string& uid);
  NodeResourceTopologyBuilder& TopologyPolicy(std::string policy);
  NodeResourceTopologyBuilder& Attribute(std::string name, std::string value);
  NodeResourceTopologyBuilder& Label(std::string key, std::string value);
  NodeResourceTopologyBuilder& Annotation(std::string key, std::string value);
  NodeResourceTopologyBuilder& Zone(NrtZone zone);

  Json Build() const;

 private:
  std::string name_;
  Json owner_references_ = Json::array();
  Json labels_ = Json::object();
  Json annotations_ = Json::object();
  std::vector<std::string> policies_;
  std::vector<NrtAttribute> attributes_;
  std::vector<NrtZone> zones_;
};

}  // namespace numalign::kube
