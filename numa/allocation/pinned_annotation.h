#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalign::numa {

// ---------------------------------------------------------------------------------------------
// Annotation `numalign.io/pinned`, schema version "v1": what the node's agent applied to the
// pod's cgroups (ARCHITECTURE.md data flow step 4). Written with a merge patch after the cgroups
// are pinned; read back by the agent to rebuild its state when its checkpoint is lost or corrupted,
// and by the extender/controller as the confirmation that a placement is in effect.
//
//   {
//     "version": "v1",                   // required; any other value is rejected
//     "node": "worker-1",                // required; the node that pinned the pod
//     "podUID": "5f0c...",               // required
//     "pod": {"cpus": "0-3", "mems": "0"},  // required; the pod-level cgroup (union of the
//                                         // containers' sets)
//     "containers": [                    // required (may be empty); every container pinned,
//       {                                // each name at most once
//         "name": "app",                 // required
//         "cpus": "2-3",                 // required; cpuset.cpus in the kernel list format
//         "mems": "0",                   // required; cpuset.mems in the kernel list format
//         "exclusive": true              // optional, default false; true when `cpus` are the
//       }                                // container's exclusive CPUs, false for the shared pool
//     ]
//   }
//
// Sets are never empty (an empty cpuset means "inherit everything" on cgroup v2, which is not a
// pinning). Parsing is strict like numalign.io/allocation: unknown fields, wrong types, bad list
// syntax and duplicate containers are errors naming the field.
// ---------------------------------------------------------------------------------------------
inline constexpr std::string_view kPinnedAnnotation = "numalign.io/pinned";
inline constexpr std::string_view kPinnedVersionV1 = "v1";
// Set (with the reason, "TopologyAffinityError: ...") when the agent could not place the pod.
inline constexpr std::string_view kPinningFailedAnnotation = "numalign.io/pinning-failed";

struct PinnedSets {
  std::vector<int> cpus;  // ascending, unique
  std::vector<int> mems;  // ascending, unique
  bool operator==(const PinnedSets&) const = default;
};

struct PinnedContainer {
  std::string name;
  PinnedSets sets;
  bool exclusive = false;
  bool operator==(const PinnedContainer&) const = default;
};

struct PinnedRecord {
  std::string version{kPinnedVersionV1};
  std::string node;
  std::string pod_uid;
  PinnedSets pod;
  std::vector<PinnedContainer> containers;
  bool operator==(const PinnedRecord&) const = default;

  const PinnedContainer* Find(std::string_view container) const;
};

std::string SerializePinnedRecord(const PinnedRecord& record);

// Strict parse; never throws. nullopt with `error` naming the field on malformed input.
std::optional<PinnedRecord> ParsePinnedRecord(std::string_view text, std::string* error);

}  // namespace numalign::numa
