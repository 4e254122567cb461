#include "sim/placement/event_driver.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <stdexcept>

#include "numa/pod/qos.h"
#include "sim/model/limits.h"
#include "sim/model/pod_object.h"
#include "sim/placement/latency_summary.h"
#include "sim/placement/numa_footprint.h"
#include "sim/scheduler/resource_list.h"

namespace numalign::sim {
namespace {

// Everything the driver keeps about one CreatePod event's pod.
struct Tracked {
  const SimEvent* event = nullptr;
  SimPod incarnation;  // the current (last) incarnation
  std::string uid;
  double incarnation_created_s = 0;
  bool live = false;     // placed and not deleted
  bool waiting = false;  // pending, in the retry queue
  std::size_t node = 0;
  ResourceList requests;
  std::map<int, int> numa_cpus;  // exclusive CPUs held per NUMA node
};

class Driver {
 public:
  Driver(const std::string& name, const ClusterSpec& cluster,
         const std::vector<numa::Machine>& machines, const Workload& workload,
         PlacementBackend& backend, RunObserver& observer)
      : name_(name),
        cluster_(cluster),
        workload_(workload),
        backend_(backend),
        observer_(observer) {
    if (machines.size() != cluster.nodes.size()) {
      throw std::runtime_error("event driver: one machine per node expected");
    }
    for (std::size_t i = 0; i < cluster.nodes.size(); ++i) {
      node_index_[cluster.nodes[i].name] = i;
      capacity_.emplace_back(machines[i], cluster.nodes[i].kubelet);
      const ResourceList alloc = NodeAllocatable(machines[i], cluster.nodes[i].kubelet);
      total_cpu_ += static_cast<double>(alloc.at("cpu"));
      total_memory_ += static_cast<double>(alloc.at("memory"));
      for (int id : capacity_.back().cpu_nodes()) {
        series_index_[{i, id}] = result_.numa_series.size();
        result_.numa_series.push_back({cluster.nodes[i].name, id, {}});
        numa_used_.push_back(0);
      }
    }
    result_.placement = name;
    const int samples = kTimeSeriesSamples;
    for (int k = 0; k <= samples; ++k) {
      result_.sample_times_s.push_back(workload.duration_s * k / samples);
    }
  }

  PlacementResult Run() {
    const std::size_t total = workload_.events.size();
    tracked_.reserve(total);
    std::size_t done = 0;
    double last_retry = 0;
    for (const SimEvent& event : workload_.events) {
      SampleUntil(event.time_s);
      backend_.AdvanceTo(event.time_s);
      now_ = event.time_s;
      if (!waiting_.empty() && event.time_s >= last_retry + kPendingRetryPeriodS) {
        RetryPending();
        last_retry = event.time_s;
      }
      if (event.kind == SimEventKind::kCreatePod) {
        Create(event);
      } else {
        Delete(event);
      }
      observer_.OnProgress(name_, ++done, total);
    }
    SampleUntil(workload_.duration_s + 1);
    Finish();
    return std::move(result_);
  }

 private:
  void Create(const SimEvent& event) {
    Tracked t;
    t.event = &event;
    by_key_[event.pod.spec.Key()] = tracked_.size();
    tracked_.push_back(std::move(t));
    PodOutcome outcome;
    outcome.pod = event.pod.spec.Key();
    outcome.created_at_s = event.time_s;
    outcome.guaranteed = numa::ComputeQosClass(event.pod.spec) == numa::QosClass::kGuaranteed;
    result_.pods.push_back(std::move(outcome));
    NewIncarnation(tracked_.size() - 1);
  }

  // Creates the next incarnation and schedules it, recreating after admission errors.
  void NewIncarnation(std::size_t index) {
    while (true) {
      Tracked& t = tracked_[index];
      PodOutcome& o = result_.pods[index];
      t.incarnation = t.event->pod;
      t.incarnation.spec.name = IncarnationName(t.event->pod.spec.name, o.attempts);
      t.uid = IncarnationUid(t.event->sequence, o.attempts);
      t.incarnation.spec.uid = t.uid;
      t.incarnation_created_s = now_;
      ++o.attempts;
      if (!Attempt(index)) return;  // placed or pending
      // Rejected by the node: the ReplicaSet replaces the failed pod, a bare pod stays Failed.
      if (!t.event->pod.owner_replicaset || o.attempts >= kMaxAttemptsPerEvent) return;
      ++o.recreations;
      ++result_.counters.recreated;
    }
  }

