#include "sim/report/result_json.h"

#include <cmath>
#include <map>

namespace numalign::sim {
namespace {

using nlohmann::json;

// Shares and fractions rounded to 4 decimals: enough for any report, and stable in print.
double Round(double v) {
  return std::round(v * 10000.0) / 10000.0;
}

json Rounded(const std::vector<double>& values) {
  json out = json::array();
  for (double v : values) out.push_back(Round(v));
  return out;
}

std::string OutcomeName(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kPlaced:
      return "Placed";
    case OutcomeKind::kAdmissionError:
      return "AdmissionError";
    case OutcomeKind::kPending:
      return "Pending";
  }
  return "";
}

json Counters(const PlacementCounters& c) {
  return {{"pods", c.pods},
          {"placed", c.placed},
          {"admissionErrors", c.admission_errors},
          {"failed", c.failed},
          {"recreated", c.recreated},
          {"pending", c.pending},
          {"numaPods", c.numa_pods},
          {"alignedShare", Round(c.aligned_share)},
          {"spreadMoreThanNeededShare", Round(c.spread_share)},
          {"cpuUtilisation", Round(c.cpu_utilisation)},
          {"memoryUtilisation", Round(c.memory_utilisation)},
          {"peakCpuUtilisation", Round(c.peak_cpu_utilisation)}};
}

json Pod(const PodOutcome& o) {
  json containers = json::array();
  for (const auto& c : o.containers) {
    containers.push_back({{"name", c.name},
                          {"exclusiveCpus", c.exclusive_cpus},
                          {"numaNodes", c.numa_nodes},
                          {"minNumaNodes", c.min_numa_nodes}});
  }
  json out = {{"pod", o.pod},
              {"final", o.final},
              {"node", o.node},
              {"outcome", OutcomeName(o.outcome)},
              {"attempts", o.attempts},
              {"recreations", o.recreations},
              {"guaranteed", o.guaranteed},
              {"aligned", o.aligned},
              {"spreadMoreThanNeeded", o.spread_more_than_needed},
              {"createdAt", o.created_at_s},
              {"containers", containers}};
  if (!o.reason.empty()) out["reason"] = o.reason;
  if (o.deleted_at_s >= 0) out["deletedAt"] = o.deleted_at_s;
  return out;
}

}  // namespace

json ResultJson(const RunSummary& run, const ResultJsonOptions& options) {
  std::map<std::string, int> topologies;
  for (const auto& n : run.cluster->nodes) ++topologies[n.topology];
  std::size_t creates = 0;
  for (const auto& e : run.workload->events) creates += e.kind == SimEventKind::kCreatePod;
  json out = {
      {"schema", "numalign-sim/v1"},
      {"mode", run.mode},
      {"cluster", {{"nodes", run.cluster->nodes.size()}, {"topologies", topologies}}},
      {"workload",
       {{"name", run.workload->name},
        {"seed", run.workload->seed},
        {"durationSeconds", run.workload->duration_s},
        {"events", run.workload->events.size()},
        {"pods", creates}}},
  };
  json placements = json::array();
  for (const auto& p : run.placements) {
    json numa = json::array();
    for (const auto& s : p.numa_series) {
      numa.push_back({{"node", s.node}, {"numa", s.numa_id}, {"cpuUsed", Rounded(s.cpu_used)}});
    }
    json entry = {{"name", p.placement},
                  {"description", p.description},
                  {"counters", Counters(p.counters)},
                  {"notes", p.notes},
                  {"series",
                   {{"sampleTimes", p.sample_times_s},
                    {"admissionErrors", p.admission_errors_at},
                    {"cpuUtilisation", Rounded(p.cpu_utilisation_at)},
                    {"numaCpuUsed", numa}}}};
    if (options.timings) {
      const LatencySummary& l = p.extender_latency;
      entry["timings"] = {{"timeToPlaceSeconds", p.time_to_place_s},
                          {"meanTimeToPlaceMicros", p.mean_time_to_place_us},
                          {"extenderLatencyMicros",
                           {{"count", l.count},
                            {"p50", l.p50_us},
                            {"p90", l.p90_us},
                            {"p99", l.p99_us},
                            {"max", l.max_us},
                            {"mean", l.mean_us}}}};
    }
    if (options.pod_outcomes) {
      json pods = json::array();
      for (const auto& o : p.pods) pods.push_back(Pod(o));
      entry["pods"] = pods;
    }
    placements.push_back(entry);
  }
  out["placements"] = placements;
  return out;
}

}  // namespace numalign::sim
