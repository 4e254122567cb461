// How built-in list fields merge: the patchMergeKey of strategic merge patch and the associative
// list keys of server-side apply ("containers are merged by name"). Lists not named here are
// atomic (replaced as a whole), which is also how every custom resource list without
// x-kubernetes-list-type behaves.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace numalign::test_apiserver {

// path: field names from the object root, list elements skipped ("spec","containers","env").
std::optional<std::string> ListMergeKey(const std::vector<std::string>& path);
// Lists of scalars merged as sets (metadata.finalizers).
bool IsSetList(const std::vector<std::string>& path);

}  // namespace numalign::test_apiserver

namespace numalign::test_apiserver {
// Structs tracked as one field by managed fields (+structType=atomic): an Event's
// involvedObject/regarding/related, a PodDisruptionBudget's label selector.
bool IsAtomicStruct(const std::vector<std::string>& path);
}  // namespace numalign::test_apiserver
