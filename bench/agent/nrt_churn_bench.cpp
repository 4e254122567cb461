// numalign-bench-nrt-churn: NodeResourceTopology writes per minute under pod churn. The real
// NrtPublisher (coalescing window, heartbeat, unchanged-object skip) is driven on a simulated
// clock through one minute per churn rate: every churn event admits or releases a pod in the
// node's state (a new generation, as the allocation engine publishes it), and every apply the
// publisher makes is counted. Reports writes/min and the longest delay from a change to the
// write that carried it (the issue promises a republish within 1 s). Reported, never asserted.
//
//   numalign-bench-nrt-churn [--coalesce-ms MS (200)] [--heartbeat-s S (60)]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "agent/allocation/node_state_hub.h"
#include "agent/publish/nrt_publisher.h"
#include "kube/clock/clock.h"

namespace {

using namespace numalign;
using namespace std::chrono_literals;

class CountingSink final : public agent::publish::NrtSink {
 public:
  std::string NodeUid(const std::string&) override { return "bench-node-uid"; }
  void Apply(const nlohmann::json&) override { ++applies; }
  int applies = 0;
};

// Two NUMA nodes of 48 CPUs; `pods` pods of 1 exclusive CPU and 1 GiB each, alternating nodes.
agent::NodeStateSnapshot Snapshot(int pods) {
  agent::NodeStateSnapshot s;
  s.node_name = "bench-node";
  s.topology_manager_policy = "single-numa-node";
  s.topology_manager_scope = "container";
  s.cpu_manager_policy = "static";
  s.memory_manager_policy = "Static";
  s.pinning_mode = "agent";
  for (int id = 0; id < 2; ++id) {
    agent::NumaZoneState zone;
    zone.numa_id = id;
    zone.distances = {{0, id == 0 ? 10 : 21}, {1, id == 1 ? 10 : 21}};
    const int used = (pods + (id == 0 ? 1 : 0)) / 2;  // pods on this node
    zone.resources["cpu"] = {48, 47, 47 - used};
    zone.resources["memory"] = {64LL << 30, 63LL << 30, (63LL << 30) - used * (1LL << 30)};
    s.zones.push_back(zone);
  }
  for (int i = 0; i < pods; ++i) {
    agent::AdmittedPodState pod;
    pod.uid = "00000000-0000-0000-0000-" + std::to_string(100000000000 + i);
    pod.namespace_name = "bench";
    pod.name = "p" + std::to_string(i);
    pod.admission_sequence = static_cast<std::uint64_t>(i + 1);
    pod.numa_ids = {i % 2};
    pod.exclusive_cpus["app"] = {i + 1};
    s.pods.push_back(pod);
  }
  return s;
}

struct Result {
  int writes = 0;
  double max_delay_ms = 0;
};

// One simulated minute with a churn event every `period` (zero: none, steady state).
Result RunMinute(std::chrono::milliseconds period, std::chrono::milliseconds coalesce,
                 std::chrono::seconds heartbeat) {
  auto clock = std::make_shared<kube::FakeClock>();
  agent::NodeStateHub hub;
  auto sink = std::make_shared<CountingSink>();
  agent::publish::NrtPublisherOptions options;
  options.node_uid = "bench-node-uid";
  options.coalesce_window = coalesce;
  options.heartbeat_interval = heartbeat;
  agent::publish::NrtPublisher publisher(hub, sink, options, clock);
  // The state as it stands when the minute starts: 40 pods, already published once.
  int pods = 40;
  hub.Publish(Snapshot(pods));
  auto next_run = publisher.RunOnce(clock->Now());
  const int warmup_writes = sink->applies;

  const auto start = clock->Now();
  const auto end = start + 60s;
  auto next_churn = start + period;
  bool grow = true;
  std::vector<kube::Clock::TimePoint> unwritten;  // changes not yet carried by a write
  Result result;
  while (clock->Now() <= end) {  // inclusive: a heartbeat due at 60 s counts
    const auto now = clock->Now();
    if (period.count() > 0 && now >= next_churn) {
      pods += grow ? 1 : -1;
      if (pods >= 60) grow = false;
      if (pods <= 20) grow = true;
      hub.Publish(Snapshot(pods));
      publisher.NotifyChange(now);
      unwritten.push_back(now);
      next_churn += period;
      next_run = std::min(next_run, now + coalesce);
    }
    if (now >= next_run) {
      const int before = sink->applies;
      next_run = publisher.RunOnce(now);
      if (sink->applies > before) {
        for (const auto& changed : unwritten) {
          result.max_delay_ms =
              std::max(result.max_delay_ms,
                       std::chrono::duration<double, std::milli>(now - changed).count());
        }
        unwritten.clear();
      }
    }
    clock->Advance(1ms);
  }
  result.writes = sink->applies - warmup_writes;
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  int coalesce_ms = 200;
  int heartbeat_s = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--coalesce-ms") coalesce_ms = std::atoi(argv[i + 1]);
    if (std::string(argv[i]) == "--heartbeat-s") heartbeat_s = std::atoi(argv[i + 1]);
  }
  std::printf("NRT writes per minute under pod churn (coalescing window %d ms, heartbeat %d s)\n",
              coalesce_ms, heartbeat_s);
  const std::pair<const char*, int> rates[] = {{"steady state (no churn)", 0},
                                               {"1 pod change / 10 s", 10000},
                                               {"1 pod change / s", 1000},
                                               {"10 pod changes / s", 100},
                                               {"100 pod changes / s", 10}};
  for (const auto& [label, period_ms] : rates) {
    const Result r =
        RunMinute(std::chrono::milliseconds(period_ms), std::chrono::milliseconds(coalesce_ms),
                  std::chrono::seconds(heartbeat_s));
    const int changes = period_ms > 0 ? 60000 / period_ms : 0;
    std::printf("  %-26s changes/min=%5d  NRT writes/min=%4d  max change->write delay=%.0f ms\n",
                label, changes, r.writes, r.max_delay_ms);
  }
  return 0;
}
