#include "agent/allocation/admitter_state.h"

#include "numa/memorymanager/state_validation.h"

namespace numalign::agent {

numa::MemoryCheckpoint AdmitterCheckpoint(const numa::NodeAdmitter& admitter) {
  numa::MemoryCheckpoint c;
  if (admitter.memory_policy()) {
    c = numa::CheckpointOf(*admitter.memory_policy());
  } else {
    c.policy_name = "None";
  }
  if (const auto& cpu = admitter.cpu_policy()) {
    const numa::CpuManagerState state = cpu->State();
    c.cpu_default_set = state.default_set.ToString();
    for (const auto& [pod, containers] : state.assignments) {
      for (const auto& [container, set] : containers)
        c.cpu_entries[pod][container] = set.ToString();
    }
  }
  return c;
}

std::optional<std::string> RestoreAdmitter(numa::NodeAdmitter& admitter,
                                           const numa::MemoryCheckpoint& checkpoint) {
  // Work on copies so a failure half-way leaves the admitter untouched.
  std::optional<numa::MemoryStaticPolicy> memory = admitter.memory_policy();
  std::optional<numa::StaticCpuPolicy> cpu = admitter.cpu_policy();
  if (memory) {
    if (auto err = numa::RestoreMemoryPolicy(*memory, checkpoint)) return err;
  } else if (checkpoint.policy_name != "None") {
    return "[memorymanager] configured policy \"None\" differs from state checkpoint policy \"" +
           checkpoint.policy_name + "\"";
  }
  if (cpu && checkpoint.cpu_default_set) {
    numa::CpuManagerState state;
    std::string why;
    auto shared = numa::CpuSet::Parse(*checkpoint.cpu_default_set, &why);
    if (!shared) return "cpu manager state: " + why;
    state.default_set = *shared;
    for (const auto& [pod, containers] : checkpoint.cpu_entries) {
      for (const auto& [container, text] : containers) {
        auto set = numa::CpuSet::Parse(text, &why);
        if (!set) return "cpu manager state: " + why;
        state.assignments[pod][container] = *set;
      }
    }
    if (auto err = cpu->RestoreState(state)) return err;
  } else if (cpu && !checkpoint.cpu_entries.empty()) {
    return "cpu manager state: assignments without a default set";
  }
  admitter.mutable_memory_policy() = std::move(memory);
  admitter.mutable_cpu_policy() = std::move(cpu);
  return std::nullopt;
}

void ReleasePod(numa::NodeAdmitter& admitter, const std::string& uid) {
  admitter.Remove(uid);  // forgets its key if Admit knew it; false for other pods, harmless
  if (auto& cpu = admitter.mutable_cpu_policy()) cpu->RemovePod(uid);
  if (auto& memory = admitter.mutable_memory_policy()) memory->RemovePod(uid);
}

}  // namespace numalign::agent
