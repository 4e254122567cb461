#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "extender/testing/http_client.h"
#include "sim/scheduler/extender_client.h"

namespace numalign::sim::process {

// kube-scheduler's HTTPExtender against a running numalign-extender: POST <prefix>/filter,
// /prioritize and /bind with the scheduler's JSON encoding (extender/protocol/scheduler_codec),
// on one keep-alive connection, each call under `timeout` (httpTimeout). A transport failure, a
// non-200 status or an undecodable reply comes back in the reply's error, never as an exception,
// as the scheduler sees it. Every call's wall-clock latency is kept (microseconds).
// Not thread-safe (the scheduler model calls it from one thread).
class HttpExtenderClient final : public ExtenderClient {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    std::string url_prefix = "/numalign";
    std::chrono::milliseconds timeout{5000};  // kube-scheduler's default httpTimeout
    std::int64_t weight = 5;
  };

  explicit HttpExtenderClient(Options options);

  extender::protocol::FilterResult Filter(const extender::protocol::ExtenderArgs& args) override;
  PrioritizeReply Prioritize(const extender::protocol::ExtenderArgs& args) override;
  extender::protocol::BindingResult Bind(const extender::protocol::BindingArgs& args) override;
  std::int64_t Weight() const override { return options_.weight; }

  const std::vector<double>& latency_us() const { return latency_us_; }
  int connections_opened() const { return http_.connections_opened(); }

 private:
  // The reply body of a 200, or nullopt with `error` set.
  std::optional<std::string> Post(const std::string& verb, const std::string& body,
                                  std::string* error);

  Options options_;
  extender::testing::HttpClient http_;
  std::vector<double> latency_us_;
};

}  // namespace numalign::sim::process
