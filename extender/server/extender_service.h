#pragma once

#include <chrono>
#include <string_view>

#include "common/http/http_types.h"
#include "extender/decider/decider.h"
#include "extender/protocol/request_parser.h"
#include "extender/server/service_metrics.h"

namespace numalign::extender {

struct ServiceOptions {
  protocol::RequestLimits limits;
  // The decision deadline of one request. A filter, prioritize or preempt decision that
  // finishes later is answered with an error: the scheduler (httpTimeout) has given up on it.
  // A late bind still reports its real outcome, since the binding may exist.
  std::chrono::milliseconds decision_timeout{5000};
};

// The four extender verbs over a Decider: decode the body, decide, encode the reply, record
// metrics. Thread-safe as long as the decider is. Never throws: malformed bodies become 400s
// with a JSON `Error`, decider failures become the verb's error form.
//
// Error forms follow what kube-scheduler can read: filter and bind carry `Error` in a 200
// reply; prioritize and preempt replies have no Error field, so their errors are 500s.
class ExtenderService {
 public:
  ExtenderService(Decider& decider, ServiceMetrics& metrics, ServiceOptions options = {});

  http::HttpReply filter(std::string_view body);
  http::HttpReply prioritize(std::string_view body);
  http::HttpReply bind(std::string_view body);
  http::HttpReply preempt(std::string_view body);

  http::HttpReply handle(ServiceMetrics::Verb verb, std::string_view body);

 private:
  template <class Handler>
  http::HttpReply run(ServiceMetrics::Verb verb, std::string_view body, Handler&& handler);
  DecisionContext new_context() const;

  Decider& decider_;
  ServiceMetrics& metrics_;
  ServiceOptions options_;
};

}  // namespace numalign::extender
