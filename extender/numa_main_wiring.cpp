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

void RegisterCacheSizes(const NumaDeciderStack& stack, ServiceMetrics& metrics) {
  const NodeView* view = stack.view.get();
  metrics.register_cache_size("nodes", [view] { return double(view->Sizes().nodes); });
  metrics.register_cache_size("nrts", [view] { return double(view->Sizes().nrts); });
  metrics.register_cache_size("pods", [view] { return double(view->Sizes().pods); });
  metrics.register_cache_size("assumed", [view] { return double(view->Sizes().assumed); });
  metrics.register_cache_size("admitter_templates",
                              [view] { return double(view->Sizes().admitter_templates); });
}

}  // namespace numalign::extender
