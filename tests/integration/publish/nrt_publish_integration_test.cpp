#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "agent/podresources/kubelet_state_source.h"
#include "agent/podresources/podresources_client.h"
#include "agent/podresources/testing/fake_podresources_server.h"
#include "agent/publish/fake_node_state_source.h"
#include "agent/publish/nrt_publisher.h"
#include "kube/rest/api_error.h"
#include "kube/rest/resource.h"
#include "tests/integration/kube/kube_test_env.h"

namespace numalign::agent::publish {
namespace {

using namespace std::chrono_literals;
using kube::integration::KubeTestEnv;
using kube::integration::UniqueName;
using nlohmann::json;

// A Node for the NRT to belong to, deleted (with its NRT) at the end.
class TestNode {
 public:
  TestNode(KubeTestEnv& env, std::string name) : env_(env), name_(std::move(name)) {
    const json node = env_.client()->Create(
        kube::resources::Nodes(), "",
        {{"apiVersion", "v1"},
         {"kind", "Node"},
         {"metadata", {{"name", name_}, {"labels", {{"numalign.io/test", "true"}}}}}});
    uid_ = node["metadata"]["uid"];
  }
  ~TestNode() {
    for (const auto* r : {&kube::resources::NodeResourceTopologies(), &kube::resources::Nodes()}) {
      try {
        env_.client()->Delete(*r, "", name_);
      } catch (const std::exception&) {
        // Best effort: cleanup must not hide the test's result.
      }
    }
  }
  const std::string& name() const { return name_; }
  const std::string& uid() const { return uid_; }

