#pragma once

#include <optional>
#include <string>

#include "kube/objects/object_meta.h"

namespace numalign::kube {

// The fields of a coordination.k8s.io/v1 Lease that leader election uses (client-go's
// LeaderElectionRecord).
struct LeaseRecord {
  std::string holder_identity;
  int lease_duration_seconds = 0;
  std::optional<Clock::TimePoint> acquire_time;
  std::optional<Clock::TimePoint> renew_time;
  int lease_transitions = 0;

  bool operator==(const LeaseRecord&) const = default;
};

LeaseRecord ReadLeaseRecord(const Json& lease);
// Writes the record into lease.spec (times as MicroTime, six fractional digits).
void WriteLeaseRecord(Json& lease, const LeaseRecord& record);
Json MakeLease(const std::string& ns, const std::string& name, const LeaseRecord& record);

}  // namespace numalign::kube
