#pragma once

#include <functional>
#include <string>

#include "common/http/server_observer.h"
#include "common/metrics/registry.h"

namespace numalign::extender {

// The extender's own metric families, registered once and shared by the router and the verb
// handlers. Children for the four verbs are resolved up front so the request path never
// takes the family lock.
class ServiceMetrics : public http::HttpServerObserver {
 public:
  explicit ServiceMetrics(metrics::Registry& registry);

  enum Verb { kFilter, kPrioritize, kBind, kPreempt, kVerbCount };
  static const char* verb_name(Verb verb);

  // Whole-request handler time (decode, decide, encode) per verb.
  void observe_request(Verb verb, unsigned status, double seconds);
  // Decider time alone, per verb (what the NUMA logic costs, without the JSON).
  void observe_decision(Verb verb, double seconds);
  // Outcomes: filter per node (feasible, failed, unresolvable, error), prioritize (scored,
  // error), bind (bound, error), preempt per node (kept, dropped, error).
  void count_decisions(Verb verb, const std::string& outcome, double amount = 1);
  // A decision that ran past the request's deadline.
  void count_overrun(Verb verb);
  // Requests refused before reaching a verb (malformed HTTP, oversized, unknown path).
  void count_rejected(const std::string& reason);
  // numalign_extender_cache_entries{cache=<cache>}, read at scrape time: the decider's caches
  // (nodes, pods, assumed placements) register their sizes here. `read` must be thread-safe
  // and stay valid while the registry is scraped.
  void register_cache_size(const std::string& cache, std::function<double()> read);

  metrics::Gauge& open_connections() { return *open_connections_; }

  // http::HttpServerObserver
  void connection_opened() override { open_connections_->inc(); }
  void connection_closed() override { open_connections_->dec(); }
  void request_rejected(std::string_view reason) override { count_rejected(std::string(reason)); }
  metrics::Registry& registry() { return registry_; }

 private:
  metrics::Registry& registry_;
  metrics::Family<metrics::Histogram>& request_duration_;
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& decision_duration_;
  metrics::Family<metrics::Counter>& decisions_;
  metrics::Family<metrics::Counter>& overruns_;
  metrics::Family<metrics::Counter>& rejected_;
  metrics::Histogram* request_duration_by_verb_[kVerbCount];
  metrics::Histogram* decision_duration_by_verb_[kVerbCount];
  metrics::Gauge* open_connections_;
};

}  // namespace numalign::extender
