#include "kube/objects/object_meta.h"

#include <cstdlib>

#include "kube/clock/time_format.h"

namespace numalign::kube {

const Json* FindPath(const Json& object, std::string_view pointer) {
  const Json* at = &object;
  std::size_t pos = pointer.empty() || pointer[0] != '/' ? 0 : 1;
  if (pointer.empty()) return at;
  while (pos <= pointer.size()) {
    const std::size_t next = pointer.find('/', pos);
    std::string token(
        pointer.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    // JSON pointer escapes: ~1 is '/', ~0 is '~' (annotation keys contain '/').
    for (std::size_t i; (i = token.find("~1")) != std::string::npos;) token.replace(i, 2, "/");
    for (std::size_t i; (i = token.find("~0")) != std::string::npos;) token.replace(i, 2, "~");
    if (at->is_object()) {
      auto it = at->find(token);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      char* end = nullptr;
      const unsigned long index = std::strtoul(token.c_str(), &end, 10);
      if (token.empty() || *end != '\0' || index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return at;
}

std::string StringAt(const Json& object, std::string_view pointer) {
  const Json* j = FindPath(object, pointer);
  return j && j->is_string() ? j->get<std::string>() : std::string();
}

std::optional<std::int64_t> IntAt(const Json& object, std::string_view pointer) {
  const Json* j = FindPath(object, pointer);
  if (!j || !j->is_number_integer()) return std::nullopt;
  return j->get<std::int64_t>();
}

std::map<std::string, std::string> StringMapAt(const Json& object, std::string_view pointer) {
  std::map<std::string, std::string> out;
  const Json* j = FindPath(object, pointer);
  if (!j || !j->is_object()) return out;
  for (const auto& [k, v] : j->items()) {
    if (v.is_string()) out.emplace(k, v.get<std::string>());
  }
  return out;
}

std::string NameOf(const Json& o) {
  return StringAt(o, "/metadata/name");
}
std::string NamespaceOf(const Json& o) {
  return StringAt(o, "/metadata/namespace");
}
std::string UidOf(const Json& o) {
  return StringAt(o, "/metadata/uid");
}
std::string ResourceVersionOf(const Json& o) {
  return StringAt(o, "/metadata/resourceVersion");
}
std::map<std::string, std::string> LabelsOf(const Json& o) {
  return StringMapAt(o, "/metadata/labels");
}
std::map<std::string, std::string> AnnotationsOf(const Json& o) {
  return StringMapAt(o, "/metadata/annotations");
}

std::optional<std::string> AnnotationOf(const Json& o, const std::string& key) {
  const Json* a = FindPath(o, "/metadata/annotations");
  if (!a || !a->is_object()) return std::nullopt;
  auto it = a->find(key);
  if (it == a->end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::vector<OwnerReference> OwnerReferencesOf(const Json& o) {
  std::vector<OwnerReference> out;
  const Json* refs = FindPath(o, "/metadata/ownerReferences");
  if (!refs || !refs->is_array()) return out;
  for (const auto& r : *refs) {
    if (!r.is_object()) continue;
    OwnerReference ref;
    ref.api_version = StringAt(r, "/apiVersion");
    ref.kind = StringAt(r, "/kind");
    ref.name = StringAt(r, "/name");
    ref.uid = StringAt(r, "/uid");
    const Json* c = FindPath(r, "/controller");
    ref.controller = c && c->is_boolean() && c->get<bool>();
    out.push_back(std::move(ref));
  }
  return out;
}

std::optional<Clock::TimePoint> CreationTimestampOf(const Json& o) {
  return ParseTime(StringAt(o, "/metadata/creationTimestamp"));
}

std::optional<Clock::TimePoint> DeletionTimestampOf(const Json& o) {
  return ParseTime(StringAt(o, "/metadata/deletionTimestamp"));
}

std::string ObjectKey(std::string_view ns, std::string_view name) {
  return ns.empty() ? std::string(name) : std::string(ns) + "/" + std::string(name);
}

std::string ObjectKey(const Json& o) {
  return ObjectKey(NamespaceOf(o), NameOf(o));
}

Json MakeOwnerReference(const Json& owner, bool controller) {
  Json ref = {{"apiVersion", StringAt(owner, "/apiVersion")},
              {"kind", StringAt(owner, "/kind")},
              {"name", NameOf(owner)},
              {"uid", UidOf(owner)}};
  if (controller) ref["controller"] = true;
  return ref;
}

}  // namespace numalign::kube
