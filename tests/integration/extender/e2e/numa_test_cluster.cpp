#include "tests/integration/extender/e2e/numa_test_cluster.h"

#include "kube/objects/pod.h"
#include "kube/rest/resource.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/pod/quantity.h"
#include "tests/integration/extender/decision/test_cluster.h"

namespace numalign::extender::integration {
namespace {

std::int64_t Amount(const kube::Json& value) {
  std::string error;
  auto q = numa::Quantity::Parse(value.is_string() ? value.get<std::string>() : "0", &error);
  return q ? q->ValueCeil() : 0;
}

}  // namespace

NumaTestCluster::NumaTestCluster(kube::integration::KubeTestEnv& env)
    : env_(env), prefix_(kube::integration::UniqueName("numa")) {}

NumaTestCluster::~NumaTestCluster() {
  for (const auto& node : nodes_) {
    try {
      env_.client()->Delete(kube::resources::NodeResourceTopologies(), "", node);
      env_.client()->Delete(kube::resources::Nodes(), "", node);
    } catch (const std::exception&) {
      // Best effort: cleanup must not hide the test's own result.
    }
  }
}

std::string NumaTestCluster::AddNode(const std::string& policy, int zones, int cpus) {
  std::string name = prefix_ + "-" + std::to_string(nodes_.size());
  env_.client()->Create(
      kube::resources::Nodes(), "",
      {{"apiVersion", "v1"},
       {"kind", "Node"},
       {"metadata", {{"name", name}, {"labels", {{"numalign.io/test", "true"}}}}}});
  kube::Json nrt = testing::MakeNrt(name, policy, zones, cpus, /*agent_mode=*/true);
  nrts_[name] = env_.client()->Create(kube::resources::NodeResourceTopologies(), "", nrt);
  nodes_.push_back(name);
  return name;
}

kube::Json NumaTestCluster::CreatePod(const std::string& name, const std::string& cpu,
                                      const std::string& memory) {
  kube::Json pod = testing::MakePod(name, cpu, memory);
  pod["metadata"].erase("uid");
  pod["metadata"].erase("creationTimestamp");
  pod["metadata"]["namespace"] = env_.ns();
  pod["spec"]["containers"][0]["image"] = "registry.k8s.io/pause:3.10";
  return env_.client()->Create(kube::resources::Pods(), env_.ns(), pod);
}

kube::Json NumaTestCluster::GetPod(const std::string& name) const {
  return env_.client()->Get(kube::resources::Pods(), env_.ns(), name);
}

std::vector<kube::Json> NumaTestCluster::ListPods() const {
  kube::Json list = env_.client()->List(kube::resources::Pods(), env_.ns());
  std::vector<kube::Json> pods;
  for (auto& item : list.value("items", kube::Json::array())) pods.push_back(item);
  return pods;
}

std::vector<testing::DriverNode> NumaTestCluster::DriverNodes() const {
  std::vector<testing::DriverNode> out;
  for (const auto& name : nodes_) {
    testing::DriverNode node;
    node.name = name;
    node.object = {{"metadata", {{"name", name}}}};
    out.push_back(std::move(node));
  }
  return out;
}

std::vector<std::string> FindOvercommits(const std::map<std::string, kube::Json>& nrts,
                                         const std::vector<kube::Json>& pods) {
  std::vector<std::string> problems;
  // node -> zone -> resource -> amount used by the decisions.
  std::map<std::string, std::map<int, std::map<std::string, std::int64_t>>> used;
  for (const auto& pod : pods) {
    kube::PodView view(pod);
    if (!view.IsBound() || !nrts.count(view.NodeName())) continue;
    const std::string who = view.Name() + " on " + view.NodeName();
    auto annotation = view.Annotation(std::string(numa::kAllocationAnnotation));
    if (!annotation) {
      problems.push_back(who + ": bound without numalign.io/allocation");
      continue;
    }
    std::string error;
    auto decision = numa::ParseAllocationDecision(*annotation, &error);
    if (!decision) {
      problems.push_back(who + ": " + error);
      continue;
    }
    if (decision->node != view.NodeName() || decision->pod_uid != view.Uid()) {
      problems.push_back(who + ": decision is for " + decision->node + "/" + decision->pod_uid);
      continue;
    }
    for (const auto& container : pod["spec"]["containers"]) {
      const auto* c = decision->Find(container.value("name", ""));
      if (!c) {
        problems.push_back(who + ": no decision for container " + container.value("name", ""));
        continue;
      }
      const kube::Json requests = container["resources"].value("requests", kube::Json::object());
      auto cpu = c->numa.find("cpu");
      auto memory = c->numa.find("memory");
      if (cpu == c->numa.end() || cpu->second.size() != 1 || memory == c->numa.end() ||
          memory->second.size() != 1) {
        problems.push_back(who + ": container not on exactly one NUMA node");
        continue;
      }
      used[view.NodeName()][cpu->second[0]]["cpu"] += c->exclusive_cpus;
      used[view.NodeName()][memory->second[0]]["memory"] += Amount(requests.value("memory", ""));
    }
  }
  for (const auto& [node, zones] : used) {
    const kube::Json& nrt = nrts.at(node);
    for (const auto& [zone_id, resources] : zones) {
      const kube::Json* zone = nullptr;
      for (const auto& z : nrt["zones"]) {
        if (z.value("name", "") == "node-" + std::to_string(zone_id)) zone = &z;
      }
      if (!zone) {
        problems.push_back(node + ": decisions on unknown zone " + std::to_string(zone_id));
        continue;
      }
      for (const auto& [resource, amount] : resources) {
        std::int64_t allocatable = 0;
        for (const auto& r : (*zone)["resources"]) {
          if (r.value("name", "") == resource) allocatable = Amount(r["allocatable"]);
        }
        if (amount > allocatable) {
          problems.push_back(node + " node-" + std::to_string(zone_id) + " " + resource + ": " +
                             std::to_string(amount) + " decided > " + std::to_string(allocatable) +
                             " allocatable");
        }
      }
    }
  }
  return problems;
}

}  // namespace numalign::extender::integration
