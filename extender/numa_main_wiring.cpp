#include "extender/numa_main_wiring.h"

namespace numalign::extender {

std::unique_ptr<NumaDeciderStack> StartNumaDecider(std::shared_ptr<kube::ApiClient> api,
                                                   const DecisionOptions& options) {
  auto stack = std::make_unique<NumaDeciderStack>();
  stack->view = std::make_shared<NodeView>();
  stack->decider = std::make_unique<NumaDecider>(stack->view, *api, options);
  stack->feeder = std::make_unique<ViewFeeder>(api, stack->view);
  stack->feeder->Start();
  return stack;
}

}  // namespace numalign::extender