 private:
  KubeTestEnv& env_;
  std::string name_;
  std::string uid_;
};

// Polls the NRT until `done` holds (or the timeout); returns the last object read.
json WaitForNrt(KubeTestEnv& env, const std::string& name, std::chrono::milliseconds timeout,
                const std::function<bool(const json&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  json last;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      last = env.client()->Get(kube::resources::NodeResourceTopologies(), "", name);
      if (done(last)) return last;
    } catch (const kube::ApiError&) {
      // Not there yet.
    }
    std::this_thread::sleep_for(20ms);
  }
  return last;
}

std::string Attr(const json& nrt, const std::string& name) {
  for (const auto& a : nrt.value("attributes", json::array())) {
    if (a.value("name", "") == name) return a.value("value", "");
  }
  return "<missing>";
}

NodeStateSnapshot AgentSnapshot(const std::string& node) {
  NodeStateSnapshot s;
  s.node_name = node;
  s.generation = 1;
  s.topology_manager_policy = "single-numa-node";
  s.topology_manager_scope = "pod";
  s.cpu_manager_policy = "static";
  s.memory_manager_policy = "Static";
  s.pinning_mode = "agent";
  for (int id = 0; id < 2; ++id) {
    NumaZoneState zone;
    zone.numa_id = id;
    zone.distances = {{0, id == 0 ? 10 : 21}, {1, id == 1 ? 10 : 21}};
    zone.resources["cpu"] = {16, 15, 15};
    zone.resources["memory"] = {34359738368, 33285996544, 33285996544};
    zone.resources["hugepages-2Mi"] = {1073741824, 1073741824, 1073741824};
    s.zones.push_back(zone);
  }
  return s;
}

TEST(NrtPublishIntegrationTest, AgentModePublishesTheNrtShapeAndRepublishesChanges) {
  KubeTestEnv env;
  env.EnsureNrtCrd();
  TestNode node(env, UniqueName("numalign-pub"));
  FakeNodeStateSource source(AgentSnapshot(node.name()));
  NrtPublisherOptions options;
  options.coalesce_window = 100ms;
  NrtPublisher publisher(source, MakeApiNrtSink(env.client()), options);
  publisher.Start();

  json nrt = WaitForNrt(env, node.name(), 10s, [](const json& o) { return o.contains("zones"); });
  ASSERT_TRUE(nrt.contains("zones")) << nrt.dump(2);
  // What `kubectl get noderesourcetopologies -o yaml` shows.
  EXPECT_EQ(nrt["apiVersion"], "topology.node.k8s.io/v1alpha2");
  EXPECT_EQ(nrt["kind"], "NodeResourceTopology");
  EXPECT_EQ(nrt["metadata"]["name"], node.name());
  const json owner = nrt["metadata"]["ownerReferences"][0];
  EXPECT_EQ(owner["apiVersion"], "v1");
  EXPECT_EQ(owner["kind"], "Node");
  EXPECT_EQ(owner["name"], node.name());
  EXPECT_EQ(owner["uid"], node.uid());
  bool applied_by_agent = false;
  for (const auto& entry : nrt["metadata"].value("managedFields", json::array())) {
    if (entry.value("manager", "") == "numalign-agent" && entry.value("operation", "") == "Apply") {
      applied_by_agent = true;
    }
  }
  EXPECT_TRUE(applied_by_agent) << nrt["metadata"].dump(2);
  EXPECT_EQ(nrt["topologyPolicies"], json::array({"SingleNUMANodePodLevel"}));
  EXPECT_EQ(Attr(nrt, "topologyManagerPolicy"), "single-numa-node");
  EXPECT_EQ(Attr(nrt, "topologyManagerScope"), "pod");
  EXPECT_EQ(Attr(nrt, "topologyManagerMaxNUMANodes"), "8");
  EXPECT_EQ(Attr(nrt, "nodeTopologyPodsFingerprint"), "pfp0v001ef46db3751d8e999");
  EXPECT_EQ(Attr(nrt, "nodeTopologyPodsFingerprintMethod"), "with-exclusive-resources");
  EXPECT_EQ(Attr(nrt, "numalign.io/pinningMode"), "agent");
  EXPECT_NE(Attr(nrt, "numalign.io/heartbeat"), "<missing>");
  ASSERT_EQ(nrt["zones"].size(), 2u);
  const json& zone1 = nrt["zones"][1];
  EXPECT_EQ(zone1["name"], "node-1");
  EXPECT_EQ(zone1["type"], "Node");
  EXPECT_EQ(
      zone1["costs"],
      (json::array({{{"name", "node-0"}, {"value", 21}}, {{"name", "node-1"}, {"value", 10}}})));
  EXPECT_EQ(
      zone1["resources"][0],
      (json{{"name", "cpu"}, {"capacity", "16"}, {"allocatable", "15"}, {"available", "15"}}));
  EXPECT_EQ(zone1["resources"][1]["name"], "memory");
  EXPECT_EQ(zone1["resources"][1]["allocatable"], "33285996544");
  EXPECT_EQ(zone1["resources"][2]["name"], "hugepages-2Mi");

  // A pod gets pinned: republished within a second.
  const auto changed = std::chrono::steady_clock::now();
  source.Change([](NodeStateSnapshot& s) {
    s.zones[0].resources["cpu"].available = 11;
    AdmittedPodState pod;
    pod.uid = "u";
    pod.namespace_name = "ns";
    pod.name = "pinned";
    pod.exclusive_cpus["c"] = {2, 3, 4, 5};
    s.pods.push_back(pod);
  });
  nrt = WaitForNrt(env, node.name(), 5s, [](const json& o) {
    return o["zones"][0]["resources"][0]["available"] == "11";
  });
  EXPECT_LT(std::chrono::steady_clock::now() - changed, 1500ms);
  EXPECT_EQ(nrt["zones"][0]["resources"][0]["available"], "11");
  EXPECT_EQ(Attr(nrt, "numalign.io/stateGeneration"), "2");
  EXPECT_NE(Attr(nrt, "nodeTopologyPodsFingerprint"), "pfp0v001ef46db3751d8e999");
  publisher.Stop();
  EXPECT_EQ(publisher.stats().failures, 0u) << publisher.stats().last_error;
}

TEST(NrtPublishIntegrationTest, KubeletModePublishesWhatThePodResourcesApiReports) {
  KubeTestEnv env;
  env.EnsureNrtCrd();
  TestNode node(env, UniqueName("numalign-kub"));
  const auto dir = std::filesystem::temp_directory_path() / UniqueName("nprk");
  std::filesystem::create_directories(dir);
  auto kubelet =
      podresources::testing::FakePodResourcesServer::Start((dir / "kubelet.sock").string());
  v1::AllocatableResourcesResponse allocatable;
  for (int cpu = 1; cpu < 4; ++cpu) allocatable.add_cpu_ids(cpu);
  kubelet->SetAllocatable(allocatable);
  using podresources::testing::FakePodResourcesServer;
  kubelet->AddPod("ns", "pinned", {FakePodResourcesServer::Container("c", {2, 3})});

  numa::Machine machine;
  numa::NumaNodeInfo numa0;
  numa0.id = 0;
  numa0.cpus = {0, 1, 2, 3};
  numa0.memory = 8ULL << 30;
  machine.numa_nodes.push_back(numa0);
  for (int cpu = 0; cpu < 4; ++cpu) {
    numa::LogicalCpu logical;
    logical.id = logical.core = cpu;
    machine.cpus.push_back(logical);
  }
  podresources::PodResourcesClientOptions client_options;
  client_options.socket_path = kubelet->socket_path();
  podresources::KubeletModeConfig config;
  config.node_name = node.name();
  config.topology_manager_policy = "restricted";
  config.cpu_manager_policy = "static";
  podresources::KubeletStateSourceOptions source_options;
  source_options.refresh_interval = 100ms;
  podresources::KubeletStateSource source(
      std::make_shared<podresources::PodResourcesClient>(client_options), machine, config,
      source_options);
  NrtPublisherOptions options;
  options.coalesce_window = 100ms;
  NrtPublisher publisher(source, MakeApiNrtSink(env.client()), options);
  publisher.Start();
  source.Start();

  json nrt = WaitForNrt(env, node.name(), 10s, [](const json& o) { return o.contains("zones"); });
  ASSERT_TRUE(nrt.contains("zones")) << nrt.dump(2);
  EXPECT_EQ(Attr(nrt, "numalign.io/pinningMode"), "kubelet");
  EXPECT_EQ(Attr(nrt, "topologyManagerPolicy"), "restricted");
  EXPECT_EQ(nrt["zones"][0]["resources"][0],
            (json{{"name", "cpu"}, {"capacity", "4"}, {"allocatable", "3"}, {"available", "1"}}));

  kubelet->RemovePod("ns", "pinned");  // the pod ends: the kubelet frees its CPUs
  nrt = WaitForNrt(env, node.name(), 5s,
                   [](const json& o) { return o["zones"][0]["resources"][0]["available"] == "3"; });
  EXPECT_EQ(nrt["zones"][0]["resources"][0]["available"], "3");
  source.Stop();
  publisher.Stop();
  kubelet->Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace numalign::agent::publish
