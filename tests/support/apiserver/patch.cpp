#include "tests/support/apiserver/patch.h"

#include <algorithm>

#include "tests/support/apiserver/api_error.h"
#include "tests/support/apiserver/list_semantics.h"

namespace numalign::test_apiserver {
namespace {

ApiError JsonPatchRejected() {
  Json details = Json::object();
  return ApiError(422, FailureStatus(422, "Invalid",
                                     "the server rejected our request due to an error in our "
                                     "request",
                                     &details));
}

std::vector<std::string> SplitPointer(const std::string& pointer) {
  if (pointer.empty()) return {};
  if (pointer[0] != '/') throw JsonPatchRejected();
  std::vector<std::string> tokens;
  size_t start = 1;
  while (true) {
    size_t slash = pointer.find('/', start);
    std::string token = pointer.substr(start, slash == std::string::npos ? slash : slash - start);
    std::string decoded;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
        decoded += token[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        decoded += token[i];
      }
    }
    tokens.push_back(decoded);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return tokens;
}

bool ParseIndex(const std::string& token, size_t limit, size_t* index) {
  if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos) return false;
  if (token.size() > 1 && token[0] == '0') return false;
  *index = std::stoul(token);
  return *index <= limit;
}

Json* Resolve(Json& root, const std::vector<std::string>& tokens, size_t count) {
  Json* current = &root;
  for (size_t i = 0; i < count; ++i) {
    if (current->is_object()) {
      auto it = current->find(tokens[i]);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else if (current->is_array()) {
      size_t index;
      if (!ParseIndex(tokens[i], current->size() - 1, &index) || current->empty()) return nullptr;
      current = &(*current)[index];
    } else {
      return nullptr;
    }
  }
  return current;
}

void Add(Json& root, const std::vector<std::string>& tokens, Json value) {
  if (tokens.empty()) {
    root = std::move(value);
    return;
  }
  Json* parent = Resolve(root, tokens, tokens.size() - 1);
  if (!parent) throw JsonPatchRejected();
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    (*parent)[last] = std::move(value);
  } else if (parent->is_array()) {
    if (last == "-") {
      parent->push_back(std::move(value));
    } else {
      size_t index;
      if (!ParseIndex(last, parent->size(), &index)) throw JsonPatchRejected();
      parent->insert(parent->begin() + static_cast<long>(index), std::move(value));
    }
  } else {
    throw JsonPatchRejected();
  }
}

Json Remove(Json& root, const std::vector<std::string>& tokens) {
  if (tokens.empty()) throw JsonPatchRejected();
  Json* parent = Resolve(root, tokens, tokens.size() - 1);
  if (!parent) throw JsonPatchRejected();
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    auto it = parent->find(last);
    if (it == parent->end()) throw JsonPatchRejected();
    Json removed = *it;
    parent->erase(it);
    return removed;
  }
  if (parent->is_array()) {
    size_t index;
    if (parent->empty() || !ParseIndex(last, parent->size() - 1, &index)) throw JsonPatchRejected();
    Json removed = (*parent)[index];
    parent->erase(parent->begin() + static_cast<long>(index));
    return removed;
  }
  throw JsonPatchRejected();
}

bool IsDirective(const std::string& key) {
  return key.rfind("$setElementOrder/", 0) == 0 || key == "$retainKeys" ||
         key.rfind("$deleteFromPrimitiveList/", 0) == 0 || key == "$patch";
}

Json StrategicMerge(const Json& original, const Json& patch, std::vector<std::string>& path);

Json MergeList(const Json& original, const Json& patch, std::vector<std::string>& path) {
  if (!original.is_array()) {
    Json cleaned = Json::array();
    for (const auto& item : patch) {
      if (item.is_object()) {
        const Json* directive = Find(item, "$patch");
        if (directive && *directive == "delete") continue;
        Json copy = item;
        copy.erase("$patch");
        cleaned.push_back(copy);
      } else {
        cleaned.push_back(item);
      }
    }
    return cleaned;
  }
  if (IsSetList(path)) {
    Json merged = original;
    for (const auto& item : patch)
      if (std::find(merged.begin(), merged.end(), item) == merged.end()) merged.push_back(item);
    return merged;
  }
  auto key = ListMergeKey(path);
  if (!key) return patch;
  for (const auto& item : patch)
    if (!item.is_object()) return patch;
  // A {"$patch":"replace"} element replaces the whole list with the other elements.
  for (const auto& item : patch)
    if (const Json* d = Find(item, "$patch"); d && *d == "replace" && !Find(item, *key)) {
      Json replaced = Json::array();
      for (const auto& other : patch)
        if (!Find(other, "$patch")) replaced.push_back(other);
      return replaced;
    }
  Json merged = original;
  for (const auto& item : patch) {
    const Json* key_value = Find(item, *key);
    auto match = std::find_if(merged.begin(), merged.end(), [&](const Json& existing) {
      const Json* existing_key = Find(existing, *key);
      return key_value && existing_key && *existing_key == *key_value;
    });
    const Json* directive = Find(item, "$patch");
    if (directive && *directive == "delete") {
      if (match != merged.end()) merged.erase(match);
      continue;
    }
    if (match != merged.end()) {
      *match = StrategicMerge(*match, item, path);
    } else {
      Json empty = Json::object();
      merged.push_back(StrategicMerge(empty, item, path));
    }
  }
  return merged;
}

