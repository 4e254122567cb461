#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalign::numa {

// ---------------------------------------------------------------------------------------------
// Annotation `numalign.io/allocation`, schema version "v1": the extender's NUMA decision for a
// pod, written at bind time (ARCHITECTURE.md data flow step 3) and read by the node's agent, which
// validates it with the same allocate functions before committing it (step 4).
//
// The value is a JSON object:
//
//   {
//     "version": "v1",                 // required; any other value is rejected
//     "node": "worker-1",              // required; the node the decision was made for
//     "podUID": "5f0c...",             // required; metadata.uid of the pod it was made for
//     "containers": [                  // required (may be empty); init containers first, then
//       {                              // app containers, each name at most once
//         "name": "app",               // required; the container's name
//         "exclusiveCPUs": 4,          // optional, default 0; whole CPUs given to the container
//                                      // by the CPU Manager (0 = shared pool)
//         "numa": {                    // optional, default {}; resource -> NUMA node OS ids,
//           "cpu": [0],                // ascending, unique, each in [0, 63]; resources are
//           "memory": [0],             // "cpu", "memory" and "hugepages-<size>"; a resource
//           "hugepages-1Gi": [0]       // absent means "no NUMA affinity decided for it"
//         }
//       }
//     ]
//   }
//
// Parsing is strict because the agent acts on it: an unknown field, a wrong type, a duplicate
// container, a NUMA id out of range or an unsorted list is an error naming the field. A new field
// means a new version. Compatibility: readers reject versions they do not know, so writers keep
// writing "v1" until every agent understands the next version.
// ---------------------------------------------------------------------------------------------
inline constexpr std::string_view kAllocationAnnotation = "numalign.io/allocation";
inline constexpr std::string_view kAllocationVersionV1 = "v1";

// Largest NUMA node OS id accepted: the Topology Manager's masks are 64 bits wide.
inline constexpr int kMaxAnnotationNumaId = 63;
// Far above any real machine; guards against absurd values, not against real ones.
inline constexpr std::int64_t kMaxAnnotationExclusiveCpus = 1 << 16;
// An annotation longer than this is refused before parsing (the API caps all annotations of an
// object at 256 KiB together).
inline constexpr std::size_t kMaxAnnotationBytes = 256 * 1024;

struct ContainerNumaDecision {
  std::string name;
  std::int64_t exclusive_cpus = 0;
  // Resource name -> NUMA node OS ids (ascending, unique, non-empty).
  std::map<std::string, std::vector<int>> numa;
  bool operator==(const ContainerNumaDecision&) const = default;

  // Every NUMA id of every resource, ascending and unique: the container's Topology Manager
  // affinity (the kubelet stores one mask per container for all its resources).
  std::vector<int> AllNumaNodes() const;
};

struct AllocationDecision {
  std::string version{kAllocationVersionV1};
  std::string node;
  std::string pod_uid;
  std::vector<ContainerNumaDecision> containers;
  bool operator==(const AllocationDecision&) const = default;

  const ContainerNumaDecision* Find(std::string_view container) const;
};

// Canonical compact JSON (fields in the documented order).
std::string SerializeAllocationDecision(const AllocationDecision& decision);

// Strict parse of the annotation value. Never throws: nullopt with `error` set, e.g.
// "numalign.io/allocation: containers[1].numa.memory[0]: NUMA node id 99 is out of range [0, 63]".
std::optional<AllocationDecision> ParseAllocationDecision(std::string_view text,
                                                          std::string* error);

}  // namespace numalign::numa
