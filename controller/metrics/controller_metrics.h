#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace numalign::controller {

// The controller's metrics, rendered in the Prometheus text format (common/metrics) on /metrics.
// Counters only grow; gauges describing nodes are replaced as a whole on every metrics pass so
// deleted nodes disappear. Thread-safe.
class ControllerMetrics {
 public:
  void CountRecovery(const std::string& reason, const std::string& outcome);
  void CountEviction(const std::string& outcome);
  void CountOrphanDeleted();
  void CountStaleTransition(bool marked);
  void CountDefragPlan(const std::string& result);

  struct ZoneSample {
    std::string node, zone, resource;
    double allocatable = 0, used = 0;
  };
  struct NodeFragmentation {
    std::string node, resource;
    double index = 0;
  };
  void ReplaceNodeGauges(std::vector<ZoneSample> zones, std::vector<NodeFragmentation> frag,
                         int stale_nodes);
  void SetPendingNumaPods(int n);
  void SetLeading(bool leading);

  std::uint64_t recoveries(const std::string& reason, const std::string& outcome) const;
  std::uint64_t evictions(const std::string& outcome) const;
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> recoveries_;
  std::map<std::string, std::uint64_t> evictions_;
  std::map<std::string, std::uint64_t> defrag_plans_;
  std::uint64_t orphans_deleted_ = 0;
  std::uint64_t stale_marked_ = 0;
  std::uint64_t stale_cleared_ = 0;
  std::vector<ZoneSample> zones_;
  std::vector<NodeFragmentation> fragmentation_;
  int stale_nodes_ = 0;
  int pending_numa_pods_ = 0;
  bool leading_ = false;
};

}  // namespace numalign::controller
