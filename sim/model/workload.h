#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "numa/pod/pod_spec.h"

namespace numalign::sim {

// A pod as the workload creates it. `spec` carries the containers (init containers first) with
// requests and limits exactly as the API server would store them (defaulted requests included),
// so QoS follows from them (numa::ComputeQosClass).
struct SimPod {
  numa::PodSpec spec;
  // The owning ReplicaSet: a pod rejected by node admission is recreated under a new name (the
  // ReplicaSet controller replaces failed pods). nullopt = a bare pod, which stays Failed.
  std::optional<std::string> owner_replicaset;
};

enum class SimEventKind { kCreatePod, kDeletePod };

// One workload event. Events are processed serially in (time_s, sequence) order; a CreatePod
// is scheduled to completion (bound and allocated, or rejected/pending) before the next event.
// A DeletePod names the pod by the namespace/name it was created with (`pod.spec`): the engine
// deletes whichever incarnation (after recreations) is live, or nothing when none is.
struct SimEvent {
  double time_s = 0;
  std::uint64_t sequence = 0;  // unique, ascending with time
  SimEventKind kind = SimEventKind::kCreatePod;
  SimPod pod;
};

// A seeded, ordered stream of events. The same (description, seed) always yields the same
// events on every platform (the generator draws with hand-written distributions).
struct Workload {
  std::string name;  // preset or file name, for reports
  std::uint64_t seed = 0;
  double duration_s = 0;  // virtual time covered; at least the last event's time
  std::vector<SimEvent> events;
};

}  // namespace numalign::sim
