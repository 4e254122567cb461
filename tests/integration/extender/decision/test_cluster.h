#pragma once

#include <string>

#include "kube/objects/node_resource_topology.h"
#include "numa/pod/quantity.h"

// Synthetic NRTs and pods for the decision-layer tests.
namespace numalign::extender::testing {

inline numa::Quantity Q(const std::string& text) {
  std::string error;
  return *numa::Quantity::Parse(text, &error);
}

inline kube::NrtResource Resource(const std::string& name, const std::string& capacity,
                                  const std::string& allocatable, const std::string& available) {
  return {name, Q(capacity), Q(allocatable), Q(available)};
}

// `zones` NUMA zones of `cpus` CPUs and 8Gi memory; zone 0 reserves one CPU and 1Gi.
// agent_mode: published by numalign-agent in agent pinning mode (numalign.io/pinningMode=agent);
// otherwise an NRT from another producer (no numalign.io attributes).
inline kube::Json MakeNrt(const std::string& node, const std::string& policy, int zones = 2,
                          int cpus = 8, bool agent_mode = true,
                          const std::string& scope = "container") {
  kube::NodeResourceTopologyBuilder b(node);
  b.Attribute("topologyManagerPolicy", policy).Attribute("topologyManagerScope", scope);
  if (agent_mode) b.Attribute("numalign.io/pinningMode", "agent");
  for (int z = 0; z < zones; ++z) {
    kube::NrtZone zone;
    zone.name = "node-" + std::to_string(z);
    zone.type = "Node";
    for (int o = 0; o < zones; ++o) {
      zone.costs.push_back({"node-" + std::to_string(o), o == z ? 10 : 20});
    }
    std::string c = std::to_string(cpus);
    std::string ca = std::to_string(z == 0 ? cpus - 1 : cpus);
    zone.resources.push_back(Resource("cpu", c, ca, ca));
    std::string ma = z == 0 ? "7Gi" : "8Gi";
    zone.resources.push_back(Resource("memory", "8Gi", ma, ma));
    b.Zone(zone);
  }
  return b.Build();
}

// Sets (or replaces) a top-level attribute of an NRT object.
inline void SetAttribute(kube::Json& nrt, const std::string& name, const std::string& value) {
  auto& attributes = nrt["attributes"];
  for (auto& a : attributes) {
    if (a.value("name", "") == name) {
      a["value"] = value;
      return;
    }
  }
  attributes.push_back({{"name", name}, {"value", value}});
}

inline kube::Json Container(const std::string& name, const std::string& cpu,
                            const std::string& memory, bool guaranteed = true) {
  kube::Json requests = {{"cpu", cpu}, {"memory", memory}};
  kube::Json resources = {{"requests", requests}};
  if (guaranteed) resources["limits"] = requests;
  return {{"name", name}, {"resources", resources}};
}

inline kube::Json MakePod(const std::string& name, const std::string& cpu,
                          const std::string& memory, bool guaranteed = true,
                          const std::string& created = "2026-11-22T10:00:00Z") {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata",
           {{"name", name},
            {"namespace", "default"},
            {"uid", "uid-" + name},
            {"creationTimestamp", created}}},
          {"spec", {{"containers", kube::Json::array({Container("c", cpu, memory, guaranteed)})}}}};
}

}  // namespace numalign::extender::testing
