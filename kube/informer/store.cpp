#include "kube/informer/store.h"

#include <stdexcept>

#include "kube/objects/object_meta.h"

namespace numalign::kube {

IndexFunc IndexByNamespace() {
  return [](const Json& o) { return std::vector<std::string>{NamespaceOf(o)}; };
}

IndexFunc IndexPodsByNodeName() {
  return [](const Json& o) {
    std::string node = StringAt(o, "/spec/nodeName");
    return node.empty() ? std::vector<std::string>{} : std::vector<std::string>{node};
  };
}

void Store::AddIndexer(const std::string& name, IndexFunc index) {
  std::lock_guard lock(mu_);
  indexers_[name] = std::move(index);
  auto& values = indices_[name];
  values.clear();
  for (const auto& [key, object] : items_) {
    for (const auto& v : indexers_[name](*object)) values[v].insert(key);
  }
}

ObjectPtr Store::Get(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = items_.find(key);
  return it == items_.end() ? nullptr : it->second;
}

ObjectPtr Store::Get(std::string_view ns, std::string_view name) const {
  return Get(ObjectKey(ns, name));
}

std::vector<ObjectPtr> Store::List() const {
  std::lock_guard lock(mu_);
  std::vector<ObjectPtr> out;
  out.reserve(items_.size());
  for (const auto& [key, object] : items_) out.push_back(object);
  return out;
}

std::vector<std::string> Store::Keys() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [key, object] : items_) out.push_back(key);
  return out;
}

std::size_t Store::Size() const {
  std::lock_guard lock(mu_);
  return items_.size();
}

std::vector<ObjectPtr> Store::ByIndex(const std::string& index, const std::string& value) const {
  std::lock_guard lock(mu_);
  auto idx = indices_.find(index);
  if (idx == indices_.end()) throw std::invalid_argument("no index named " + index);
  std::vector<ObjectPtr> out;
  auto keys = idx->second.find(value);
  if (keys == idx->second.end()) return out;
  for (const auto& key : keys->second) {
    auto it = items_.find(key);
    if (it != items_.end()) out.push_back(it->second);
  }
  return out;
}

ObjectPtr Store::Upsert(ObjectPtr object) {
  const std::string key = ObjectKey(*object);
  std::lock_guard lock(mu_);
  ObjectPtr old;
  auto it = items_.find(key);
  if (it != items_.end()) {
    old = it->second;
    UnindexLocked(key, *old);
    it->second = object;
  } else {
    items_.emplace(key, object);
  }
  IndexLocked(key, *object);
  return old;
}

ObjectPtr Store::Remove(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = items_.find(key);
  if (it == items_.end()) return nullptr;
  ObjectPtr old = it->second;
  UnindexLocked(key, *old);
  items_.erase(it);
  return old;
}

void Store::IndexLocked(const std::string& key, const Json& object) {
  for (const auto& [name, index] : indexers_) {
    for (const auto& v : index(object)) indices_[name][v].insert(key);
  }
}

void Store::UnindexLocked(const std::string& key, const Json& object) {
  for (const auto& [name, index] : indexers_) {
    auto& values = indices_[name];
    for (const auto& v : index(object)) {
      auto it = values.find(v);
      if (it == values.end()) continue;
      it->second.erase(key);
      if (it->second.empty()) values.erase(it);
    }
  }
}

}  // namespace numalign::kube
