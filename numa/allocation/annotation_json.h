#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalign::numa::annotation_json {

// Small strict readers shared by the annotation codecs. Each returns false (or nullopt) and sets
// `error` to "<path>: <problem>" so every message names the offending field.

// Parses `text` as one JSON object, refusing oversize input and non-objects.
std::optional<nlohmann::json> ParseObject(std::string_view text, std::size_t max_bytes,
                                          std::string* error);

// Fails on a key of `object` not in `allowed`.
bool OnlyKnownFields(const nlohmann::json& object, std::initializer_list<std::string_view> allowed,
                     const std::string& path, std::string* error);

bool ReadString(const nlohmann::json& object, const char* key, bool required,
                const std::string& path, std::string* out, std::string* error);

bool ReadVersion(const nlohmann::json& object, std::string_view expected, const std::string& path,
                 std::string* error);

// A non-empty name of at most 253 characters without control characters.
bool CheckName(const std::string& name, const std::string& path, std::string* error);

std::string Join(const std::string& path, std::string_view field);

}  // namespace numalign::numa::annotation_json
