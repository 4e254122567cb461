#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "extender/numa_main_wiring.h"
#include "extender/testing/local_extender.h"
#include "kube/rest/api_client.h"

namespace numalign::extender::integration {

// What numalign-extender's main builds (StartNumaDecider behind the HTTP stack), in-process on a
// free loopback port, with its own API client: one extender replica or one incarnation of it.
class InProcessExtender {
 public:
  InProcessExtender(std::shared_ptr<kube::ApiClient> api, const DecisionOptions& options = {});
  ~InProcessExtender();

  // Waits for the informers; false on timeout.
  bool WaitForSync(std::chrono::milliseconds timeout) const;
  // Waits until the view accounts exactly the placements `pods` carry on each of `nodes`
  // (the informers have caught up with the API); false on timeout.
  bool WaitForView(const std::vector<std::string>& nodes, const std::vector<kube::Json>& pods,
                   std::chrono::milliseconds timeout) const;

  NumaDeciderStack& stack() { return *stack_; }
  NodeView& view() { return *stack_->view; }
  testing::LocalExtender& http() { return *http_; }

 private:
  std::unique_ptr<NumaDeciderStack> stack_;
  std::unique_ptr<testing::LocalExtender> http_;
};

}  // namespace numalign::extender::integration
