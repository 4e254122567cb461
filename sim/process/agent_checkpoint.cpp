#include "sim/process/agent_checkpoint.h"

#include <algorithm>

#include "agent/state/posix_durable_io.h"
#include "agent/state/state_file.h"
#include "numa/memorymanager/checkpoint.h"
#include "numa/topology/cpu_list.h"

namespace numalign::sim::process {

std::optional<AgentPodAllocation> ReadAgentPodAllocation(const std::string& checkpoint_path,
                                                         const std::string& pod_uid,
                                                         std::string* error) {
  agent::state::PosixDurableIo io;
  agent::state::StateFile file(checkpoint_path, io);
  auto document = file.Load();
  if (!document) {
    *error = checkpoint_path + ": " + document.error().ToString();
    return std::nullopt;
  }
  const nlohmann::json& doc = document.value();
  AgentPodAllocation out;
  for (const auto& record : doc.value("pods", nlohmann::json::array())) {
    if (record.value("uid", "") == pod_uid) {
      out.known = true;
      out.source = record.value("source", "");
    }
  }
  if (!out.known) return out;
  if (!doc.contains("memoryManagerState")) {
    *error = checkpoint_path + ": no memoryManagerState";
    return std::nullopt;
  }
  auto state =
      numa::ParseCheckpoint(doc["memoryManagerState"].dump(), numa::ChecksumCheck::kSkip, error);
  if (!state) {
    *error = checkpoint_path + ": memoryManagerState: " + *error;
    return std::nullopt;
  }
  if (auto cpus = state->cpu_entries.find(pod_uid); cpus != state->cpu_entries.end()) {
    for (const auto& [container, set] : cpus->second) {
      auto ids = numa::ParseCpuList(set, error);
      if (!ids) {
        *error = checkpoint_path + ": CPUs of " + container + ": " + *error;
        return std::nullopt;
      }
      out.containers[container].cpus = *ids;
    }
  }
  if (auto memory = state->entries.find(pod_uid); memory != state->entries.end()) {
    for (const auto& [container, blocks] : memory->second) {
      auto& numa_by_resource = out.containers[container].memory_numa;
      for (const auto& block : blocks) {
        auto& nodes = numa_by_resource[block.type];
        nodes.insert(nodes.end(), block.numa_affinity.begin(), block.numa_affinity.end());
        std::sort(nodes.begin(), nodes.end());
        nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
      }
    }
  }
  return out;
}

}  // namespace numalign::sim::process
