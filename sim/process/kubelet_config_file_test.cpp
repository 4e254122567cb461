#include "sim/process/kubelet_config_file.h"

#include <gtest/gtest.h>

#include "numa/memorymanager/reserved_memory.h"

namespace numalign::sim::process {
namespace {

numa::Quantity Q(const char* text) {
  std::string error;
  auto q = numa::Quantity::Parse(text, &error);
  EXPECT_TRUE(q) << error;
  return q.value_or(numa::Quantity());
}

TEST(KubeletConfigurationDocument, ReadsBackAsTheSameConfiguration) {
  numa::KubeletNumaConfig config;
  config.topology_manager_policy = "restricted";
  config.topology_manager_scope = "pod";
  config.topology_manager_policy_options = {{"prefer-closest-numa-nodes", "true"}};
  config.cpu_manager_policy = "static";
  config.cpu_manager_policy_options = {{"full-pcpus-only", "true"}};
  config.reserved_system_cpus = "0,8";
  config.memory_manager_policy = "Static";
  std::string error;
  ASSERT_TRUE(numa::ParseReservedMemoryFlag("0:memory=1124Mi;1:memory=1Gi,hugepages-2Mi=2Mi",
                                            &config.reserved_memory, &error))
      << error;
  config.kube_reserved = {{"memory", Q("924Mi")}, {"cpu", Q("500m")}};
  config.system_reserved = {{"memory", Q("1Gi")}};
  config.eviction_hard = std::map<std::string, std::string>{{"memory.available", "100Mi"}};
  config.feature_gates = {{"CPUManagerPolicyAlphaOptions", true}};

  auto parsed = numa::ParseKubeletConfigYaml(KubeletConfigurationDocument(config), &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->topology_manager_policy, "restricted");
  EXPECT_EQ(parsed->topology_manager_scope, "pod");
  EXPECT_EQ(parsed->topology_manager_policy_options, config.topology_manager_policy_options);
  EXPECT_EQ(parsed->cpu_manager_policy, "static");
  EXPECT_EQ(parsed->cpu_manager_policy_options, config.cpu_manager_policy_options);
  EXPECT_EQ(parsed->reserved_system_cpus, config.reserved_system_cpus);
  EXPECT_EQ(parsed->memory_manager_policy, "Static");
  EXPECT_EQ(parsed->kube_reserved, config.kube_reserved);
  EXPECT_EQ(parsed->system_reserved, config.system_reserved);
  EXPECT_EQ(parsed->eviction_hard, config.eviction_hard);
  EXPECT_EQ(parsed->feature_gates, config.feature_gates);
  ASSERT_EQ(parsed->reserved_memory.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(parsed->reserved_memory[i].numa_node, config.reserved_memory[i].numa_node);
    auto sorted = config.reserved_memory[i].limits;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(parsed->reserved_memory[i].limits, sorted) << "NUMA node " << i;
  }
}

TEST(KubeletConfigurationDocument, LeavesDefaultsToTheKubelet) {
  std::string error;
  auto parsed =
      numa::ParseKubeletConfigYaml(KubeletConfigurationDocument(numa::KubeletNumaConfig{}), &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_FALSE(parsed->reserved_system_cpus);
  EXPECT_FALSE(parsed->eviction_hard) << "absent means the kubelet's default thresholds";
  EXPECT_TRUE(parsed->reserved_memory.empty());
}

}  // namespace
}  // namespace numalign::sim::process
