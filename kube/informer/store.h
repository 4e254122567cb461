#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace numalign::kube {

using Json = nlohmann::json;
// Cached objects are shared and immutable: readers keep a snapshot without copying or locking.
using ObjectPtr = std::shared_ptr<const Json>;
using IndexFunc = std::function<std::vector<std::string>(const Json&)>;

inline constexpr char kNamespaceIndex[] = "namespace";
inline constexpr char kNodeNameIndex[] = "spec.nodeName";

IndexFunc IndexByNamespace();
// Pods by spec.nodeName (unbound pods are not indexed).
IndexFunc IndexPodsByNodeName();

// A thread-safe cache keyed by "namespace/name" with secondary indexes (client-go's
// ThreadSafeStore + Indexer).
class Store {
 public:
  // Adds an index; existing objects are indexed at once.
  void AddIndexer(const std::string& name, IndexFunc index);

  ObjectPtr Get(const std::string& key) const;
  ObjectPtr Get(std::string_view ns, std::string_view name) const;
  std::vector<ObjectPtr> List() const;
  std::vector<std::string> Keys() const;
  std::size_t Size() const;
  // Objects whose index function returned `value`. Throws std::invalid_argument for an unknown
  // index name.
  std::vector<ObjectPtr> ByIndex(const std::string& index, const std::string& value) const;

  // Returns the object replaced, or null.
  ObjectPtr Upsert(ObjectPtr object);
  // Returns the object removed, or null.
  ObjectPtr Remove(const std::string& key);

 private:
  void IndexLocked(const std::string& key, const Json& object);
  void UnindexLocked(const std::string& key, const Json& object);

  mutable std::mutex mu_;
  std::map<std::string, ObjectPtr> items_;
  std::map<std::string, IndexFunc> indexers_;
  // index name -> value -> keys
  std::map<std::string, std::map<std::string, std::set<std::string>>> indices_;
};

}  // namespace numalign::kube
