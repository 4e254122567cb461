#include "sim/placement/numalign_in_process_placement.h"

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <vector>

#include "agent/allocation/allocation_engine.h"
#include "agent/publish/nrt_builder.h"
#include "extender/decider/numa_decider.h"
#include "extender/view/node_view.h"
#include "numa/admission/node_admitter.h"
#include "numa/allocation/allocation_annotation.h"
#include "sim/cluster/cluster_machines.h"
#include "sim/placement/event_driver.h"
#include "sim/placement/sim_pod_api.h"
#include "sim/scheduler/in_process_extender_client.h"
#include "sim/scheduler/scheduler_nodes.h"

namespace numalign::sim {
namespace {

// The agent's checkpoint, kept in memory: the simulation never restarts an agent.
class MemoryCheckpointStore final : public agent::CheckpointStore {
 public:
  agent::state::StateResult<nlohmann::json> Load() override {
    return agent::state::StateError{agent::state::StateErrorKind::kMissing, "memory", "none", 0};
  }
  agent::state::StateStatus Save(const nlohmann::json&) override { return {}; }
};

class WeightedClient final : public ExtenderClient {
 public:
  WeightedClient(ExtenderClient& inner, std::int64_t weight) : inner_(inner), weight_(weight) {}
  extender::protocol::FilterResult Filter(const extender::protocol::ExtenderArgs& a) override {
    return inner_.Filter(a);
  }
  PrioritizeReply Prioritize(const extender::protocol::ExtenderArgs& a) override {
    return inner_.Prioritize(a);
  }
  extender::protocol::BindingResult Bind(const extender::protocol::BindingArgs& a) override {
    return inner_.Bind(a);
  }
  std::int64_t Weight() const override { return weight_; }

 private:
  ExtenderClient& inner_;
  std::int64_t weight_;
};

// The agent's refusal without names and numbers, so that refusals of one kind count together.
std::string RefusalKind(const std::string& why) {
  std::string out;
  bool quoted = false;
  for (char c : why) {
    if (c == '"') {
      quoted = !quoted;
      if (quoted) out += '*';
      continue;
    }
    if (quoted) continue;
    out += std::isdigit(static_cast<unsigned char>(c)) ? '#' : c;
  }
  if (out.size() > 120) out.resize(120);
  return out;
}

// Debug aid (NUMALIGN_SIM_DIFF=1): the free exclusive CPUs per NUMA node as the extender's view
// and the node's agent see them. The view may see fewer (it cannot know which init-container
// CPUs the node's SMT layout lets app containers reuse) but never more, or the extender decides
// against a node that is not there.
std::vector<std::size_t> FreeCpusPerNuma(const numa::NodeAdmitter& admitter) {
  std::vector<std::size_t> out;
  if (!admitter.cpu_policy()) return out;
  const numa::CpuSet free = admitter.cpu_policy()->AvailableCpus();
  for (const auto& node : admitter.machine().numa_nodes) {
    out.push_back(free.IntersectionSize(numa::CpuSet::Of(node.cpus)));
  }
  return out;
}

std::string Describe(const std::vector<std::size_t>& free) {
  std::string out;
  for (std::size_t n = 0; n < free.size(); ++n) {
    out += " #" + std::to_string(n) + "=" + std::to_string(free[n]);
  }
  return out;
}

bool DiffEnabled() {
  static const bool enabled = std::getenv("NUMALIGN_SIM_DIFF") != nullptr;
  return enabled;
}

class NumalignBackend final : public PlacementBackend {
 public:
  NumalignBackend(const ClusterSpec& cluster, const std::vector<numa::Machine>& machines,
                  const NumalignOptions& options)
      : view_(std::make_shared<extender::NodeView>()),
        decider_(view_, api_, options.decision),
        client_(decider_),
        weighted_(client_, options.extender_weight),
        scheduler_(SchedulerNodes(cluster, machines), &weighted_, nullptr) {
    for (std::size_t i = 0; i < cluster.nodes.size(); ++i) {
      const SimNodeSpec& node = cluster.nodes[i];
      std::string error;
      auto admitter = numa::NodeAdmitter::Create(machines[i], node.kubelet, &error);
      if (!admitter) {
        throw std::runtime_error("node " + node.name + ": the kubelet would not start: " + error);
      }
      agent::AllocationEngine::Options engine_options;
      engine_options.node_name = node.name;
      engine_options.cpu_manager_policy = admitter->cpu_policy() ? "static" : "none";
      engine_options.memory_manager_policy = admitter->memory_policy() ? "Static" : "None";
      auto engine =
          std::make_unique<agent::AllocationEngine>(std::move(*admitter), engine_options, store_);
      // The agent publishes its node's NRT; the extender's informer feeds it to the view.
      agent::publish::NrtBuildOptions nrt_options;
      view_->UpsertNrt(agent::publish::BuildNodeResourceTopology(engine->Snapshot(), nrt_options));
      engines_.emplace(node.name, std::move(engine));
    }
  }

