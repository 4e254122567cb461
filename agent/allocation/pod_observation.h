#pragma once

#include <map>
#include <optional>
#include <string>

#include "numa/pod/pod_spec.h"

namespace numalign::agent {

// What the agent needs to know of one pod bound to its node, extracted once from the API object
// (agent/pods does the extraction), so the allocation and pinning core never sees JSON or I/O.
struct PodObservation {
  numa::PodSpec spec;              // uid, namespace/name, containers and their requests
  std::string creation_timestamp;  // RFC 3339 as the API writes it (sorts as text)
  std::optional<std::string> allocation_annotation;  // numalign.io/allocation, raw
  std::optional<std::string> pinned_annotation;      // numalign.io/pinned, raw
  bool terminated = false;  // phase Succeeded or Failed: its resources go back to the node
  // Container name -> containerStatuses[].containerID ("containerd://<id>"), when known.
  std::map<std::string, std::string> container_ids;
};

// The deterministic order in which pods are (re-)admitted when no admission sequence is known:
// creationTimestamp, then uid (the ordering fix of the Memory Manager's GA).
inline bool AdmissionOrderLess(const PodObservation& a, const PodObservation& b) {
  if (a.creation_timestamp != b.creation_timestamp) {
    return a.creation_timestamp < b.creation_timestamp;
  }
  return a.spec.uid < b.spec.uid;
}

}  // namespace numalign::agent
