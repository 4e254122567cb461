#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "extender/view/foreign_pod_set.h"
#include "kube/objects/node_resource_topology.h"
#include "kube/objects/pod_fingerprint.h"
#include "numa/pod/pod_spec.h"
#include "numa/pod/quantity.h"

namespace numalign::extender {

// A pod's request as scheduler-plugins' reserve cache charges it (util.GetPodEffectiveRequest):
// per resource, the larger of the app containers' sum and the largest init container's request.
// Sorted by resource name.
using EffectiveRequest = std::vector<std::pair<std::string, numa::Quantity>>;
EffectiveRequest ReserveCacheRequest(const numa::PodSpec& pod);

// The pod-set fingerprint an NRT publishes, and which pods it covers, read the way the reserve
// cache's default resync method ("Autodetect") reads it: the nodeTopologyPodsFingerprint
// attribute, covering only pods with exclusive resources when nodeTopologyPodsFingerprintMethod
// says with-exclusive-resources and all pods otherwise; failing that the legacy
// topology.node.k8s.io/fingerprint annotation, which always covers all pods. nullopt: none.
struct PublishedFingerprint {
  std::string value;
  kube::FingerprintMethod method = kube::FingerprintMethod::kAll;
};
std::optional<PublishedFingerprint> PublishedFingerprintOf(const kube::NodeResourceTopology& nrt);

// kube::NodeResourceTopology keeps no annotations: the legacy fingerprint annotation is kept as
// an attribute of the same name, which PublishedFingerprintOf reads after the real attribute.
void KeepLegacyFingerprintAnnotation(const kube::Json& nrt_object, kube::NodeResourceTopology* nrt);

// How the view accounts the NRTs of another producer (NFD topology-updater, RTE), the way
// scheduler-plugins' OverReserve cache does (design/peers.md 2.4-2.5). Such an NRT's `available`
// lags behind the pods bound to its node, and nothing says by how much except its pod-set
// fingerprint. So, per node:
//  - an NRT whose fingerprint equals the fingerprint of the pods the view knows there (under the
//    NRT's method) accounts exactly those pods: it becomes the node's trusted NRT and its
//    `available` is used as is;
//  - otherwise the trusted NRT stays in use (the newer one's counts are not known to cover
//    anything more; only its attributes, the kubelet's configuration, are taken), or the current
//    NRT before any match, and every Guaranteed pod placed on the node that the trusted NRT does
//    not account is charged pessimistically: its request off every zone, floored at 0, since
//    which zone the kubelet gave it is unknown. A republished NRT that matches clears the charges.
// The comparison runs on every change of the node's NRT or pods, where the reserve cache runs it
// in a periodic resync of the nodes it filtered out.
//
// An NRT without a fingerprint never resyncs in the reserve cache; for it the view keeps its
// earlier rule: `available` as the start, and the pods placed there that are not Running yet
// replayed on top (the producer has likely not counted them), re-decided by the admitter.
class ForeignNrtSync {
 public:
  // A Guaranteed pod the view accounts on the node.
  struct PlacedPod {
    const std::string* uid = nullptr;
    const EffectiveRequest* request = nullptr;
  };
  struct Accounting {
    // The NRT to model the node from: every zone's `allocatable` is what is left of `available`
    // after the charges.
    kube::NodeResourceTopology nrt;
    std::vector<std::string> charged;  // uids of the pods taken off every zone
    // The NRT has no fingerprint: replay the pods not Running yet (the earlier rule).
    bool replay_unstarted = false;
    bool fingerprint_matches = false;  // the current NRT accounts every pod the view knows
  };

  // Tracks the pods that go into fingerprints (see ForeignPodSet::Update).
  bool UpdatePod(const std::string& node, const std::string& uid,
                 const std::optional<FingerprintMember>& member);

  // Accounts `current`, the node's latest foreign NRT, with the Guaranteed pods placed on it.
  Accounting Account(const kube::NodeResourceTopology& current,
                     const std::vector<PlacedPod>& placed);

  // Drops the node's trusted NRT (its NRT was deleted or is no longer foreign).
  void Forget(const std::string& node);

 private:
  struct Trusted {
    kube::NodeResourceTopology nrt;
    std::set<std::string> accounted;  // uids of the placed pods its fingerprint covered
  };
  ForeignPodSet pods_;
  std::unordered_map<std::string, Trusted> trusted_;
};

}  // namespace numalign::extender
