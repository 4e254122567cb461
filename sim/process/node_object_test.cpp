#include "sim/process/node_object.h"

#include <gtest/gtest.h>

namespace numalign::sim::process {
namespace {

numa::Machine TwoNodeMachine() {
  numa::Machine m;
  for (int id = 0; id < 2; ++id) {
    numa::NumaNodeInfo node;
    node.id = id;
    node.cpus = {2 * id, 2 * id + 1};
    node.memory = 8ULL << 30;
    node.hugepages = {{2ULL << 20, id == 1 ? 1ULL << 30 : 0}, {1ULL << 30, 0}};
    m.numa_nodes.push_back(node);
    for (int cpu : node.cpus) m.cpus.push_back({cpu, cpu, 0, id});
  }
  return m;
}

TEST(NodeObject, CarriesTheNameAndLabels) {
  SimNodeSpec spec;
  spec.name = "node-0001";
  spec.topology = "epyc-corona";
  spec.labels = {{"rack", "a"}};
  const auto node = NodeObject(spec);
  EXPECT_EQ(node["kind"], "Node");
  EXPECT_EQ(node["metadata"]["name"], "node-0001");
  EXPECT_EQ(node["metadata"]["labels"]["kubernetes.io/hostname"], "node-0001");
  EXPECT_EQ(node["metadata"]["labels"]["rack"], "a");
  EXPECT_EQ(node["metadata"]["labels"]["numalign.io/simulated-topology"], "epyc-corona");
}

TEST(NodeStatus, CapacityFromTheHardwareAllocatableAsGiven) {
  const ResourceList allocatable = {{"cpu", 3000},
                                    {"memory", 15000000000},
                                    {"hugepages-2Mi", 1LL << 30},
                                    {"hugepages-1Gi", 0},
                                    {"pods", 110}};
  const auto status = NodeStatus(TwoNodeMachine(), allocatable);
  EXPECT_EQ(status["capacity"]["cpu"], "4");
  EXPECT_EQ(status["capacity"]["memory"], std::to_string(16ULL << 30));
  EXPECT_EQ(status["capacity"]["hugepages-2Mi"], std::to_string(1ULL << 30));
  EXPECT_EQ(status["capacity"]["hugepages-1Gi"], "0");
  EXPECT_EQ(status["capacity"]["pods"], "110");
  EXPECT_EQ(status["allocatable"]["cpu"], "3");
  EXPECT_EQ(status["allocatable"]["memory"], "15000000000");
  EXPECT_EQ(status["allocatable"]["pods"], "110");
  EXPECT_EQ(status["conditions"][0]["type"], "Ready");
  EXPECT_EQ(status["conditions"][0]["status"], "True");
}

TEST(QuantityText, MillicoresUnlessWhole) {
  EXPECT_EQ(QuantityText("cpu", 31000), "31");
  EXPECT_EQ(QuantityText("cpu", 1500), "1500m");
  EXPECT_EQ(QuantityText("memory", 1024), "1024");
}

}  // namespace
}  // namespace numalign::sim::process
