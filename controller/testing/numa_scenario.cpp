#include "controller/testing/numa_scenario.h"

#include <fmt/format.h>

namespace numalign::controller::testing {

using kube::Json;

Json AgentNrt(const std::string& node, int cpus_per_zone, int zones, const std::string& scope) {
  Json zone_list = Json::array();
  for (int id = 0; id < zones; ++id) {
    zone_list.push_back({{"name", "node-" + std::to_string(id)},
                         {"type", "Node"},
                         {"resources",
                          {{{"name", "cpu"},
                            {"capacity", std::to_string(cpus_per_zone + 1)},
                            {"allocatable", std::to_string(cpus_per_zone)},
                            {"available", std::to_string(cpus_per_zone)}}}}});
  }
  return {{"apiVersion", "topology.node.k8s.io/v1alpha2"},
          {"kind", "NodeResourceTopology"},
          {"metadata", {{"name", node}}},
          {"topologyPolicies", Json::array()},
          {"attributes",
           {{{"name", "topologyManagerPolicy"}, {"value", "single-numa-node"}},
            {{"name", "topologyManagerScope"}, {"value", scope}},
            {{"name", "numalign.io/pinningMode"}, {"value", "agent"}},
            {{"name", "numalign.io/stateGeneration"}, {"value", "1"}}}},
          {"zones", zone_list}};
}

Json ScenarioPod(const PodShape& shape) {
  Json containers = Json::array();
  for (std::size_t i = 0; i < shape.container_cpus.size(); ++i) {
    const Json amounts = {{"cpu", std::to_string(shape.container_cpus[i])}, {"memory", "1Gi"}};
    containers.push_back({{"name", "c" + std::to_string(i)},
                          {"image", "registry.k8s.io/pause:3.10"},
                          {"resources", {{"requests", amounts}, {"limits", amounts}}}});
  }
  Json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata",
               {{"name", shape.name},
                {"namespace", shape.ns},
                {"uid", "uid-" + shape.name},
                {"creationTimestamp", fmt::format("2026-01-01T00:00:{:02}Z", shape.created_second)},
                {"labels", Json::object()}}},
              {"spec",
               {{"priority", shape.priority},
                {"schedulerName", "numalign-scheduler"},
                {"containers", containers}}},
              {"status", {{"qosClass", "Guaranteed"}}}};
  if (shape.movable) pod["metadata"]["labels"]["numalign.io/movable"] = "true";
  if (shape.node.empty()) {
    pod["status"]["phase"] = "Pending";
    pod["status"]["conditions"] = {
        {{"type", "PodScheduled"}, {"status", "False"}, {"reason", "Unschedulable"}}};
  } else {
    pod["spec"]["nodeName"] = shape.node;
    pod["status"]["phase"] = "Running";
  }
  return pod;
}

}  // namespace numalign::controller::testing