  // One scheduling attempt of the current incarnation; true when the node rejected it.
  bool Attempt(std::size_t index) {
    Tracked& t = tracked_[index];
    PodOutcome& o = result_.pods[index];
    const auto start = std::chrono::steady_clock::now();
    AttemptResult r =
        backend_.Place(t.incarnation, PodObject(t.incarnation, t.uid, t.incarnation_created_s));
    place_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++place_calls_;
    result_.extender_latency_us.insert(result_.extender_latency_us.end(),
                                       r.extender_latency_us.begin(), r.extender_latency_us.end());
    for (const auto& note : r.notes) ++result_.notes[note];
    o.final = t.incarnation.spec.Key();
    o.reason = r.reason;
    switch (r.kind) {
      case AttemptResult::Kind::kPlaced:
        o.outcome = OutcomeKind::kPlaced;
        o.node = r.node;
        o.reason.clear();
        Hold(index, r);
        return false;
      case AttemptResult::Kind::kPending:
        o.outcome = OutcomeKind::kPending;
        o.node.clear();
        if (!t.waiting) {
          t.waiting = true;
          waiting_.push_back(index);
        }
        return false;
      case AttemptResult::Kind::kAdmissionError:
        o.outcome = OutcomeKind::kAdmissionError;
        o.node = r.node;
        ++admission_errors_;
        return true;
    }
    return false;
  }

  void Hold(std::size_t index, const AttemptResult& r) {
    Tracked& t = tracked_[index];
    PodOutcome& o = result_.pods[index];
    auto node = node_index_.find(r.node);
    if (node == node_index_.end()) {
      throw std::runtime_error("placement " + name_ + " placed " + o.final + " on unknown node " +
                               r.node);
    }
    t.live = true;
    t.node = node->second;
    t.requests = PodSchedulingRequests(t.incarnation.spec);
    cpu_requested_ += static_cast<double>(t.requests["cpu"]);
    memory_requested_ += static_cast<double>(t.requests["memory"]);
    const NumaCapacity& capacity = capacity_[t.node];
    o.containers = ContainerPlacements(t.incarnation.spec, r.containers, capacity);
    t.numa_cpus.clear();
    for (const auto& [name, alloc] : r.containers) {
      for (int cpu : alloc.cpus) ++t.numa_cpus[capacity.NumaOfCpu(cpu)];
    }
    for (const auto& [id, count] : t.numa_cpus) {
      auto s = series_index_.find({t.node, id});
      if (s != series_index_.end()) numa_used_[s->second] += count;
    }
    bool exclusive = false, aligned = true, spread = false;
    for (const auto& c : o.containers) {
      if (c.min_numa_nodes == 0) continue;
      exclusive = true;
      const auto used = static_cast<int>(c.numa_nodes.size());
      if (used != c.min_numa_nodes) aligned = false;
      if (used > c.min_numa_nodes) spread = true;
    }
    o.aligned = exclusive && aligned;
    o.spread_more_than_needed = exclusive && spread;
  }

  void Release(Tracked& t) {
    t.live = false;
    cpu_requested_ -= static_cast<double>(t.requests["cpu"]);
    memory_requested_ -= static_cast<double>(t.requests["memory"]);
    for (const auto& [id, count] : t.numa_cpus) {
      auto s = series_index_.find({t.node, id});
      if (s != series_index_.end()) numa_used_[s->second] -= count;
    }
  }

  void Delete(const SimEvent& event) {
    auto it = by_key_.find(event.pod.spec.Key());
    if (it == by_key_.end()) return;  // never created: nothing to delete
    Tracked& t = tracked_[it->second];
    PodOutcome& o = result_.pods[it->second];
    if (o.deleted_at_s >= 0) return;
    o.deleted_at_s = event.time_s;
    if (t.live) {
      backend_.Remove(t.incarnation, cluster_.nodes[t.node].name);
      Release(t);
    }
    if (t.waiting) {
      t.waiting = false;
      waiting_.erase(std::find(waiting_.begin(), waiting_.end(), it->second));
    }
  }

