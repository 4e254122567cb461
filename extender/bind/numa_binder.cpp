#include "extender/bind/numa_binder.h"

#include "extender/bind/decision_builder.h"
#include "kube/objects/pod.h"
#include "kube/rest/pod_actions.h"
#include "kube/rest/resource.h"
#include "numa/pod/pod_spec.h"

namespace numalign::extender {

std::mutex& NumaBinder::NodeLock(const std::string& node) {
  std::lock_guard lock(locks_mutex_);
  auto& slot = node_locks_[node];
  if (!slot) slot = std::make_unique<std::mutex>();
  return *slot;
}

std::string NumaBinder::CreateBinding(const protocol::BindingArgs& binding, const kube::Json& pod) {
  try {
    kube::BindPod(api_, binding.pod_namespace, binding.pod_name, binding.node, binding.pod_uid);
    return "";
  } catch (const std::exception& e) {
    // A retried bind whose first attempt did bind: the pod now sits on this node.
    try {
      kube::Json fresh = api_.Get(kube::resources::Pods(), binding.pod_namespace, binding.pod_name);
      if (kube::UidOf(fresh) == binding.pod_uid &&
          kube::PodView(fresh).NodeName() == binding.node) {
        return "";
      }
    } catch (const std::exception&) {
    }
    (void)pod;
    return std::string("binding failed: ") + e.what();
  }
}

std::string NumaBinder::Bind(const protocol::BindingArgs& binding) {
  std::lock_guard node_lock(NodeLock(binding.node));
  kube::Json pod;
  try {
    pod = api_.Get(kube::resources::Pods(), binding.pod_namespace, binding.pod_name);
  } catch (const std::exception& e) {
    return std::string("reading the pod failed: ") + e.what();
  }
  if (!binding.pod_uid.empty() && kube::UidOf(pod) != binding.pod_uid) {
    return "pod " + binding.pod_namespace + "/" + binding.pod_name + " has uid " +
           kube::UidOf(pod) + ", not " + binding.pod_uid;
  }
  kube::PodView view(pod);
  if (view.IsBound()) {
    return view.NodeName() == binding.node ? "" : "pod is already bound to " + view.NodeName();
  }
  std::string error;
  auto spec = numa::ParsePodJson(pod, &error);
  if (!spec) return "unreadable pod: " + error;
  numa::PodRequests requests = numa::ComputePodRequests(*spec);
  if (!NeedsAlignment(requests)) return CreateBinding(binding, pod);

  // A retry: our earlier attempt already recorded the decision for this node and uid.
  if (auto existing = view.Annotation(std::string(numa::kAllocationAnnotation))) {
    auto decision = numa::ParseAllocationDecision(*existing, &error);
    if (decision && decision->node == binding.node && decision->pod_uid == kube::UidOf(pod)) {
      view_->UpsertPod(pod);
      return CreateBinding(binding, pod);
    }
  }

  auto state = view_->Get(binding.node);
  std::optional<numa::TopologyPolicyName> pod_policy;
  if (auto p = view.Annotation(kPodTopologyPolicyAnnotation))
    pod_policy = ParseTopologyPolicyName(*p);
  NodeEvaluation evaluation = EvaluateNode(state.get(), requests, pod_policy, options_);
  if (evaluation.fit != NodeFit::kFits) return evaluation.reason;
  if (!evaluation.managed) return CreateBinding(binding, pod);  // unmanaged pass: nothing to pin

  numa::AllocationDecision decision =
      BuildDecision(binding.node, requests, state->admitter->machine(), evaluation.result);
  std::string value = numa::SerializeAllocationDecision(decision);
  kube::Json decided = pod;
  decided["metadata"]["annotations"][std::string(numa::kAllocationAnnotation)] = value;
  view_->RecordDecision(binding.node, decided);
  try {
    kube::Json patch = {
        {"metadata", {{"annotations", {{std::string(numa::kAllocationAnnotation), value}}}}}};
    api_.Patch(kube::resources::Pods(), binding.pod_namespace, binding.pod_name,
               kube::PatchType::kMerge, patch);
  } catch (const std::exception& e) {
    view_->ForgetPod(kube::UidOf(pod));
    return std::string("writing numalign.io/allocation failed: ") + e.what();
  }
  std::string bind_error = CreateBinding(binding, pod);
  if (!bind_error.empty()) {
    view_->ForgetPod(kube::UidOf(pod));
    try {
      kube::Json rollback = {
          {"metadata", {{"annotations", {{std::string(numa::kAllocationAnnotation), nullptr}}}}}};
      api_.Patch(kube::resources::Pods(), binding.pod_namespace, binding.pod_name,
                 kube::PatchType::kMerge, rollback);
    } catch (const std::exception&) {
      // The pod stays unbound with an annotation; the informer's next event re-adds it until
      // the scheduler retries (our retry path reuses the decision) or the pod goes away.
    }
  }
  return bind_error;
}

}  // namespace numalign::extender
