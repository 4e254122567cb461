#include "numa/memorymanager/state_validation.h"

#include <algorithm>

#include "numa/memorymanager/static_policy.h"

namespace numalign::numa {
namespace {

constexpr const char* kDifferent =
    "[memorymanager] the expected machine state is different from the real one";

std::vector<int> Sorted(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  return v;
}

bool StatesEqual(const std::map<int, CheckpointNode>& stored,
                 const std::map<int, CheckpointNode>& expected, StateComparison comparison) {
  if (stored.size() != expected.size()) return false;
  for (const auto& [id, s] : stored) {
    auto e_it = expected.find(id);
    if (e_it == expected.end()) return false;
    const CheckpointNode& e = e_it->second;
    if (s.number_of_assignments != e.number_of_assignments) return false;
    if (Sorted(s.cells) != Sorted(e.cells)) return false;
    if (s.memory_map.size() != e.memory_map.size()) return false;
    for (const auto& [name, st] : s.memory_map) {
      auto et_it = e.memory_map.find(name);
      if (et_it == e.memory_map.end()) return false;
      const MemoryTable& et = et_it->second;
      if (st.total != et.total || st.system_reserved != et.system_reserved ||
          st.allocatable != et.allocatable) {
        return false;
      }
      if (comparison == StateComparison::kPerNode) {
        if (st.free != et.free || st.reserved != et.reserved) return false;
        continue;
      }
      // v1.32: sums over the stored node's group, in both states.
      std::uint64_t sf = 0, sr = 0, ef = 0, er = 0;
      for (int member : s.cells) {
        auto sm = stored.find(member);
        auto em = expected.find(member);
        if (sm == stored.end() || em == expected.end()) return false;
        auto smt = sm->second.memory_map.find(name);
        auto emt = em->second.memory_map.find(name);
        if (smt == sm->second.memory_map.end() || emt == em->second.memory_map.end()) return false;
        sf += smt->second.free;
        sr += smt->second.reserved;
        ef += emt->second.free;
        er += emt->second.reserved;
      }
      if (sf != ef || sr != er) return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> ValidateMemoryState(const MemoryCheckpoint& stored,
                                               const MemoryCheckpoint& default_state,
                                               StateComparison comparison) {
  if (stored.machine_state.empty()) {
    if (!stored.entries.empty()) {
      return std::string(
          "[memorymanager] machine state can not be empty when it has memory assignments");
    }
    return std::nullopt;
  }
  std::map<int, CheckpointNode> expected = default_state.machine_state;
  for (const auto& [pod, containers] : stored.entries) {
    for (const auto& [container, blocks] : containers) {
      for (const auto& b : blocks) {
        std::uint64_t remaining = b.size;
        for (int id : b.numa_affinity) {
          auto n = expected.find(id);
          if (n == expected.end()) {
            return "[memorymanager] (pod: " + pod + ", container: " + container +
                   ") the memory assignment uses the NUMA that does not exist";
          }
          ++n->second.number_of_assignments;
          n->second.cells = b.numa_affinity;
          auto t = n->second.memory_map.find(b.type);
          if (t == n->second.memory_map.end()) {
            return "[memorymanager] (pod: " + pod + ", container: " + container +
                   ") the memory assignment uses memory resource that does not exist";
          }
          if (remaining == 0 || t->second.free == 0) continue;
          const std::uint64_t take = std::min(t->second.free, remaining);
          t->second.free -= take;
          t->second.reserved += take;
          remaining -= take;
        }
      }
    }
  }
  if (!StatesEqual(stored.machine_state, expected, comparison)) return std::string(kDifferent);
  return std::nullopt;
}

std::optional<std::string> RestoreMemoryPolicy(MemoryStaticPolicy& policy,
                                               const MemoryCheckpoint& stored) {
  if (stored.policy_name != "Static") {
    return "[memorymanager] configured policy \"Static\" differs from state checkpoint policy \"" +
           stored.policy_name + "\"";
  }
  const MemoryMachineState& fresh = policy.default_state();
  MemoryCheckpoint defaults;
  {
    MemoryStaticPolicy copy = policy;
    copy.Restore(fresh, {});
    defaults = CheckpointOf(copy);
  }
  if (auto err = ValidateMemoryState(stored, defaults)) return err;
  if (stored.machine_state.empty()) {
    policy.Restore(fresh, {});
    return std::nullopt;
  }
  // Validation guarantees the same node ids and resource names as the fresh state.
  MemoryMachineState state = fresh;
  const NumaIdMap& ids = state.ids();
  for (auto& n : state.nodes()) {
    const CheckpointNode& s = stored.machine_state.at(n.id);
    n.number_of_assignments = s.number_of_assignments;
    n.cells = ids.MaskOfIds(s.cells);
    for (std::size_t r = 0; r < state.resources().size(); ++r) {
      n.tables[r] = s.memory_map.at(state.resources()[r]);
    }
  }
  MemoryAssignments assignments;
  for (const auto& [pod, containers] : stored.entries) {
    for (const auto& [container, blocks] : containers) {
      auto& out = assignments[pod][container];
      for (const auto& b : blocks)
        out.push_back(MemoryBlock{ids.MaskOfIds(b.numa_affinity), b.type, b.size});
    }
  }
  policy.Restore(std::move(state), std::move(assignments));
  return std::nullopt;
}

}  // namespace numalign::numa
