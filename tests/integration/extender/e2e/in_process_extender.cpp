#include "tests/integration/extender/e2e/in_process_extender.h"

#include <map>
#include <set>
#include <thread>

#include "kube/objects/object_meta.h"

namespace numalign::extender::integration {

InProcessExtender::InProcessExtender(std::shared_ptr<kube::ApiClient> api,
                                     const DecisionOptions& options)
    : stack_(StartNumaDecider(std::move(api), options)),
      http_(std::make_unique<testing::LocalExtender>(*stack_->decider)) {}

InProcessExtender::~InProcessExtender() {
  http_->stop();
  stack_->feeder->Stop();
}

bool InProcessExtender::WaitForSync(std::chrono::milliseconds timeout) const {
  return stack_->feeder->WaitForSync(timeout);
}

bool InProcessExtender::WaitForView(const std::vector<std::string>& nodes,
                                    const std::vector<kube::Json>& pods,
                                    std::chrono::milliseconds timeout) const {
  std::map<std::string, std::set<std::string>> expected;
  for (const auto& node : nodes) expected[node];
  for (const auto& pod : pods) {
    auto node = PlacementNodeOf(pod);
    if (node && expected.count(*node)) expected[*node].insert(kube::UidOf(pod));
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    bool same = true;
    for (const auto& [node, uids] : expected) {
      auto state = stack_->view->Get(node);
      if (!state || state->pod_uids != uids) same = false;
    }
    if (same) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace numalign::extender::integration
