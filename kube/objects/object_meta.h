#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/clock/clock.h"

namespace numalign::kube {

using Json = nlohmann::json;

// Safe reads from JSON objects the server sent: a missing field or a field of the wrong type
// reads as empty, never throws. Paths are JSON pointers ("/spec/nodeName").
const Json* FindPath(const Json& object, std::string_view pointer);
std::string StringAt(const Json& object, std::string_view pointer);
std::optional<std::int64_t> IntAt(const Json& object, std::string_view pointer);
std::map<std::string, std::string> StringMapAt(const Json& object, std::string_view pointer);

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
};

// metadata accessors shared by every object.
std::string NameOf(const Json& object);
std::string NamespaceOf(const Json& object);
std::string UidOf(const Json& object);
std::string ResourceVersionOf(const Json& object);
std::map<std::string, std::string> LabelsOf(const Json& object);
std::map<std::string, std::string> AnnotationsOf(const Json& object);
std::optional<std::string> AnnotationOf(const Json& object, const std::string& key);
std::vector<OwnerReference> OwnerReferencesOf(const Json& object);
std::optional<Clock::TimePoint> CreationTimestampOf(const Json& object);
std::optional<Clock::TimePoint> DeletionTimestampOf(const Json& object);
// "namespace/name", or "name" for cluster-scoped objects: the cache key informers use.
std::string ObjectKey(const Json& object);
std::string ObjectKey(std::string_view ns, std::string_view name);

// An owner reference pointing at `owner` (e.g. the Node an NRT describes).
Json MakeOwnerReference(const Json& owner, bool controller = false);

}  // namespace numalign::kube
