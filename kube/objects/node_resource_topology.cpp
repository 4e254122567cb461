#include "kube/objects/node_resource_topology.h"

#include <charconv>

#include "kube/errors.h"

namespace numalign::kube {

namespace {

numa::Quantity ReadQuantity(const Json& j, const std::string& where) {
  std::string error;
  if (j.is_string()) {
    if (auto q = numa::Quantity::Parse(j.get<std::string>(), &error)) return *q;
    throw DecodeError(where + ": \"" + j.get<std::string>() + "\" is not a quantity: " + error);
  }
  if (j.is_number_integer()) return numa::Quantity::FromInt(j.get<std::int64_t>());
  if (j.is_number_float()) {
    if (auto q = numa::Quantity::Parse(j.dump(), &error)) return *q;
  }
  throw DecodeError(where + ": must be a quantity");
}

std::vector<NrtAttribute> ReadAttributes(const Json& parent, const std::string& where) {
  std::vector<NrtAttribute> out;
  const Json* list = FindPath(parent, "/attributes");
  if (!list || list->is_null()) return out;
  if (!list->is_array()) throw DecodeError(where + ".attributes: must be a list");
  for (const auto& a : *list) out.push_back({StringAt(a, "/name"), StringAt(a, "/value")});
  return out;
}

Json WriteAttributes(const std::vector<NrtAttribute>& attributes) {
  Json out = Json::array();
  for (const auto& a : attributes) out.push_back({{"name", a.name}, {"value", a.value}});
  return out;
}

}  // namespace

const NrtResource* NrtZone::FindResource(std::string_view resource) const {
  for (const auto& r : resources) {
    if (r.name == resource) return &r;
  }
  return nullptr;
}

std::optional<int> NrtZone::NumaId() const {
  constexpr std::string_view kPrefix = "node-";
  if (type != "Node" || !name.starts_with(kPrefix)) return std::nullopt;
  int id = 0;
  const char* begin = name.data() + kPrefix.size();
  const char* end = name.data() + name.size();
  auto [ptr, ec] = std::from_chars(begin, end, id);
  if (ec != std::errc() || ptr != end || begin == end || id < 0) return std::nullopt;
  return id;
}

std::optional<std::string> NodeResourceTopology::Attribute(std::string_view attribute) const {
  for (const auto& a : attributes) {
    if (a.name == attribute) return a.value;
  }
  return std::nullopt;
}

const NrtZone* NodeResourceTopology::FindZone(std::string_view zone) const {
  for (const auto& z : zones) {
    if (z.name == zone) return &z;
  }
  return nullptr;
}

NodeResourceTopology ParseNodeResourceTopology(const Json& object) {
  if (!object.is_object()) throw DecodeError("NodeResourceTopology: not a JSON object");
  NodeResourceTopology nrt;
  nrt.name = NameOf(object);
  const std::string where = "NodeResourceTopology " + nrt.name;
  nrt.resource_version = ResourceVersionOf(object);
  if (const Json* p = FindPath(object, "/topologyPolicies"); p && p->is_array()) {
    for (const auto& v : *p) {
      if (v.is_string()) nrt.topology_policies.push_back(v.get<std::string>());
    }
  }
  nrt.attributes = ReadAttributes(object, where);
  const Json* zones = FindPath(object, "/zones");
  if (!zones || zones->is_null()) return nrt;
  if (!zones->is_array()) throw DecodeError(where + ": zones: must be a list");
  for (std::size_t i = 0; i < zones->size(); ++i) {
    const Json& z = (*zones)[i];
    const std::string at = where + ": zones[" + std::to_string(i) + "]";
    if (!z.is_object()) throw DecodeError(at + ": must be an object");
    NrtZone zone;
    zone.name = StringAt(z, "/name");
    zone.type = StringAt(z, "/type");
    zone.parent = StringAt(z, "/parent");
    if (const Json* costs = FindPath(z, "/costs"); costs && costs->is_array()) {
      for (const auto& c : *costs) {
        zone.costs.push_back({StringAt(c, "/name"), IntAt(c, "/value").value_or(0)});
      }
    }
    zone.attributes = ReadAttributes(z, at);
    if (const Json* resources = FindPath(z, "/resources"); resources && resources->is_array()) {
      for (std::size_t k = 0; k < resources->size(); ++k) {
        const Json& r = (*resources)[k];
        const std::string rat = at + ".resources[" + std::to_string(k) + "]";
        NrtResource res;
        res.name = StringAt(r, "/name");
        for (auto [field, target] :
             {std::pair{"capacity", &res.capacity}, std::pair{"allocatable", &res.allocatable},
              std::pair{"available", &res.available}}) {
          const Json* q = r.is_object() && r.contains(field) ? &r.at(field) : nullptr;
          if (!q) throw DecodeError(rat + "." + field + ": missing");
          *target = ReadQuantity(*q, rat + "." + field);
        }
        zone.resources.push_back(std::move(res));
      }
    }
    nrt.zones.push_back(std::move(zone));
  }
  return nrt;
}

NodeResourceTopologyBuilder::NodeResourceTopologyBuilder(std::string node_name)
    : name_(std::move(node_name)) {}

NodeResourceTopologyBuilder& NodeResourceTopologyBuilder::OwnedByNode(const std::string& node_name,
                                                                      const std::string& uid) {
  owner_references_.push_back(
      {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", node_name}, {"uid", uid}});
  return *this;
}

NodeResourceTopologyBuilder& NodeResourceTopologyBuilder::TopologyPolicy(std::string policy) {
  policies_.push_back(std::move(policy));
  return *this;
}

NodeResourceTopologyBuilder& NodeResourceTopologyBuilder::Attribute(std::string name,
                                                                    std::string value) {
  for (auto& a : attributes_) {
    if (a.name == name) {
      a.value = std::move(value);
      return *this;
    }
  }
  attributes_.push_back({std::move(name), std::move(value)});
  return *this;
}

NodeResourceTopologyBuilder& NodeResourceTopologyBuilder::Label(std::string key,
                                                                std::string value) {
  labels_[key] = value;
  return *this;
}

NodeResourceTopologyBuilder& NodeResourceTopologyBuilder::Annotation(std::string key,
                                                                     std::string value) {
  annotations_[key] = value;
  return *this;
}

NodeResourceTopologyBuilder& NodeResourceTopologyBuilder::Zone(NrtZone zone) {
  zones_.push_back(std::move(zone));
  return *this;
}

Json NodeResourceTopologyBuilder::Build() const {
  Json metadata = {{"name", name_}};
  if (!owner_references_.empty()) metadata["ownerReferences"] = owner_references_;
  if (!labels_.empty()) metadata["labels"] = labels_;
  if (!annotations_.empty()) metadata["annotations"] = annotations_;
  Json zones = Json::array();
  for (const auto& z : zones_) {
    Json zone = {{"name", z.name}, {"type", z.type}};
    if (!z.parent.empty()) zone["parent"] = z.parent;
    if (!z.costs.empty()) {
      Json costs = Json::array();
      for (const auto& c : z.costs) costs.push_back({{"name", c.name}, {"value", c.value}});
      zone["costs"] = costs;
    }
    if (!z.attributes.empty()) zone["attributes"] = WriteAttributes(z.attributes);
    Json resources = Json::array();
    for (const auto& r : z.resources) {
      resources.push_back({{"name", r.name},
                           {"capacity", r.capacity.ToString()},
                           {"allocatable", r.allocatable.ToString()},
                           {"available", r.available.ToString()}});
    }
    zone["resources"] = resources;
    zones.push_back(std::move(zone));
  }
  Json out = {{"apiVersion", "topology.node.k8s.io/v1alpha2"},
              {"kind", "NodeResourceTopology"},
              {"metadata", metadata}};
  if (!policies_.empty()) out["topologyPolicies"] = policies_;
  if (!attributes_.empty()) out["attributes"] = WriteAttributes(attributes_);
  out["zones"] = zones;
  return out;
}

}  // namespace numalign::kube
