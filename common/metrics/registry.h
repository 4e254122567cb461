#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/metrics/counter.h"
#include "common/metrics/family.h"
#include "common/metrics/gauge.h"
#include "common/metrics/histogram.h"

namespace numalign::metrics {

// A set of metric families exposed together on one /metrics endpoint. Registering a name
// again with the same type and labels returns the existing family (so independent components
// can ask for the same metric); a conflicting re-registration throws std::invalid_argument.
//
//   Registry registry;
//   auto& requests = registry.counter("numalign_extender_requests_total", "Requests.",
//                                     {"verb", "code"});
//   requests.with({"filter", "200"}).inc();
//   auto& latency = registry.histogram("numalign_extender_request_duration_seconds", "Latency.",
//                                      {"verb"}, exponential_buckets(50e-6, 2, 16));
//   latency.with({"filter"}).observe(0.0004);
//   registry.gauge_callback("numalign_extender_nodes", "Nodes in the cache.", [&] { return n; });
//   std::string text = registry.expose();  // Prometheus text format 0.0.4
class Registry {
 public:
  Family<Counter>& counter(const std::string& name, const std::string& help,
                           std::vector<std::string> label_names = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help,
                       std::vector<std::string> label_names = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help,
                               std::vector<std::string> label_names,
                               std::vector<double> upper_bounds);
  // A gauge whose value is read at scrape time, for sizes owned by another component. The
  // callback must be thread-safe and outlive the registry (or be unregistered by destroying
  // the registry first).
  void gauge_callback(const std::string& name, const std::string& help,
                      std::function<double()> read);
  // One labelled sample of a callback gauge family; call again with other label values to
  // add samples to the same family (e.g. cache="nodes", cache="pods").
  void gauge_callback(const std::string& name, const std::string& help,
                      std::vector<std::string> label_names, std::vector<std::string> label_values,
                      std::function<double()> read);

  // All families in registration order, in Prometheus text format.
  std::string expose() const;

 private:
  template <class F>
  F& find_or_add(const std::string& name, const std::vector<std::string>& label_names,
                 const std::function<std::unique_ptr<F>()>& make);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<FamilyBase>> families_;
};

}  // namespace numalign::metrics
