#include "extender/server/service_metrics.h"

namespace numalign::extender {
namespace {

// 25 µs .. ~3.3 s: covers an in-process decision at 500 names and the scheduler's timeout.
std::vector<double> latency_buckets() {
  return metrics::exponential_buckets(25e-6, 2, 18);
}

}  // namespace

ServiceMetrics::ServiceMetrics(metrics::Registry& registry)
    : registry_(registry),
      request_duration_(registry.histogram(
          "numalign_extender_request_duration_seconds",
          "Time from a complete request to its encoded reply, per extender verb.", {"verb"},
          latency_buckets())),
      requests_(registry.counter("numalign_extender_requests_total",
                                 "Extender verb requests by HTTP status code.", {"verb", "code"})),
      decision_duration_(registry.histogram(
          "numalign_extender_decision_duration_seconds",
          "Time spent in the decider alone (no JSON, no HTTP), per extender verb.", {"verb"},
          latency_buckets())),
      decisions_(registry.counter("numalign_extender_decisions_total",
                                  "Decisions by verb and outcome (filter and preempt count nodes).",
                                  {"verb", "outcome"})),
      overruns_(registry.counter("numalign_extender_deadline_overruns_total",
                                 "Decisions that finished after the request deadline.", {"verb"})),
      rejected_(registry.counter("numalign_extender_rejected_requests_total",
                                 "Requests refused before reaching a verb handler.", {"reason"})),
      open_connections_(
          &registry.gauge("numalign_extender_open_connections", "HTTP connections currently open.")
               .with({})) {
  for (int verb = 0; verb < kVerbCount; ++verb) {
    request_duration_by_verb_[verb] = &request_duration_.with({verb_name(Verb(verb))});
    decision_duration_by_verb_[verb] = &decision_duration_.with({verb_name(Verb(verb))});
  }
}

const char* ServiceMetrics::verb_name(Verb verb) {
  switch (verb) {
    case kFilter:
      return "filter";
    case kPrioritize:
      return "prioritize";
    case kBind:
      return "bind";
    case kPreempt:
      return "preempt";
    default:
      return "unknown";
  }
}

void ServiceMetrics::observe_request(Verb verb, unsigned status, double seconds) {
  request_duration_by_verb_[verb]->observe(seconds);
  requests_.with({verb_name(verb), std::to_string(status)}).inc();
}

void ServiceMetrics::observe_decision(Verb verb, double seconds) {
  decision_duration_by_verb_[verb]->observe(seconds);
}

void ServiceMetrics::count_decisions(Verb verb, const std::string& outcome, double amount) {
  if (amount > 0) decisions_.with({verb_name(verb), outcome}).inc(amount);
}

void ServiceMetrics::count_overrun(Verb verb) {
  overruns_.with({verb_name(verb)}).inc();
}

void ServiceMetrics::count_rejected(const std::string& reason) {
  rejected_.with({reason}).inc();
}

void ServiceMetrics::register_cache_size(const std::string& cache, std::function<double()> read) {
  registry_.gauge_callback("numalign_extender_cache_entries",
                           "Entries in the extender's caches, by cache.", {"cache"}, {cache},
                           std::move(read));
}

}  // namespace numalign::extender
