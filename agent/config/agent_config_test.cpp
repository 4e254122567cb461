#include "agent/config/agent_config.h"

#include <gtest/gtest.h>

#include <map>

#include "agent/allocation/test_node.h"
#include "numa/admission/node_admitter.h"

namespace numalign::agent {
namespace {

ConfigEnvironment FakeEnv(std::map<std::string, std::string> vars,
                          std::map<std::string, std::string> files = {}) {
  ConfigEnvironment env;
  env.getenv = [vars](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  env.read_file = [files](const std::string& p, std::string* error) -> std::optional<std::string> {
    auto it = files.find(p);
    if (it == files.end()) {
      *error = "cannot open " + p;
      return std::nullopt;
    }
    return it->second;
  };
  return env;
}

TEST(AgentConfig, DefaultsTakeNodeNameFromTheEnvironment) {
  std::string error;
  auto c = ParseAgentFlags({}, FakeEnv({{"NODE_NAME", "n1"}}), &error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->node_name, "n1");
  EXPECT_EQ(c->discovery, DiscoveryMode::kAuto);
  EXPECT_EQ(c->pinning_mode, PinningMode::kAgent);
  EXPECT_EQ(c->kubelet.cpu_manager_policy, "static");
  EXPECT_EQ(c->kubelet.memory_manager_policy, "Static");
  EXPECT_EQ(c->cgroup_root, "/sys/fs/cgroup");
  EXPECT_EQ(c->podresources_socket, "/var/lib/kubelet/pod-resources/kubelet.sock");
  EXPECT_EQ(c->log_format, "json");  // what the agent wrote before --log-format existed
}

TEST(AgentConfig, KubeletFlagsBothSyntaxesAndRepeatedReservedMemory) {
  std::string error;
  auto c = ParseAgentFlags({"--node-name=n2",
                            "--topology-manager-policy",
                            "single-numa-node",
                            "--topology-manager-scope=pod",
                            "--topology-manager-policy-options=prefer-closest-numa-nodes=true",
                            "--cpu-manager-policy-options",
                            "full-pcpus-only=true",
                            "--reserved-cpus=0-1",
                            "--reserved-memory",
                            "0:memory=1Gi;1:memory=2Gi",
                            "--reserved-memory=2:memory=3Gi",
                            "--system-reserved=cpu=1,memory=1Gi",
                            "--kube-reserved=memory=500Mi",
                            "--eviction-hard=memory.available<100Mi",
                            "--discovery=sysfs",
                            "--sysfs-root=/host",
                            "--cgroup-driver=systemd",
                            "--state-dir=/tmp/s",
                            "--health-port=9000",
                            "--v=3",
                            "--logging-format=text",
                            "--kube-api-qps=5",
                            "--kube-api-burst=10",
                            "--pinning-mode=agent"},
                           FakeEnv({}), &error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->node_name, "n2");
  EXPECT_EQ(c->kubelet.topology_manager_policy, "single-numa-node");
  EXPECT_EQ(c->kubelet.topology_manager_scope, "pod");
  EXPECT_EQ(c->kubelet.topology_manager_policy_options.at("prefer-closest-numa-nodes"), "true");
  EXPECT_EQ(c->kubelet.cpu_manager_policy_options.at("full-pcpus-only"), "true");
  EXPECT_EQ(c->kubelet.reserved_system_cpus, "0-1");
  ASSERT_EQ(c->kubelet.reserved_memory.size(), 3U);
  EXPECT_EQ(c->kubelet.reserved_memory[2].numa_node, 2);
  EXPECT_EQ(c->kubelet.system_reserved.size(), 2U);
  EXPECT_EQ(c->kubelet.eviction_hard->at("memory.available"), "100Mi");
  EXPECT_EQ(c->discovery, DiscoveryMode::kSysfs);
  EXPECT_EQ(c->cgroup_driver, CgroupDriverFlag::kSystemd);
  EXPECT_EQ(c->health_port, 9000);
  EXPECT_EQ(c->verbosity, 3);
  EXPECT_EQ(c->log_format, "text");
  EXPECT_EQ(c->kube_api_burst, 10);
}

// The kubelet names it --logging-format; --log-format stays for existing manifests.
TEST(AgentConfig, LoggingFormatAndItsDeprecatedAlias) {
  std::string error;
  auto kubelet_name =
      ParseAgentFlags({"--node-name=n", "--logging-format=text"}, FakeEnv({}), &error);
  ASSERT_TRUE(kubelet_name) << error;
  EXPECT_EQ(kubelet_name->log_format, "text");
  auto alias = ParseAgentFlags({"--node-name=n", "--log-format", "text"}, FakeEnv({}), &error);
  ASSERT_TRUE(alias) << error;
  EXPECT_EQ(alias->log_format, "text");
}

TEST(AgentConfig, KubeletConfigFileIsReadAndFlagsOverrideIt) {
  const std::string yaml = R"(apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cpuManagerPolicy: none
memoryManagerPolicy: None
topologyManagerPolicy: restricted
topologyManagerScope: container
reservedSystemCPUs: "0"
reservedMemory:
- numaNode: 0
  limits:
    memory: 1100Mi
systemReserved:
  memory: 600Mi
kubeReserved:
  memory: 400Mi
)";
  std::string error;
  auto c = ParseAgentFlags({"--node-name=n", "--kubelet-config", "/etc/kubelet.yaml",
                            "--topology-manager-policy=single-numa-node"},
                           FakeEnv({}, {{"/etc/kubelet.yaml", yaml}}), &error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->kubelet.topology_manager_policy, "single-numa-node");  // the flag wins
  EXPECT_EQ(c->kubelet.reserved_system_cpus, "0");
  ASSERT_EQ(c->kubelet.reserved_memory.size(), 1U);
  // The kubelet's managers are "none" in agent mode; the agent takes their place.
  EXPECT_EQ(c->kubelet.cpu_manager_policy, "static");
  EXPECT_EQ(c->kubelet.memory_manager_policy, "Static");
  // And the file's reservation is consistent, so the node admitter accepts it.
  std::string why;
  EXPECT_TRUE(numa::NodeAdmitter::Create(testing::MakeMachine(), c->kubelet, &why)) << why;

  auto k = ParseAgentFlags(
      {"--node-name=n", "--kubelet-config=/etc/kubelet.yaml", "--pinning-mode=kubelet"},
      FakeEnv({}, {{"/etc/kubelet.yaml", yaml}}), &error);
  ASSERT_TRUE(k) << error;
  EXPECT_EQ(k->kubelet.cpu_manager_policy, "none");

  auto socket = ParseAgentFlags({"--node-name=n", "--pinning-mode", "kubelet",
                                 "--podresources-socket", "/run/kubelet/pr.sock"},
                                FakeEnv({}), &error);
  ASSERT_TRUE(socket) << error;
  EXPECT_EQ(socket->pinning_mode, PinningMode::kKubelet);
  EXPECT_EQ(socket->podresources_socket, "/run/kubelet/pr.sock");
}

TEST(AgentConfig, BadInputNamesTheFlag) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"--bogus=1"}, "unknown flag: --bogus"},
      {{"--discovery=magic"}, "--discovery: must be auto, hwloc or sysfs"},
      {{"--reserved-memory=x"}, "--reserved-memory: "},
      {{"--health-port=70000"}, "--health-port: "},
      {{"--log-format=xml"}, "--log-format: must be json or text"},
      {{"--logging-format=xml"}, "--logging-format: must be json or text"},
      {{"--system-reserved=memory=lots"}, "--system-reserved: memory: "},
      {{"--kubelet-config=/missing"}, "--kubelet-config: cannot open /missing"},
      {{"--topology-manager-policy"}, "flag needs an argument"},
      {{"stray"}, "unexpected argument"},
  };
  for (const auto& [args, expected] : cases) {
    std::vector<std::string> with_node = {"--node-name=n"};
    with_node.insert(with_node.end(), args.begin(), args.end());
    std::string error;
    EXPECT_FALSE(ParseAgentFlags(with_node, FakeEnv({}), &error)) << expected;
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  }
  std::string error;
  EXPECT_FALSE(ParseAgentFlags({}, FakeEnv({}), &error));
  EXPECT_NE(error.find("--node-name: required"), std::string::npos);
}

TEST(AgentConfig, InvalidKubeletSettingsFailWithTheKubeletsMessage) {
  std::string error;
  auto c = ParseAgentFlags({"--node-name=n", "--topology-manager-policy=sometimes"}, FakeEnv({}),
                           &error);
  ASSERT_TRUE(c) << error;
  std::string why;
  EXPECT_FALSE(numa::NodeAdmitter::Create(testing::MakeMachine(), c->kubelet, &why));
  EXPECT_NE(why.find("sometimes"), std::string::npos) << why;
  // Static memory without reserved memory: the memory manager's start-up refusal.
  c = ParseAgentFlags({"--node-name=n"}, FakeEnv({}), &error);
  EXPECT_FALSE(numa::NodeAdmitter::Create(testing::MakeMachine(), c->kubelet, &why));
  EXPECT_FALSE(why.empty());
}

TEST(AgentConfig, HelpNeedsNothingElse) {
  std::string error;
  auto c = ParseAgentFlags({"--help"}, FakeEnv({}), &error);
  ASSERT_TRUE(c) << error;
  EXPECT_TRUE(c->help);
  EXPECT_NE(AgentUsage().find("--reserved-memory"), std::string::npos);
}

}  // namespace
}  // namespace numalign::agent
