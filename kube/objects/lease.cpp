#include "kube/objects/lease.h"

#include "kube/clock/time_format.h"

namespace numalign::kube {

LeaseRecord ReadLeaseRecord(const Json& lease) {
  LeaseRecord r;
  r.holder_identity = StringAt(lease, "/spec/holderIdentity");
  r.lease_duration_seconds =
      static_cast<int>(IntAt(lease, "/spec/leaseDurationSeconds").value_or(0));
  r.acquire_time = ParseTime(StringAt(lease, "/spec/acquireTime"));
  r.renew_time = ParseTime(StringAt(lease, "/spec/renewTime"));
  r.lease_transitions = static_cast<int>(IntAt(lease, "/spec/leaseTransitions").value_or(0));
  return r;
}

void WriteLeaseRecord(Json& lease, const LeaseRecord& r) {
  Json& spec = lease["spec"];
  if (!spec.is_object()) spec = Json::object();
  // An empty holder is written as absent, as client-go does on release.
  if (r.holder_identity.empty()) {
    spec.erase("holderIdentity");
  } else {
    spec["holderIdentity"] = r.holder_identity;
  }
  spec["leaseDurationSeconds"] = r.lease_duration_seconds;
  if (r.acquire_time) spec["acquireTime"] = FormatMicroTime(*r.acquire_time);
  if (r.renew_time) spec["renewTime"] = FormatMicroTime(*r.renew_time);
  spec["leaseTransitions"] = r.lease_transitions;
}

Json MakeLease(const std::string& ns, const std::string& name, const LeaseRecord& record) {
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", name}, {"namespace", ns}}},
                {"spec", Json::object()}};
  WriteLeaseRecord(lease, record);
  return lease;
}

}  // namespace numalign::kube
