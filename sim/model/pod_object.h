#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/model/workload.h"

namespace numalign::sim {

// The v1.Pod object a workload pod is created as: metadata (name, namespace, uid,
// creationTimestamp from the virtual time, ownerReferences for a ReplicaSet owner),
// spec.schedulerName and spec.containers/initContainers with resources (quantities in
// canonical form, restartPolicy: Always on restartable init containers), status.phase Pending.
// `uid` is the incarnation's uid; `created_at_s` its virtual creation time.
nlohmann::json PodObject(const SimPod& pod, const std::string& uid, double created_at_s,
                         const std::string& scheduler_name = "numalign-scheduler");

// The uid the simulator gives an incarnation: deterministic ("sim-<sequence>-<attempt>"), so
// both modes and repeated runs name pods identically.
std::string IncarnationUid(std::uint64_t event_sequence, int attempt);

// The incarnation's name: the created name for attempt 0, then "<name>-r<attempt>" (a
// ReplicaSet gives each replacement a new random suffix; the simulator keeps it readable).
std::string IncarnationName(const std::string& name, int attempt);

}  // namespace numalign::sim
