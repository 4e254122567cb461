#include "tests/support/apiserver/managed_fields.h"

#include <algorithm>
#include <map>

#include "tests/support/apiserver/list_semantics.h"
#include "tests/support/apiserver/patch.h"

namespace numalign::test_apiserver {
namespace {

// Metadata the apiserver maintains itself: never owned by a manager.
bool IsIgnoredMetadata(const std::string& key) {
  static const std::set<std::string> kIgnored = {"name",
                                                 "namespace",
                                                 "uid",
                                                 "resourceVersion",
                                                 "generation",
                                                 "selfLink",
                                                 "creationTimestamp",
                                                 "deletionTimestamp",
                                                 "deletionGracePeriodSeconds",
                                                 "managedFields"};
  return kIgnored.count(key) > 0;
}

bool InScope(const std::string& top_key, FieldScope scope) {
  if (top_key == "apiVersion" || top_key == "kind") return false;
  if (scope == FieldScope::kMainResource && top_key == "status") return false;
  if (scope == FieldScope::kStatusSubresource && top_key != "status" && top_key != "metadata")
    return false;
  return true;
}

std::string ElementKey(const std::string& key, const Json& element) {
  Json k = Json::object();
  if (const Json* value = Find(element, key)) k[key] = *value;
  return "k:" + EncodeCompact(k);
}

void Collect(const Json& value, FieldPath& path, std::vector<std::string>& names, FieldSet& out,
             bool include_map_nodes) {
  for (const auto& [key, child] : value.items()) {
    if (path.empty() && key == "metadata") {
      // metadata: only labels, annotations, finalizers, ownerReferences, generateName.
      if (!child.is_object()) continue;
      path.push_back("f:metadata");
      names.push_back("metadata");
      for (const auto& [meta_key, meta_value] : child.items()) {
        if (IsIgnoredMetadata(meta_key)) continue;
        Json single = Json::object();
        single[meta_key] = meta_value;
        Collect(single, path, names, out, include_map_nodes);
      }
      names.pop_back();
      path.pop_back();
      continue;
    }
    path.push_back("f:" + key);
    names.push_back(key);
    if (child.is_object() && !IsAtomicStruct(names)) {
      // kube-apiserver compares against the kind's zero value, where spec/status (and an
      // Event's source) already exist as empty structs: those are never owned as a whole.
      bool in_zero_value =
          path.size() == 1 && (key == "spec" || key == "status" || key == "source");
      if (!in_zero_value && (child.empty() || include_map_nodes)) out.insert(path);
      Collect(child, path, names, out, include_map_nodes);
    } else if (child.is_array()) {
      auto merge_key = ListMergeKey(names);
      bool keyed = merge_key.has_value() &&
                   std::all_of(child.begin(), child.end(),
                               [&](const Json& e) { return e.is_object() && Find(e, *merge_key); });
      if (keyed && !child.empty()) {
        for (const auto& element : child) {
          path.push_back(ElementKey(*merge_key, element));
          out.insert(path);
          Collect(element, path, names, out, include_map_nodes);
          path.pop_back();
        }
      } else if (IsSetList(names) && !child.empty()) {
        for (const auto& element : child) {
          path.push_back("v:" + EncodeCompact(element));
          out.insert(path);
          path.pop_back();
        }
      } else {
        out.insert(path);  // atomic list
      }
    } else {
      out.insert(path);
    }
    names.pop_back();
    path.pop_back();
  }
}

// Value at a field path, or nullptr.
const Json* Lookup(const Json& object, const FieldPath& path) {
  const Json* current = &object;
  for (const auto& element : path) {
    if (element.rfind("f:", 0) == 0) {
      current = Find(*current, element.substr(2));
    } else if (element.rfind("k:", 0) == 0) {
      if (!current->is_array()) return nullptr;
      Json key = Json::parse(element.substr(2), nullptr, false);
      const Json* found = nullptr;
      for (const auto& item : *current) {
        bool match = item.is_object();
        for (const auto& [k, v] : key.items())
          if (match && (!Find(item, k) || item.at(k) != v)) match = false;
        if (match) {
          found = &item;
          break;
        }
      }
      current = found;
    } else if (element.rfind("v:", 0) == 0) {
      if (!current->is_array()) return nullptr;
      Json wanted = Json::parse(element.substr(2), nullptr, false);
      auto it = std::find(current->begin(), current->end(), wanted);
      current = it == current->end() ? nullptr : &*it;
    } else {
      return nullptr;
    }
    if (!current) return nullptr;
  }
  return current;
}

// Removes the field at path (a key, list element or set element) from object.
void Erase(Json& object, const FieldPath& path) {
  if (path.empty()) return;
  FieldPath parent_path(path.begin(), path.end() - 1);
  Json* parent = const_cast<Json*>(Lookup(object, parent_path));
  if (!parent) return;
  const std::string& last = path.back();
  if (last.rfind("f:", 0) == 0 && parent->is_object()) {
    parent->erase(last.substr(2));
  } else if (parent->is_array()) {
    const Json* target = Lookup(object, path);
    for (auto it = parent->begin(); it != parent->end(); ++it)
      if (&*it == target) {
        parent->erase(it);
        break;
      }
  }
}

FieldSet Filter(const FieldSet& set, FieldScope scope) {
  FieldSet filtered;
  for (const auto& path : set)
    if (!path.empty() && InScope(path[0].substr(2), scope)) filtered.insert(path);
  return filtered;
}

struct Entry {
  Json json;
  FieldSet fields;
};

std::vector<Entry> ReadEntries(const Json& object) {
  std::vector<Entry> entries;
  if (const Json* managed = FindPath(object, {"metadata", "managedFields"});
      managed && managed->is_array())
    for (const auto& entry : *managed) {
      const Json* fields = Find(entry, "fieldsV1");
      entries.push_back({entry, fields ? FieldSetFromFieldsV1(*fields) : FieldSet{}});
    }
  return entries;
}

Json MakeEntry(const FieldManager& who, const std::string& operation, const std::string* time,
               const FieldSet& fields) {
  Json entry = Json::object();
  entry["manager"] = who.manager;
  entry["operation"] = operation;
  entry["apiVersion"] = who.api_version;
  if (time) entry["time"] = *time;
  entry["fieldsType"] = "FieldsV1";
  entry["fieldsV1"] = FieldSetToFieldsV1(fields);
  if (!who.subresource.empty()) entry["subresource"] = who.subresource;
  return entry;
}

void WriteEntries(Json& object, const std::vector<Entry>& entries) {
  Json managed = Json::array();
  for (const auto& entry : entries) {
    if (entry.fields.empty()) continue;
    Json json = entry.json;
    json["fieldsV1"] = FieldSetToFieldsV1(entry.fields);
    managed.push_back(json);
  }
  Json& metadata = object["metadata"];
  if (managed.empty())
    metadata.erase("managedFields");
  else
    metadata["managedFields"] = managed;
}

bool SameManager(const Json& entry, const FieldManager& who, const std::string& operation) {
  return GetString(entry, "manager") == who.manager && GetString(entry, "operation") == operation &&
         GetString(entry, "subresource") == who.subresource;
}

// Removes paths whose field no longer exists in object.
void DropMissing(FieldSet& set, const Json& object) {
  for (auto it = set.begin(); it != set.end();) {
    if (!Lookup(object, *it))
      it = set.erase(it);
    else
      ++it;
  }
}

// Merges an applied configuration into an object: maps recursively, keyed lists by key,
// everything else replaced.
Json MergeApplied(const Json& current, const Json& config, std::vector<std::string>& names) {
  if (!config.is_object()) return config;
  Json result = current.is_object() ? current : Json::object();
  for (const auto& [key, value] : config.items()) {
    names.push_back(key);
    const Json* existing = Find(result, key);
    if (value.is_object() && !IsAtomicStruct(names)) {
      result[key] = MergeApplied(existing ? *existing : Json(), value, names);
    } else if (value.is_array() && ListMergeKey(names) && existing && existing->is_array()) {
      std::string merge_key = *ListMergeKey(names);
      Json merged = *existing;
      for (const auto& element : value) {
        const Json* k = Find(element, merge_key);
        auto match = std::find_if(merged.begin(), merged.end(), [&](const Json& e) {
          const Json* ek = Find(e, merge_key);
          return k && ek && *k == *ek;
        });
        if (match != merged.end())
          *match = MergeApplied(*match, element, names);
        else
          merged.push_back(element);
      }
      result[key] = merged;
    } else {
      result[key] = value;
    }
    names.pop_back();
  }
  return result;
}

Json StripForComparison(Json object) {
  if (object.is_object() && object.contains("metadata") && object["metadata"].is_object()) {
    object["metadata"].erase("managedFields");
    object["metadata"].erase("resourceVersion");
  }
  return object;
}

}  // namespace

FieldSet FieldSetFromObject(const Json& object, bool include_map_nodes, FieldScope scope) {
  FieldSet set;
  if (!object.is_object()) return set;
  FieldPath path;
  std::vector<std::string> names;
  Collect(object, path, names, set, include_map_nodes);
  return Filter(set, scope);
}

Json FieldSetToFieldsV1(const FieldSet& set) {
  // Sorted keys: fieldsV1 is serialised with every map sorted.
  nlohmann::json tree = nlohmann::json::object();
  for (const auto& path : set) {
    nlohmann::json* node = &tree;
    for (const auto& element : path) node = &(*node)[element];
    if (!node->is_object()) *node = nlohmann::json::object();
  }
  // Members that also have children carry ".".
  std::function<void(nlohmann::json&, FieldPath&)> mark = [&](nlohmann::json& node,
                                                              FieldPath& prefix) {
    for (auto& [key, child] : node.items()) {
      if (key == ".") continue;
      prefix.push_back(key);
      if (!child.empty() && set.count(prefix)) child["."] = nlohmann::json::object();
      mark(child, prefix);
      prefix.pop_back();
    }
  };
  FieldPath prefix;
  mark(tree, prefix);
  return Json::parse(tree.dump());
}

FieldSet FieldSetFromFieldsV1(const Json& fields) {
  FieldSet set;
  std::function<void(const Json&, FieldPath&)> walk = [&](const Json& node, FieldPath& prefix) {
    if (!node.is_object()) return;
    for (const auto& [key, child] : node.items()) {
      if (key == ".") {
        set.insert(prefix);
        continue;
      }
      prefix.push_back(key);
      if (child.is_object() && child.empty()) set.insert(prefix);
      walk(child, prefix);
      prefix.pop_back();
    }
  };
  FieldPath prefix;
  walk(fields, prefix);
  return set;
}

std::string FieldPathString(const FieldPath& path) {
  std::string text;
  for (const auto& element : path) {
    if (element.rfind("f:", 0) == 0) {
      text += "." + element.substr(2);
    } else if (element.rfind("k:", 0) == 0) {
      Json key = Json::parse(element.substr(2), nullptr, false);
      text += "[";
      bool first = true;
      for (const auto& [k, v] : key.items()) {
        if (!first) text += ",";
        text += k + "=" + EncodeCompact(v);
        first = false;
      }
      text += "]";
    } else if (element.rfind("v:", 0) == 0) {
      text += "[=" + element.substr(2) + "]";
    }
  }
  return text;
}

void RecordUpdateOperation(const Json& old_object, Json& new_object, const FieldManager& who) {
  FieldSet all_new = FieldSetFromObject(new_object, true, who.scope);
  FieldSet changed;
  for (const auto& path : all_new) {
    const Json* before = Lookup(old_object, path);
    const Json* after = Lookup(new_object, path);
    if (!after) continue;
    // Maps and keyed lists are members only when added; their fields are compared one by one.
    auto next = all_new.upper_bound(path);
    bool has_children = next != all_new.end() && next->size() > path.size() &&
                        std::equal(path.begin(), path.end(), next->begin());
    bool element = path.back().rfind("k:", 0) == 0 || path.back().rfind("v:", 0) == 0;
    if (!before) {
      changed.insert(path);
    } else if (!has_children && !element && *before != *after) {
      changed.insert(path);
    }
  }
  // Keyed/set lists: the list node itself is only a member when added (handled above).
  std::vector<Entry> entries = ReadEntries(old_object);
  bool found = false;
  for (auto& entry : entries) {
    DropMissing(entry.fields, new_object);
    if (SameManager(entry.json, who, "Update")) {
      found = true;
      if (!changed.empty()) {
        entry.fields.insert(changed.begin(), changed.end());
        entry.json["time"] = NowTime();
        entry.json["apiVersion"] = who.api_version;
      }
    } else {
      for (const auto& path : changed) entry.fields.erase(path);
    }
  }
  if (!found && !changed.empty()) {
    std::string now = NowTime();
    entries.push_back({MakeEntry(who, "Update", &now, changed), changed});
  }
  WriteEntries(new_object, entries);
}

ApplyOutcome ServerSideApply(const Json& current, const Json& config, const FieldManager& who,
                             bool force) {
  ApplyOutcome outcome;
  FieldSet applied = FieldSetFromObject(config, false, who.scope);
  std::vector<Entry> entries = ReadEntries(current);

  // Conflicts: a field another manager owns whose value the configuration changes.
  for (auto& entry : entries) {
    if (SameManager(entry.json, who, "Apply")) continue;
    std::string name = "\"" + GetString(entry.json, "manager") + "\"";
    if (GetString(entry.json, "operation") == "Update")
      name += " using " + GetString(entry.json, "apiVersion");
    for (const auto& path : applied) {
      if (!entry.fields.count(path)) continue;
      const Json* have = Lookup(current, path);
      const Json* want = Lookup(config, path);
      if (have && want && !have->is_object() && *have != *want)
        outcome.conflicts.push_back({name, path});
    }
  }
  if (!outcome.conflicts.empty() && !force) return outcome;
  for (const auto& conflict : outcome.conflicts)
    for (auto& entry : entries)
      if (!SameManager(entry.json, who, "Apply")) entry.fields.erase(conflict.path);
  outcome.conflicts.clear();

  std::vector<std::string> names;
  Json merged = MergeApplied(current.is_null() ? Json::object() : current, config, names);

  // Fields this manager applied before but not now, and nobody else owns, are removed.
  FieldSet previous;
  for (const auto& entry : entries)
    if (SameManager(entry.json, who, "Apply")) previous = entry.fields;
  for (auto it = previous.rbegin(); it != previous.rend(); ++it) {
    if (applied.count(*it)) continue;
    bool owned_elsewhere = false;
    for (const auto& entry : entries)
      if (!SameManager(entry.json, who, "Apply") && entry.fields.count(*it)) owned_elsewhere = true;
    // Keep parents of fields still applied.
    bool parent_of_applied = std::any_of(applied.begin(), applied.end(), [&](const FieldPath& p) {
      return p.size() > it->size() && std::equal(it->begin(), it->end(), p.begin());
    });
    if (!owned_elsewhere && !parent_of_applied) Erase(merged, *it);
  }
  outcome.changed = current.is_null() || StripForComparison(current) != StripForComparison(merged);

  bool found = false;
  for (auto& entry : entries) {
    if (SameManager(entry.json, who, "Apply")) {
      found = true;
      if (entry.fields != applied || outcome.changed) {
        entry.fields = applied;
        if (outcome.changed) entry.json["time"] = NowTime();
      }
    }
  }
  if (!found) {
    std::string now = NowTime();
    Entry entry{MakeEntry(who, "Apply", outcome.changed ? &now : nullptr, applied), applied};
    // A manager that changed nothing is recorded first (as kube-apiserver does).
    if (outcome.changed)
      entries.push_back(entry);
    else
      entries.insert(entries.begin(), entry);
  }
  for (auto& entry : entries) DropMissing(entry.fields, merged);
  WriteEntries(merged, entries);
  outcome.object = std::move(merged);
  return outcome;
}

std::string ApplyConflictMessage(const std::vector<ApplyConflict>& conflicts) {
  std::map<std::string, std::vector<std::string>> by_manager;
  std::vector<std::string> order;
  for (const auto& conflict : conflicts) {
    if (!by_manager.count(conflict.manager)) order.push_back(conflict.manager);
    by_manager[conflict.manager].push_back(FieldPathString(conflict.path));
  }
  std::string message = "Apply failed with " + std::to_string(conflicts.size()) + " conflict" +
                        (conflicts.size() == 1 ? "" : "s") + ": ";
  if (conflicts.size() == 1) {
    return message + "conflict with " + conflicts[0].manager + ": " +
           FieldPathString(conflicts[0].path);
  }
  bool first = true;
  for (const auto& manager : order) {
    auto& fields = by_manager[manager];
    std::sort(fields.begin(), fields.end());
    if (!first) message += "\n";
    message += "conflicts with " + manager + ":";
    for (const auto& field : fields) message += "\n- " + field;
    first = false;
  }
  return message;
}

}  // namespace numalign::test_apiserver