Json StrategicMerge(const Json& original, const Json& patch, std::vector<std::string>& path) {
  if (!patch.is_object()) return patch;
  if (const Json* directive = Find(patch, "$patch"); directive && *directive == "replace") {
    Json replaced = patch;
    replaced.erase("$patch");
    return replaced;
  }
  Json result = original.is_object() ? original : Json::object();
  for (const auto& [key, value] : patch.items()) {
    if (key.rfind("$deleteFromPrimitiveList/", 0) == 0) {
      std::string field = key.substr(std::string("$deleteFromPrimitiveList/").size());
      if (Json* list = FindMutable(result, field); list && list->is_array() && value.is_array())
        for (const auto& remove : value)
          list->erase(std::remove(list->begin(), list->end(), remove), list->end());
      continue;
    }
    if (IsDirective(key)) continue;
    if (value.is_null()) {
      result.erase(key);
      continue;
    }
    path.push_back(key);
    const Json* existing = Find(result, key);
    Json empty;
    if (value.is_object()) {
      result[key] = StrategicMerge(existing ? *existing : empty, value, path);
    } else if (value.is_array()) {
      result[key] = MergeList(existing ? *existing : empty, value, path);
    } else {
      result[key] = value;
    }
    path.pop_back();
  }
  return result;
}

}  // namespace

Json ApplyMergePatch(const Json& target, const Json& patch) {
  if (!patch.is_object()) return patch;
  Json result = target.is_object() ? target : Json::object();
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      result.erase(key);
    } else {
      const Json* existing = Find(result, key);
      result[key] = ApplyMergePatch(existing ? *existing : Json(), value);
    }
  }
  return result;
}

Json ApplyJsonPatch(const Json& target, const Json& operations) {
  Json document = target;
  for (const auto& operation : operations) {
    if (!operation.is_object()) throw JsonPatchRejected();
    std::string op = GetString(operation, "op");
    const Json* path_value = Find(operation, "path");
    if (!path_value || !path_value->is_string()) throw JsonPatchRejected();
    auto tokens = SplitPointer(path_value->get<std::string>());
    const Json* value = Find(operation, "value");
    if (op == "add") {
      if (!value) throw JsonPatchRejected();
      Add(document, tokens, *value);
    } else if (op == "remove") {
      Remove(document, tokens);
    } else if (op == "replace") {
      if (!value) throw JsonPatchRejected();
      Json* slot = Resolve(document, tokens, tokens.size());
      if (!slot) throw JsonPatchRejected();
      *slot = *value;
    } else if (op == "test") {
      if (!value) throw JsonPatchRejected();
      Json* slot = Resolve(document, tokens, tokens.size());
      if (!slot || *slot != *value) throw JsonPatchRejected();
    } else if (op == "move" || op == "copy") {
      const Json* from = Find(operation, "from");
      if (!from || !from->is_string()) throw JsonPatchRejected();
      auto from_tokens = SplitPointer(from->get<std::string>());
      Json moved;
      if (op == "move") {
        moved = Remove(document, from_tokens);
      } else {
        Json* source = Resolve(document, from_tokens, from_tokens.size());
        if (!source) throw JsonPatchRejected();
        moved = *source;
      }
      Add(document, tokens, moved);
    } else {
      throw JsonPatchRejected();
    }
  }
  return document;
}

Json ApplyStrategicMergePatch(const Json& target, const Json& patch) {
  std::vector<std::string> path;
  return StrategicMerge(target, patch, path);
}

}  // namespace numalign::test_apiserver
