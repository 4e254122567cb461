#include "sim/cluster/cluster_loader.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "numa/admission/kubelet_config.h"
#include "numa/topology/hwloc_loader.h"
#include "sim/cluster/kubelet_profile.h"
#include "sim/model/known_fields.h"
#include "sim/model/text_file.h"

namespace numalign::sim {
namespace {

using nlohmann::json;

// Loads each topology file once; machines are shared between nodes by value.
class MachineCache {
 public:
  const numa::Machine* Get(const std::string& path, std::string* error) {
    auto it = machines_.find(path);
    if (it != machines_.end()) return &it->second;
    auto machine = numa::LoadMachineFromHwlocXml(path, error);
    if (!machine) return nullptr;
    return &machines_.emplace(path, std::move(*machine)).first->second;
  }

 private:
  std::map<std::string, numa::Machine> machines_;
};

std::string ResolveTopology(const std::string& topology, const std::string& dir) {
  if (topology.find('/') != std::string::npos || topology.ends_with(".xml")) return topology;
  return dir + "/" + topology + ".xml";
}

std::string TopologyLabel(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

// Shallow merge: the override's fields replace the base's.
json Merge(json base, const json& over) {
  for (const auto& [key, value] : over.items()) base[key] = value;
  return base;
}

bool AddNode(const std::string& field, const std::string& name, const std::string& topology,
             const std::string& dir, const json& kubelet_json,
             const std::map<std::string, std::string>& labels, MachineCache& cache,
             LoadedCluster* out, std::string* error) {
  SimNodeSpec node;
  node.name = name;
  node.topology_path = ResolveTopology(topology, dir);
  node.topology = TopologyLabel(node.topology_path);
  node.labels = labels;
  std::string why;
  const numa::Machine* machine = cache.Get(node.topology_path, &why);
  if (machine == nullptr) {
    *error = field + ".topology: " + why;
    return false;
  }
  auto config = numa::ParseKubeletConfigJson(kubelet_json, &why);
  if (!config) {
    *error = field + ".kubelet: " + why;
    return false;
  }
  if (!CompleteKubeletConfig(*machine, &*config, &why)) {
    *error = field + ".kubelet: the kubelet would not start on " + node.topology + ": " + why;
    return false;
  }
  node.kubelet = std::move(*config);
  out->spec.nodes.push_back(std::move(node));
  out->machines.push_back(*machine);
  return true;
}

bool ReadString(const json& object, const std::string& key, const std::string& field,
                std::string* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_string()) {
    *error = field + "." + key + ": must be a string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

}  // namespace

std::string DefaultTopologyDir() {
  const char* env = std::getenv("NUMALIGN_SHARED");
  std::string shared = env != nullptr && *env != '\0' ? env : NUMALIGN_SHARED_DIR;
  return shared + "/topologies/hwloc";
}

std::optional<LoadedCluster> ParseClusterYaml(const std::string& yaml_text,
                                              const std::string& default_topology_dir,
                                              std::string* error) {
  std::string why;
  auto doc = numa::YamlToJson(yaml_text, &why);
  if (!doc) {
    *error = "cluster YAML: " + why;
    return std::nullopt;
  }
  if (!doc->is_object()) {
    *error = "cluster: must be a mapping with a `nodes` list";
    return std::nullopt;
  }
  if (!CheckKnownFields(*doc, "cluster", {"topologyDir", "kubelet", "nodes"}, error)) {
    return std::nullopt;
  }
  std::string dir = default_topology_dir;
  if (!ReadString(*doc, "topologyDir", "cluster", &dir, error)) return std::nullopt;
  json kubelet = DefaultKubeletJson();
  if (auto it = doc->find("kubelet"); it != doc->end()) {
    if (!it->is_object()) {
      *error = "cluster.kubelet: must be a mapping of KubeletConfiguration fields";
      return std::nullopt;
    }
    kubelet = Merge(kubelet, *it);
  }
  auto nodes = doc->find("nodes");
  if (nodes == doc->end() || !nodes->is_array() || nodes->empty()) {
    *error = "cluster.nodes: required, a non-empty list of nodes";
    return std::nullopt;
  }
  LoadedCluster out;
  MachineCache cache;
  std::set<std::string> names;
  for (std::size_t i = 0; i < nodes->size(); ++i) {
    const json& n = (*nodes)[i];
    const std::string field = "nodes[" + std::to_string(i) + "]";
    if (!n.is_object()) {
      *error = field + ": must be a mapping";
      return std::nullopt;
    }
    if (!CheckKnownFields(n, field, {"name", "topology", "count", "labels", "kubelet"}, error)) {
      return std::nullopt;
    }
    std::string name, topology;
    if (!ReadString(n, "name", field, &name, error)) return std::nullopt;
    if (!ReadString(n, "topology", field, &topology, error)) return std::nullopt;
    if (name.empty()) {
      *error = field + ".name: required";
      return std::nullopt;
    }
    if (topology.empty()) {
      *error = field + ".topology: required (a file of " + dir + " without .xml, or a path)";
      return std::nullopt;
    }
    std::int64_t count = 1;
    bool counted = false;
    if (auto c = n.find("count"); c != n.end()) {
      if (!c->is_number_integer() || c->get<std::int64_t>() < 1 ||
          c->get<std::int64_t>() > 100000) {
        *error = field + ".count: must be an integer from 1 to 100000";
        return std::nullopt;
      }
      count = c->get<std::int64_t>();
      counted = true;
    }
    std::map<std::string, std::string> labels;
    if (auto l = n.find("labels"); l != n.end()) {
      if (!l->is_object()) {
        *error = field + ".labels: must be a mapping of strings";
        return std::nullopt;
      }
      for (const auto& [key, value] : l->items()) {
        labels[key] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
    json node_kubelet = kubelet;
    if (auto k = n.find("kubelet"); k != n.end()) {
      if (!k->is_object()) {
        *error = field + ".kubelet: must be a mapping of KubeletConfiguration fields";
        return std::nullopt;
      }
      node_kubelet = Merge(node_kubelet, *k);
    }
    for (std::int64_t j = 0; j < count; ++j) {
      std::string node_name = counted ? name + "-" + std::to_string(j) : name;
      if (!names.insert(node_name).second) {
        *error = field + ".name: duplicate node name " + node_name;
        return std::nullopt;
      }
      if (!AddNode(field, node_name, topology, dir, node_kubelet, labels, cache, &out, error)) {
        return std::nullopt;
      }
    }
  }
  return out;
}

std::optional<LoadedCluster> LoadClusterFile(const std::string& path, std::string* error) {
  auto text = ReadTextFile(path, "cluster", error);
  if (!text) return std::nullopt;
  auto cluster = ParseClusterYaml(*text, DefaultTopologyDir(), error);
  if (!cluster) *error = path + ": " + *error;
  return cluster;
}

std::optional<LoadedCluster> MakeFlagCluster(int nodes, const std::vector<std::string>& topologies,
                                             const nlohmann::json& kubelet_json,
                                             const std::string& topology_dir, std::string* error) {
  if (nodes < 1) {
    *error = "--nodes: must be at least 1";
    return std::nullopt;
  }
  if (topologies.empty()) {
    *error = "--topologies: name at least one topology";
    return std::nullopt;
  }
  json kubelet = Merge(DefaultKubeletJson(), kubelet_json);
  LoadedCluster out;
  MachineCache cache;
  for (int i = 0; i < nodes; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "node-%04d", i);
    const std::string& topology = topologies[static_cast<std::size_t>(i) % topologies.size()];
    if (!AddNode("--topologies " + topology, name, topology, topology_dir, kubelet, {}, cache, &out,
                 error)) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace numalign::sim
