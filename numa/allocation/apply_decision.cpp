#include "numa/allocation/apply_decision.h"

#include <algorithm>

#include "numa/admission/cpu_container_kind.h"

namespace numalign::numa {
namespace {

int NumaNodeOfCpu(const Machine& machine, int cpu) {
  for (const auto& l : machine.cpus) {
    if (l.id == cpu) return l.numa_node;
  }
  return -1;
}

bool NeedsNuma(const ContainerRequest& c) {
  return c.exclusive_cpus > 0 || !c.memory.empty();
}

// Checks the decision's shape against the pod and the node before anything is allocated.
std::optional<std::string> CheckShape(const NodeAdmitter& admitter, const PodRequests& pod,
                                      const AllocationDecision& decision,
                                      const std::string& node_name) {
  if (decision.node != node_name) {
    return "decision is for node \"" + decision.node + "\", not this node \"" + node_name + "\"";
  }
  if (decision.pod_uid != pod.uid) {
    return "decision is for pod uid \"" + decision.pod_uid + "\", not \"" + pod.uid + "\"";
  }
  if (!pod.Guaranteed()) return std::string("pod is not Guaranteed: nothing to place");
  for (const auto& d : decision.containers) {
    const bool known = std::any_of(pod.containers.begin(), pod.containers.end(),
                                   [&](const auto& c) { return c.name == d.name; });
    if (!known) return "decision names container \"" + d.name + "\" that the pod does not have";
    for (const auto& [resource, ids] : d.numa) {
      for (int id : ids) {
        if (admitter.numa_ids().PositionOf(id) < 0) {
          return "container \"" + d.name + "\": " + resource + " on NUMA node " +
                 std::to_string(id) + ", which this node does not have";
        }
      }
    }
  }
  const bool single_numa = admitter.topology_policy().name() == TopologyPolicyName::kSingleNumaNode;
  for (const auto& c : pod.containers) {
    if (!NeedsNuma(c)) continue;
    const auto* d = decision.Find(c.name);
    if (!d) return "decision has no entry for container \"" + c.name + "\"";
    if (d->exclusive_cpus != c.exclusive_cpus) {
      return "container \"" + c.name + "\": decision gives " + std::to_string(d->exclusive_cpus) +
             " exclusive CPUs, the pod requests " + std::to_string(c.exclusive_cpus);
    }
    if (d->AllNumaNodes().empty()) return "container \"" + c.name + "\": no NUMA nodes decided";
    if (single_numa && d->AllNumaNodes().size() > 1) {
      return "container \"" + c.name + "\": several NUMA nodes under single-numa-node policy";
    }
  }
  return std::nullopt;
}

// After Allocate: the CPUs sit on the decided nodes and every memory block has the decided mask.
std::optional<std::string> CheckResult(const NodeAdmitter& admitter, const PodRequests& pod,
                                       const AllocationDecision& decision) {
  const Machine& machine = admitter.machine();
  for (const auto& c : pod.containers) {
    const auto* d = decision.Find(c.name);
    if (!d) continue;
    if (admitter.cpu_policy() && c.exclusive_cpus > 0) {
      auto cpu_nodes = d->numa.count("cpu") ? d->numa.at("cpu") : d->AllNumaNodes();
      for (int cpu : admitter.cpu_policy()->Assigned(pod.uid, c.name).ToVector()) {
        const int found = NumaNodeOfCpu(machine, cpu);
        if (std::find(cpu_nodes.begin(), cpu_nodes.end(), found) == cpu_nodes.end()) {
          return "container \"" + c.name + "\": CPU " + std::to_string(cpu) +
                 " had to come from NUMA node " + std::to_string(found) +
                 ", outside the decided nodes";
        }
      }
    }
    if (admitter.memory_policy()) {
      const auto* blocks = admitter.memory_policy()->Blocks(pod.uid, c.name);
      if (!blocks) continue;
      for (const auto& b : *blocks) {
        auto decided = d->numa.count(b.type) ? d->numa.at(b.type) : d->AllNumaNodes();
        if (admitter.numa_ids().IdsOf(b.affinity) != decided) {
          return "container \"" + c.name + "\": " + b.type +
                 " landed on NUMA nodes other than decided";
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ApplyAllocationDecision(NodeAdmitter& admitter, const PodRequests& pod,
                                                   const AllocationDecision& decision,
                                                   const std::string& node_name) {
  if (auto problem = CheckShape(admitter, pod, decision, node_name)) return problem;
  NodeAdmitter trial = admitter;  // value type: a throw-away copy of the node state
  auto& cpu = trial.mutable_cpu_policy();
  auto& memory = trial.mutable_memory_policy();
  for (std::size_t i = 0; i < pod.containers.size(); ++i) {
    const auto& c = pod.containers[i];
    const auto* d = decision.Find(c.name);
    TopologyHint hint;
    if (d && !d->AllNumaNodes().empty()) {
      hint.affinity = trial.numa_ids().MaskOfIds(d->AllNumaNodes());
      hint.preferred = true;
    }
    if (cpu) {
      if (auto err = cpu->Allocate(pod.uid, c.name, CpuContainerKind(c.role), c.exclusive_cpus,
                                   hint.affinity)) {
        return "container \"" + c.name + "\": " + err->reason + ": " + err->message;
      }
    }
    if (memory) {
      if (auto err = memory->Allocate(pod, i, hint)) return "container \"" + c.name + "\": " + *err;
    }
  }
  if (auto problem = CheckResult(trial, pod, decision)) return problem;
  // The pod starts: each container start releases the memory of the regular init containers
  // before it, exactly as NodeAdmitter::Admit does after a successful admission.
  if (memory) {
    for (std::size_t i = 0; i < pod.containers.size(); ++i) memory->ContainerStarted(pod, i);
  }
  admitter = std::move(trial);
  return std::nullopt;
}

}  // namespace numalign::numa
