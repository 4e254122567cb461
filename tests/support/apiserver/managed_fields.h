// metadata.managedFields: which field manager owns which fields (fieldsV1), updated on every write,
// and server-side apply (application/apply-patch+yaml) with conflict detection and force.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

// One path element per level: "f:<field>", "k:{\"name\":\"c\"}" (list element by key) or
// "v:<json>" (set element).
using FieldPath = std::vector<std::string>;
using FieldSet = std::set<FieldPath>;

// Which part of an object a write may own: the main resource of a type with a status subresource
// never owns status; a write to /status only owns status.
enum class FieldScope { kWholeObject, kMainResource, kStatusSubresource };

struct FieldManager {
  std::string manager;
  std::string api_version;
  std::string subresource;  // "" or "status"
  bool custom_resource = false;
  FieldScope scope = FieldScope::kWholeObject;
};

// Fields of an object; with include_map_nodes every non-top-level map that holds fields is a
// member too (what Update operations own), otherwise only leaves, list elements and empty maps
// (what an applied configuration owns).
FieldSet FieldSetFromObject(const Json& object, bool include_map_nodes, FieldScope scope);
Json FieldSetToFieldsV1(const FieldSet& set);
FieldSet FieldSetFromFieldsV1(const Json& fields);
// ".data.color", ".spec.containers[name=\"c\"].image"
std::string FieldPathString(const FieldPath& path);

// Updates new_object's managedFields for a non-apply write (create, update, patch).
void RecordUpdateOperation(const Json& old_object, Json& new_object, const FieldManager& who);

struct ApplyConflict {
  std::string manager;  // "\"a\"" or "\"d\" using v1"
  FieldPath path;
};

struct ApplyOutcome {
  Json object;                           // the merged object with managedFields updated
  std::vector<ApplyConflict> conflicts;  // non-empty: 409 unless forced
  bool changed = false;                  // object content (not managedFields) changed
};

// Applies config as manager `who` to current (null when creating).
ApplyOutcome ServerSideApply(const Json& current, const Json& config, const FieldManager& who,
                             bool force);
// The 409 message of a failed apply.
std::string ApplyConflictMessage(const std::vector<ApplyConflict>& conflicts);

}  // namespace numalign::test_apiserver