  void RetryPending() {
    std::deque<std::size_t> queue;
    queue.swap(waiting_);
    for (std::size_t index : queue) {
      tracked_[index].waiting = false;
      if (Attempt(index)) {
        PodOutcome& o = result_.pods[index];
        if (tracked_[index].event->pod.owner_replicaset && o.attempts < kMaxAttemptsPerEvent) {
          ++o.recreations;
          ++result_.counters.recreated;
          NewIncarnation(index);
        }
      }
    }
  }

  void SampleUntil(double time_s) {
    while (next_sample_ < result_.sample_times_s.size() &&
           result_.sample_times_s[next_sample_] < time_s) {
      for (std::size_t s = 0; s < result_.numa_series.size(); ++s) {
        const auto& series = result_.numa_series[s];
        const int allocatable =
            capacity_[node_index_.at(series.node)].AllocatableCpus(series.numa_id);
        result_.numa_series[s].cpu_used.push_back(
            allocatable == 0 ? 0.0 : static_cast<double>(numa_used_[s]) / allocatable);
      }
      result_.admission_errors_at.push_back(admission_errors_);
      result_.cpu_utilisation_at.push_back(total_cpu_ == 0 ? 0 : cpu_requested_ / total_cpu_);
      memory_utilisation_at_.push_back(total_memory_ == 0 ? 0 : memory_requested_ / total_memory_);
      ++next_sample_;
    }
  }

  void Finish() {
    PlacementCounters& c = result_.counters;
    c.pods = static_cast<std::int64_t>(result_.pods.size());
    c.admission_errors = admission_errors_;
    std::int64_t aligned = 0, spread = 0;
    for (const auto& o : result_.pods) {
      switch (o.outcome) {
        case OutcomeKind::kPlaced:
          ++c.placed;
          break;
        case OutcomeKind::kAdmissionError:
          ++c.failed;
          break;
        case OutcomeKind::kPending:
          ++c.pending;
          break;
      }
      if (o.outcome != OutcomeKind::kPlaced) continue;
      bool exclusive = false;
      for (const auto& ct : o.containers) exclusive = exclusive || ct.min_numa_nodes > 0;
      if (!o.guaranteed || !exclusive) continue;
      ++c.numa_pods;
      aligned += o.aligned ? 1 : 0;
      spread += o.spread_more_than_needed ? 1 : 0;
    }
    if (c.numa_pods > 0) {
      c.aligned_share = static_cast<double>(aligned) / static_cast<double>(c.numa_pods);
      c.spread_share = static_cast<double>(spread) / static_cast<double>(c.numa_pods);
    }
    auto mean = [](const std::vector<double>& v) {
      double sum = 0;
      for (double x : v) sum += x;
      return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
    };
    c.cpu_utilisation = mean(result_.cpu_utilisation_at);
    c.memory_utilisation = mean(memory_utilisation_at_);
    for (double u : result_.cpu_utilisation_at) {
      c.peak_cpu_utilisation = std::max(c.peak_cpu_utilisation, u);
    }
    result_.time_to_place_s = place_seconds_;
    result_.mean_time_to_place_us =
        place_calls_ == 0 ? 0 : place_seconds_ * 1e6 / static_cast<double>(place_calls_);
    result_.extender_latency = SummarizeLatencies(result_.extender_latency_us);
  }

  std::string name_;
  const ClusterSpec& cluster_;
  const Workload& workload_;
  PlacementBackend& backend_;
  RunObserver& observer_;
  PlacementResult result_;
  std::vector<Tracked> tracked_;
  std::map<std::string, std::size_t> by_key_;
  std::deque<std::size_t> waiting_;
  std::map<std::string, std::size_t> node_index_;
  std::vector<NumaCapacity> capacity_;
  std::map<std::pair<std::size_t, int>, std::size_t> series_index_;
  std::vector<std::int64_t> numa_used_;
  std::vector<double> memory_utilisation_at_;
  double total_cpu_ = 0, total_memory_ = 0, cpu_requested_ = 0, memory_requested_ = 0;
  double now_ = 0;
  double place_seconds_ = 0;
  std::int64_t place_calls_ = 0;
  std::int64_t admission_errors_ = 0;
  std::size_t next_sample_ = 0;
};

}  // namespace

PlacementResult RunEvents(const std::string& placement_name, const ClusterSpec& cluster,
                          const std::vector<numa::Machine>& machines, const Workload& workload,
                          PlacementBackend& backend, RunObserver& observer) {
  return Driver(placement_name, cluster, machines, workload, backend, observer).Run();
}

}  // namespace numalign::sim
