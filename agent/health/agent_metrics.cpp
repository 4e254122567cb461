#include "agent/health/agent_metrics.h"

namespace numalign::agent {
namespace {

void Append(std::string* out, const char* name, const char* type, const char* help,
            std::uint64_t value) {
  *out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
          name + " " + std::to_string(value) + "\n";
}

}  // namespace

std::string AgentMetrics::RenderPrometheus() const {
  std::string out;
  Append(&out, "memory_manager_pinning_requests_total", "counter",
         "The number of memory pages allocations which required pinning.",
         pinning_requests_total.load());
  Append(&out, "memory_manager_pinning_errors_total", "counter",
         "The number of memory pages allocations which required pinning that failed.",
         pinning_errors_total.load());
  Append(&out, "numalign_agent_cgroup_write_errors_total", "counter", "cpuset writes that failed.",
         cgroup_write_errors_total.load());
  Append(&out, "numalign_agent_cgroup_drift_repairs_total", "counter",
         "cgroups whose cpuset was overwritten and restored.", cgroup_drift_repairs_total.load());
  Append(&out, "numalign_agent_checkpoint_corruptions_total", "counter",
         "checkpoints refused at start-up (checksum, parse or validation) and rebuilt.",
         checkpoint_corruptions_total.load());
  Append(&out, "numalign_agent_checkpoint_write_errors_total", "counter",
         "checkpoint writes that failed.", checkpoint_write_errors_total.load());
  Append(&out, "numalign_agent_extender_decisions_accepted_total", "counter",
         "numalign.io/allocation decisions validated and committed.",
         extender_decisions_accepted_total.load());
  Append(&out, "numalign_agent_extender_decisions_refused_total", "counter",
         "numalign.io/allocation decisions refused (decided here instead).",
         extender_decisions_refused_total.load());
  Append(&out, "numalign_agent_annotation_patch_errors_total", "counter",
         "pod annotation patches that failed (retried).", annotation_patch_errors_total.load());
  Append(&out, "numalign_agent_admitted_pods", "gauge", "pods holding resources on this node.",
         admitted_pods.load());
  Append(&out, "numalign_agent_state_generation", "gauge", "the node state's generation.",
         state_generation.load());
  return out;
}

}  // namespace numalign::agent
