#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "extender/filter/numa_filter.h"
#include "extender/protocol/types.h"
#include "extender/view/node_view.h"
#include "kube/rest/api_client.h"

namespace numalign::extender {

// bind: under a per-node lock, re-admit the pod on the node's freshest view, record the decision
// in the view (so concurrent filters see it at once), merge-patch numalign.io/allocation onto the
// pod, then POST pods/binding.
//
// Idempotent: a pod that already carries a decision for this node and uid is not re-admitted;
// the binding is (re)created and "already bound to this node" counts as success.
// Failure leaves no stale reservation: when the binding fails the annotation is removed again
// (merge patch with null) and the decision is dropped from the view; if even that patch fails,
// the pod's next informer event (or its deletion) drops it, because an annotation on an unbound
// pod only counts while the pod exists and is not terminal.
class NumaBinder {
 public:
  NumaBinder(std::shared_ptr<NodeView> view, kube::ApiClient& api, FilterOptions options)
      : view_(std::move(view)), api_(api), options_(options) {}

  // "" on success, else the reason (returned to the scheduler, which retries the pod).
  std::string Bind(const protocol::BindingArgs& binding);

 private:
  std::mutex& NodeLock(const std::string& node);
  std::string CreateBinding(const protocol::BindingArgs& binding, const kube::Json& pod);

  std::shared_ptr<NodeView> view_;
  kube::ApiClient& api_;
  FilterOptions options_;
  std::mutex locks_mutex_;
  std::map<std::string, std::unique_ptr<std::mutex>> node_locks_;
};

}  // namespace numalign::extender
