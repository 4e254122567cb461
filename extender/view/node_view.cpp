#include "extender/view/node_view.h"

#include <algorithm>

#include "extender/view/reused_init_cpus.h"
#include "kube/objects/pod.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/allocation/apply_decision.h"
#include "numa/pod/pod_spec.h"

namespace numalign::extender {
namespace {

std::string OrderKey(const kube::Json& pod) {
  // RFC 3339 timestamps at second resolution sort lexically; the uid breaks ties.
  return kube::StringAt(pod, "/metadata/creationTimestamp") + "|" + kube::UidOf(pod);
}

}  // namespace

std::optional<std::string> PlacementNodeOf(const kube::Json& pod_object) {
  kube::PodView pod(pod_object);
  if (pod.IsTerminal() || pod.DeletionTimestamp()) return std::nullopt;
  if (pod.IsBound()) return pod.NodeName();
  auto annotation = pod.Annotation(std::string(numa::kAllocationAnnotation));
  if (!annotation) return std::nullopt;
  std::string error;
  auto decision = numa::ParseAllocationDecision(*annotation, &error);
  // A decision made for another incarnation of the name (uid differs) is not this pod's.
  if (!decision || decision->pod_uid != pod.Uid()) return std::nullopt;
  return decision->node;
}

void NodeView::UpsertNrt(const kube::Json& nrt_object) {
  kube::NodeResourceTopology nrt;
  try {
    nrt = kube::ParseNodeResourceTopology(nrt_object);
  } catch (const std::exception&) {
    return;  // a malformed NRT is ignored; the node keeps its previous view
  }
  // The stale mark may also come as an annotation; fold it into the attributes read later.
  if (kube::AnnotationOf(nrt_object, std::string(kStaleAttribute)).value_or("") == "true" &&
      !IsMarkedStale(nrt, nullptr)) {
    std::erase_if(nrt.attributes, [](const auto& a) {
      return a.name == kStaleAttribute || a.name == kStaleReasonAttribute;
    });
    nrt.attributes.push_back({std::string(kStaleAttribute), "true"});
    if (auto reason = kube::AnnotationOf(nrt_object, std::string(kStaleReasonAttribute))) {
      nrt.attributes.push_back({std::string(kStaleReasonAttribute), *reason});
    }
  }
  KeepLegacyFingerprintAnnotation(nrt_object, &nrt);
  std::lock_guard lock(mutex_);
  std::string name = nrt.name;
  nrts_[name] = std::move(nrt);
  RebuildLocked(name);
}

void NodeView::DeleteNrt(const std::string& node_name) {
  std::lock_guard lock(mutex_);
  nrts_.erase(node_name);
  foreign_nrts_.Forget(node_name);
  RebuildLocked(node_name);
}

void NodeView::DeleteNode(const std::string& node_name) {
  std::lock_guard lock(mutex_);
  nrts_.erase(node_name);
  foreign_nrts_.Forget(node_name);
  states_.erase(node_name);
  ++generation_;
}

void NodeView::UpsertPod(const kube::Json& pod_object) {
  UpsertPodEntry(pod_object, /*assumed=*/false);
}

void NodeView::UpsertPodEntry(const kube::Json& pod_object, bool assumed) {
  std::string uid = kube::UidOf(pod_object);
  if (uid.empty()) return;
  std::optional<PodEntry> entry;
  std::optional<numa::PodSpec> spec;
  if (auto node = PlacementNodeOf(pod_object); node && !node->empty()) {
    std::string error;
    if ((spec = numa::ParsePodJson(pod_object, &error))) {
      numa::PodRequests requests = numa::ComputePodRequests(*spec);
      // Only Guaranteed pods hold exclusive CPUs or pinned memory; others live in shared pools.
      if (requests.Guaranteed()) {
        entry = PodEntry{*node,
                         OrderKey(pod_object),
                         std::move(requests),
                         kube::PodView(pod_object).Phase() != "Running",
                         std::nullopt,
                         ReserveCacheRequest(*spec),
                         std::nullopt};
        if (auto text =
                kube::PodView(pod_object).Annotation(std::string(numa::kAllocationAnnotation))) {
          std::string decision_error;
          auto decision = numa::ParseAllocationDecision(*text, &decision_error);
          if (decision && decision->node == *node) entry->decision = std::move(*decision);
        }
        if (!entry->decision) entry->pinned = ReadPinnedPlacement(pod_object, *node);
      }
    }
  }
  // Recorded decisions are the view's own; only the API's pods go into fingerprints.
  std::optional<FingerprintMember> member;
  if (!assumed) member = FingerprintMemberOf(pod_object, spec ? &*spec : nullptr);
  std::lock_guard lock(mutex_);
  std::string fingerprint_node;
  if (!assumed) {
    fingerprint_node = UpdateFingerprintedLocked(kube::PodView(pod_object).NodeName(), uid, member);
  }
  if (assumed) {
    assumed_.insert(uid);
  } else if (!entry && assumed_.count(uid)) {
    // An event older than our decision (the informer lags behind bind's own writes): keep the
    // decision until the API shows the pod placed, deleted, or bind forgets it.
    if (!fingerprint_node.empty()) RebuildLocked(fingerprint_node);
    return;
  } else if (entry) {
    assumed_.erase(uid);  // the API has caught up with the decision
  }
  PlacePodLocked(uid, std::move(entry), fingerprint_node);
}

std::string NodeView::UpdateFingerprintedLocked(const std::string& node, const std::string& uid,
                                                const std::optional<FingerprintMember>& member) {
  if (!foreign_nrts_.UpdatePod(node, uid, member)) return "";
  auto nrt = nrts_.find(node);
  return nrt != nrts_.end() && !IsNumalignPublished(nrt->second) ? node : "";
}

void NodeView::DeletePod(const kube::Json& pod_object) {
  std::string uid = kube::UidOf(pod_object);
  std::lock_guard lock(mutex_);
  assumed_.erase(uid);
  std::string fingerprint_node =
      UpdateFingerprintedLocked(kube::PodView(pod_object).NodeName(), uid, std::nullopt);
  PlacePodLocked(uid, std::nullopt, fingerprint_node);
}

void NodeView::RecordDecision(const std::string& node_name, const kube::Json& pod_object) {
  kube::Json placed = pod_object;
  placed["spec"]["nodeName"] = node_name;  // accounted like a bound pod from now on
  if (placed.contains("status")) placed["status"].erase("phase");
  UpsertPodEntry(placed, /*assumed=*/true);
}

bool NodeView::ForgetPod(const std::string& uid) {
  std::lock_guard lock(mutex_);
  assumed_.erase(uid);
  if (!pods_.count(uid)) return false;
  PlacePodLocked(uid, std::nullopt);
  return true;
}

void NodeView::PlacePodLocked(const std::string& uid, std::optional<PodEntry> entry,
                              const std::string& also_rebuild) {
  std::set<std::string> touched;
  if (!also_rebuild.empty()) touched.insert(also_rebuild);
  if (auto it = pods_.find(uid); it != pods_.end()) {
    // An unchanged placement (most pod updates: status, labels) needs no rebuild.
    if (entry && entry->node == it->second.node && entry->order_key == it->second.order_key &&
        entry->counts_on_foreign == it->second.counts_on_foreign &&
        entry->decision == it->second.decision && entry->pinned == it->second.pinned) {
      if (!also_rebuild.empty()) RebuildLocked(also_rebuild);
      return;
    }
    pods_by_node_[it->second.node].erase(uid);
    touched.insert(it->second.node);
    pods_.erase(it);
  }
  if (entry) {
    touched.insert(entry->node);
    pods_by_node_[entry->node].insert(uid);
    pods_.emplace(uid, std::move(*entry));
  }
  for (const auto& node : touched) RebuildLocked(node);
}

void NodeView::RebuildLocked(const std::string& node_name) {
  auto state = std::make_shared<NodeState>();
  state->name = node_name;
  state->verdicts = std::make_shared<NodeVerdicts>();
  state->generation = ++generation_;
  auto nrt = nrts_.find(node_name);
  if (nrt == nrts_.end()) {
    state->unmanaged_reason = "node has no NodeResourceTopology";
    states_[node_name] = std::move(state);
    return;
  }
  kube::NodeResourceTopology source = nrt->second;
  if (std::string reason; IsMarkedStale(source, &reason)) {
    state->stale = true;
    state->unmanaged_reason =
        "the node's NUMA data is marked stale by numalign-controller: " + reason;
    states_[node_name] = std::move(state);
    return;
  }
  const bool foreign = !IsNumalignPublished(source);
  ForeignNrtSync::Accounting foreign_accounting;
  if (foreign) {
    // Pessimistic start: what the producer reports as still available is all there is, less
    // the pods its fingerprint does not show it counted (charged on every zone).
    std::vector<ForeignNrtSync::PlacedPod> placed;
    for (const auto& uid : pods_by_node_[node_name]) {
      placed.push_back({&uid, &pods_.at(uid).foreign_request});
    }
    foreign_accounting = foreign_nrts_.Account(source, placed);
    source = std::move(foreign_accounting.nrt);
  } else {
    foreign_nrts_.Forget(node_name);  // the producer changed: a later foreign NRT starts afresh
  }
  const auto shape = templates_.For(source, /*keep=*/!foreign);
  if (!shape->admitter) {
    state->unmanaged_reason = "NodeResourceTopology unusable: " + shape->error;
    states_[node_name] = std::move(state);
    return;
  }
  std::optional<numa::NodeAdmitter> admitter = shape->admitter;  // shares the machine tables
  state->agent_mode = shape->agent_mode;
  state->pod_uids.insert(foreign_accounting.charged.begin(), foreign_accounting.charged.end());
  std::vector<std::pair<std::string, std::string>> order;  // (order key, uid)
  for (const auto& uid : pods_by_node_[node_name]) {
    const PodEntry& pod = pods_.at(uid);
    // The producer's `available` has it, or it was charged above; only an NRT without a
    // fingerprint leaves the pods not Running yet to be re-decided on top.
    if (foreign && !(foreign_accounting.replay_unstarted && pod.counts_on_foreign)) continue;
    order.emplace_back(pod.order_key, uid);
  }
  std::sort(order.begin(), order.end());
  std::optional<ZoneCpus> zone_cpus;  // read from the NRT when a pinned pod first needs it
  for (const auto& [key, uid] : order) {
    const PodEntry& pod = pods_.at(uid);
    // The agent commits the extender's decision as it stands, so replaying it reproduces the
    // agent's accounting; re-deciding in creation order would not when the order differs from
    // the order of the binds (same-second timestamps, random uids). A pod placed without the
    // extender replays what the agent confirmed it pinned, when the zones' CPU lists tell where.
    std::optional<numa::AllocationDecision> confirmed;
    if (state->agent_mode && !pod.decision && pod.pinned) {
      if (!zone_cpus) zone_cpus = ZoneCpus::FromNrt(source);
      confirmed = DecisionFromPinned(*pod.pinned, pod.requests, node_name, *zone_cpus,
                                     admitter->memory_policy().has_value(), nullptr);
    }
    const auto& decision = pod.decision ? pod.decision : confirmed;
    if (state->agent_mode && decision &&
        !numa::ApplyAllocationDecision(*admitter, pod.requests, *decision, node_name)) {
      ChargeReusedInitCpus(*admitter, pod.requests);
      state->pod_uids.insert(uid);
      continue;
    }
    numa::AdmitResult result = admitter->Admit(pod.requests);
    if (result.admit) {
      ChargeReusedInitCpus(*admitter, pod.requests);
      state->pod_uids.insert(uid);
    } else {
      state->replay_rejections.push_back(uid + ": " + result.reason);
    }
  }
  state->admitter = std::move(admitter);
  state->IndexPodUids();
  states_[node_name] = std::move(state);
}

std::shared_ptr<const NodeState> NodeView::Get(const std::string& node_name) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(node_name);
  return it == states_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const NodeState>> NodeView::GetMany(
    const std::vector<std::string>& names) const {
  std::vector<std::shared_ptr<const NodeState>> out(names.size());
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (auto it = states_.find(names[i]); it != states_.end()) out[i] = it->second;
  }
  return out;
}

std::vector<std::string> NodeView::NodeNames() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  names.reserve(states_.size());
  for (const auto& [name, state] : states_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

NodeView::CacheSizes NodeView::Sizes() const {
  std::lock_guard lock(mutex_);
  return {states_.size(), nrts_.size(), pods_.size(), assumed_.size(), templates_.size()};
}

std::uint64_t NodeView::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

}  // namespace numalign::extender
