#pragma once

namespace numalign::sim {

// Attempts per CreatePod event for a pod with an owner ReplicaSet: the first creation plus at
// most kMaxAttemptsPerEvent - 1 recreations after admission errors. The ReplicaSet controller
// has no such limit, but a real cluster spaces recreations by seconds and the scheduler's
// backoff; a bound keeps a pod that can never be admitted from looping forever in virtual time.
inline constexpr int kMaxAttemptsPerEvent = 5;

// Pods left pending are retried on the first event at least this many virtual seconds after
// the previous retry (kube-scheduler moves unschedulable pods back to its active queue after
// cluster events such as pod deletions, subject to backoff of 1 to 10 s).
inline constexpr double kPendingRetryPeriodS = 10;

// Samples taken of every time series over the workload's duration (plus one at t = 0).
inline constexpr int kTimeSeriesSamples = 60;

}  // namespace numalign::sim