  void AdvanceTo(double) override {}

  AttemptResult Place(const SimPod& incarnation, const nlohmann::json& pod_object) override {
    AttemptResult out;
    const std::string& ns = incarnation.spec.namespace_name;
    const std::string& name = incarnation.spec.name;
    api_.Store(pod_object);
    view_->UpsertPod(pod_object);
    SchedulingDecision decision = scheduler_.Schedule(incarnation, pod_object);
    out.extender_latency_us = std::move(decision.extender_latency_us);
    if (decision.node.empty()) {
      out.kind = AttemptResult::Kind::kPending;
      out.reason = decision.reason;
      return out;
    }
    out.node = decision.node;
    kube::Json bound = api_.Pod(ns, name);
    view_->UpsertPod(bound);  // the informer's update after the binding

    // The node's agent sees the bound pod and places it.
    agent::PodObservation observation;
    observation.spec = incarnation.spec;
    observation.creation_timestamp = bound["metadata"].value("creationTimestamp", "");
    const auto& annotations = bound["metadata"].value("annotations", nlohmann::json::object());
    if (auto it = annotations.find(std::string(numa::kAllocationAnnotation));
        it != annotations.end() && it->is_string()) {
      observation.allocation_annotation = it->get<std::string>();
    }
    agent::AllocationEngine& engine = *engines_.at(decision.node);
    agent::PlacementOutcome placed = engine.Place(observation);
    if (!placed.decision_refused.empty()) {
      out.notes.push_back("agent refused the extender's decision: " +
                          RefusalKind(placed.decision_refused));
    }
    if (placed.kind != agent::PlacementOutcome::Kind::kAdmitted) {
      // The kubelet (the agent's admission) fails the pod: terminal, it frees everything.
      bound["status"]["phase"] = "Failed";
      view_->UpsertPod(bound);
      view_->DeletePod(bound);
      api_.Erase(ns, name);
      scheduler_.RemovePod(incarnation.spec.Key());
      out.kind = AttemptResult::Kind::kAdmissionError;
      out.reason = placed.reason + ": " + placed.message;
      return out;
    }
    bound["status"]["phase"] = "Running";
    api_.Store(bound);
    view_->UpsertPod(bound);
    out.kind = AttemptResult::Kind::kPlaced;
    CheckAgreement(decision.node, "placed " + incarnation.spec.uid);
    auto add = [&](const numa::ContainerSpec& c) {
      numa::ContainerAllocation allocation;
      allocation.cpus = engine.ExclusiveCpus(incarnation.spec.uid, c.name);
      allocation.memory_numa = engine.MemoryNuma(incarnation.spec.uid, c.name);
      if (!allocation.cpus.empty() || !allocation.memory_numa.empty()) {
        out.containers[c.name] = std::move(allocation);
      }
    };
    for (const auto& c : incarnation.spec.init_containers) add(c);
    for (const auto& c : incarnation.spec.containers) add(c);
    return out;
  }

  void Remove(const SimPod& incarnation, const std::string& node) override {
    const std::string& ns = incarnation.spec.namespace_name;
    const std::string& name = incarnation.spec.name;
    engines_.at(node)->Release(incarnation.spec.uid);
    kube::Json pod = api_.Pod(ns, name);
    view_->DeletePod(pod);
    api_.Erase(ns, name);
    scheduler_.RemovePod(incarnation.spec.Key());
    CheckAgreement(node, "removed " + incarnation.spec.uid);
  }

 private:
  void CheckAgreement(const std::string& node, const std::string& event) {
    if (!DiffEnabled()) return;
    auto state = view_->Get(node);
    if (!state || !state->admitter) return;
    const auto seen = FreeCpusPerNuma(*state->admitter);
    const auto actual = FreeCpusPerNuma(engines_.at(node)->admitter());
    bool more = seen.size() != actual.size();
    for (std::size_t n = 0; !more && n < seen.size(); ++n) more = seen[n] > actual[n];
    if (more) {
      std::cerr << "view sees more free CPUs than the agent on " << node << " after " << event
                << ": view" << Describe(seen) << " agent" << Describe(actual) << "\n";
    }
  }

  SimPodApi api_;
  MemoryCheckpointStore store_;
  std::shared_ptr<extender::NodeView> view_;
  extender::NumaDecider decider_;
  InProcessExtenderClient client_;
  WeightedClient weighted_;
  SchedulerModel scheduler_;
  std::map<std::string, std::unique_ptr<agent::AllocationEngine>> engines_;
};

}  // namespace

PlacementResult NumalignInProcessPlacement::Run(const ClusterSpec& cluster,
                                                const Workload& workload, RunObserver& observer) {
  const std::vector<numa::Machine> machines = LoadClusterMachines(cluster);
  NumalignBackend backend(cluster, machines, options_);
  PlacementResult result = RunEvents(Name(), cluster, machines, workload, backend, observer);
  result.description =
      "numalign: the extender's decision layer (in-process) and the agents' allocation engine";
  return result;
}

}  // namespace numalign::sim
