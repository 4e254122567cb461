#include "sim/process/process_backend.h"

#include <stdexcept>
#include <thread>

#include "kube/rest/api_error.h"
#include "kube/rest/pod_actions.h"
#include "kube/rest/resource.h"
#include "numa/allocation/pinned_annotation.h"
#include "numa/pod/pod_spec.h"
#include "numa/pod/qos.h"
#include "sim/process/agent_checkpoint.h"

namespace numalign::sim::process {
namespace {

using Json = nlohmann::json;

// A recreated pod gets a new uid; so many draws all sorting before an earlier pod of the same
// second would mean something else is wrong.
constexpr int kMaxCreations = 64;
// Draws within one second before waiting for the next.
constexpr int kCreationsPerSecond = 4;

std::string Annotation(const Json& pod, std::string_view key) {
  const auto annotations = pod.value("/metadata/annotations"_json_pointer, Json::object());
  auto it = annotations.find(std::string(key));
  return it != annotations.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string UidOf(const Json& pod) {
  return pod.value("/metadata/uid"_json_pointer, std::string());
}

void DeleteNow(kube::ApiClient& api, const std::string& ns, const std::string& name,
               const std::string& uid) {
  kube::DeleteOptions now;
  now.grace_period_seconds = 0;
  now.precondition_uid = uid;
  try {
    api.Delete(kube::resources::Pods(), ns, name, now);
  } catch (const kube::ApiError& e) {
    if (!e.IsNotFound()) throw;
  }
}

}  // namespace

ProcessBackend::ProcessBackend(ProcessCluster& cluster, SchedulerModel& scheduler,
                               std::chrono::milliseconds pod_timeout)
    : cluster_(cluster), scheduler_(scheduler), pod_timeout_(pod_timeout) {}

void ProcessBackend::AdvanceTo(double) {
  // Nothing runs on virtual time here: the agents publish as things happen.
}

void ProcessBackend::EnsureNamespace(const std::string& name) {
  if (namespaces_.count(name)) return;
  try {
    cluster_.api()->Create(
        kube::resources::Namespaces(), "",
        {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}});
  } catch (const kube::ApiError& e) {
    if (!e.IsAlreadyExists()) throw;
  }
  namespaces_.insert(name);
}

Json ProcessBackend::Fetch(const std::string& ns, const std::string& name, const std::string& uid) {
  try {
    Json pod = cluster_.api()->Get(kube::resources::Pods(), ns, name);
    return UidOf(pod) == uid ? pod : Json();
  } catch (const kube::ApiError& e) {
    if (e.IsNotFound()) return Json();
    throw;
  }
}

Json ProcessBackend::WaitFor(const std::string& ns, const std::string& name, const std::string& uid,
                             const std::string& what,
                             const std::function<bool(const Json&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + pod_timeout_;
  auto pause = std::chrono::microseconds(500);
  while (true) {
    Json pod = Fetch(ns, name, uid);
    if (done(pod)) return pod;
    cluster_.CheckRunning();
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("pod " + ns + "/" + name + ": not " + what + " after " +
                               std::to_string(pod_timeout_.count()) + " ms; logs in " +
                               cluster_.logs_dir().string() + "; the pod: " + pod.dump());
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
}

Json ProcessBackend::CreateInApi(const SimPod& incarnation, const Json& pod_object) {
  const std::string key = incarnation.spec.Key();
  const std::string& ns = incarnation.spec.namespace_name;
  const std::string& name = incarnation.spec.name;
  if (auto it = pending_.find(key); it != pending_.end()) {
    Json pod = Fetch(ns, name, UidOf(it->second));
    pending_.erase(it);
    if (!pod.is_null()) return pod;  // still pending in the API: scheduled again as it is
  }
  EnsureNamespace(ns);
  // What a client sends: the server assigns uid and creationTimestamp, and ignores status.
  Json body = pod_object;
  body["metadata"].erase("uid");
  body["metadata"].erase("creationTimestamp");
  body.erase("status");
  const bool counted = numa::ComputeQosClass(incarnation.spec) == numa::QosClass::kGuaranteed;
  for (int i = 0; i < kMaxCreations; ++i) {
    Json pod = cluster_.api()->Create(kube::resources::Pods(), ns, body);
    const std::string created = pod.value("/metadata/creationTimestamp"_json_pointer, "");
    if (!counted || order_.InOrder(created, UidOf(pod))) {
      if (counted) order_.Record(created, UidOf(pod));
      return pod;
    }
    DeleteNow(*cluster_.api(), ns, name, UidOf(pod));
    if (i >= kCreationsPerSecond) {
      // An earlier pod of this second took a uid that few (or no) uids sort after: the next
      // second starts a fresh order.
      const auto now = std::chrono::system_clock::now().time_since_epoch();
      std::this_thread::sleep_for(std::chrono::seconds(1) - now % std::chrono::seconds(1) +
                                  std::chrono::milliseconds(5));
    }
  }
  throw std::runtime_error("pod " + key + ": no uid in creation order after " +
                           std::to_string(kMaxCreations) + " creations");
}

AttemptResult ProcessBackend::Place(const SimPod& incarnation, const Json& pod_object) {
  const std::string& ns = incarnation.spec.namespace_name;
  const std::string& name = incarnation.spec.name;
  Json pod = CreateInApi(incarnation, pod_object);
  const std::string uid = UidOf(pod);

  AttemptResult out;
  SchedulingDecision decision = scheduler_.Schedule(incarnation, pod);
  out.extender_latency_us = decision.extender_latency_us;
  if (decision.node.empty()) {
    pending_[incarnation.spec.Key()] = pod;
    out.kind = AttemptResult::Kind::kPending;
    out.reason = decision.reason;
    return out;
  }
  out.node = decision.node;
  if (!decision.extender_bound) {
    kube::BindPod(*cluster_.api(), ns, name, decision.node, uid);  // the default binder
  }
  const std::string node = decision.node;
  Json bound = WaitFor(ns, name, uid, "bound to " + node, [&](const Json& p) {
    return !p.is_null() && p.value("/spec/nodeName"_json_pointer, "") == node;
  });
  cluster_.kubelet(node).StartPod(bound);
  Json verdict = WaitFor(ns, name, uid, "pinned or failed by numalign-agent[" + node + "]",
                         [&](const Json& p) {
                           if (p.is_null()) return true;
                           return !Annotation(p, numa::kPinnedAnnotation).empty() ||
                                  !Annotation(p, numa::kPinningFailedAnnotation).empty();
                         });
  if (verdict.is_null()) throw std::runtime_error("pod " + ns + "/" + name + " vanished");
  const std::string failure = Annotation(verdict, numa::kPinningFailedAnnotation);
  AttemptResult result =
      failure.empty() ? Placed(verdict, node) : Rejected(incarnation, verdict, node, failure);
  result.extender_latency_us = std::move(out.extender_latency_us);
  return result;
}

AttemptResult ProcessBackend::Placed(const Json& pod, const std::string& node) {
  const std::string uid = UidOf(pod);
  std::string error;
  auto pinned = numa::ParsePinnedRecord(Annotation(pod, numa::kPinnedAnnotation), &error);
  if (!pinned || pinned->node != node || pinned->pod_uid != uid) {
    throw std::runtime_error("pod " + uid + ": unusable numalign.io/pinned (" +
                             (pinned ? "another node or uid" : error) + ")");
  }
  auto allocation = ReadAgentPodAllocation(cluster_.CheckpointPath(node), uid, &error);
  if (!allocation) throw std::runtime_error("numalign-agent[" + node + "] checkpoint: " + error);
  std::string spec_error;
  auto spec = numa::ParsePodJson(pod, &spec_error);
  const bool guaranteed = spec && numa::ComputeQosClass(*spec) == numa::QosClass::kGuaranteed;
  if (!allocation->known && guaranteed) {
    // Only Guaranteed pods hold exclusive resources the checkpoint must account for.
    throw std::runtime_error("pod " + uid + " is pinned but not in numalign-agent[" + node +
                             "]'s checkpoint");
  }
  if (allocation->known) {
    (allocation->source == "extender" ? extender_decisions_used_ : node_decisions_) += 1;
  }
  AttemptResult out;
  out.kind = AttemptResult::Kind::kPlaced;
  out.node = node;
  out.containers = std::move(allocation->containers);
  return out;
}

AttemptResult ProcessBackend::Rejected(const SimPod& incarnation, const Json& pod,
                                       const std::string& node, const std::string& failure) {
  const std::string& ns = incarnation.spec.namespace_name;
  const std::string& name = incarnation.spec.name;
  const std::string uid = UidOf(pod);
  const auto colon = failure.find(": ");
  const std::string reason = colon == std::string::npos ? failure : failure.substr(0, colon);
  const std::string message = colon == std::string::npos ? "" : failure.substr(colon + 2);
  SimulatedKubelet& kubelet = cluster_.kubelet(node);
  kubelet.FailPod(pod, reason, message);
  scheduler_.RemovePod(incarnation.spec.Key());  // a terminal pod's requests leave the node
  if (incarnation.owner_replicaset) {
    // numalign-controller's recovery deletes a failed pod that has an owner.
    Json deleting = WaitFor(ns, name, uid, "deleted by numalign-controller", [](const Json& p) {
      return p.is_null() || p.contains("/metadata/deletionTimestamp"_json_pointer);
    });
    ++controller_recoveries_;
    if (!deleting.is_null()) kubelet.FinishDeletion(deleting);
  }
  AttemptResult out;
  out.kind = AttemptResult::Kind::kAdmissionError;
  out.node = node;
  out.reason = failure;
  return out;
}

void ProcessBackend::WaitForRelease(const std::string& node, const std::string& uid) {
  const auto deadline = std::chrono::steady_clock::now() + pod_timeout_;
  auto pause = std::chrono::microseconds(500);
  while (true) {
    std::string error;
    auto allocation = ReadAgentPodAllocation(cluster_.CheckpointPath(node), uid, &error);
    if (allocation && !allocation->known) return;
    cluster_.CheckRunning();
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("numalign-agent[" + node + "] did not release pod " + uid +
                               " after " + std::to_string(pod_timeout_.count()) + " ms" +
                               (allocation ? "" : " (" + error + ")"));
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
}

void ProcessBackend::Remove(const SimPod& incarnation, const std::string& node) {
  const std::string& ns = incarnation.spec.namespace_name;
  const std::string& name = incarnation.spec.name;
  Json pod;
  try {
    pod = cluster_.api()->Get(kube::resources::Pods(), ns, name);
  } catch (const kube::ApiError& e) {
    if (!e.IsNotFound()) throw;
    throw std::runtime_error("pod " + ns + "/" + name + " to delete is not in the API");
  }
  const std::string uid = UidOf(pod);
  // A user's delete (graceful), then the kubelet stops the containers and finishes it.
  kube::DeleteOptions graceful;
  graceful.precondition_uid = uid;
  cluster_.api()->Delete(kube::resources::Pods(), ns, name, graceful);
  Json deleting = Fetch(ns, name, uid);
  if (!deleting.is_null()) cluster_.kubelet(node).FinishDeletion(deleting);
  WaitForRelease(node, uid);
  scheduler_.RemovePod(incarnation.spec.Key());
}

}  // namespace numalign::sim::process
