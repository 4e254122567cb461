// JSON helpers shared by the test API server: the wire encoding kube-apiserver uses, time stamps,
// generated identifiers and a few path helpers.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace numalign::test_apiserver {

// Key order matters on the wire (Go struct order for built-in types), so objects keep insertion
// order and the server arranges keys explicitly where kube-apiserver fixes them.
using Json = nlohmann::ordered_json;

// Compact JSON as kube-apiserver writes it: Go escapes <, > and & as \u003c, \u003e, \u003c, and
// every body ends with exactly one newline.
std::string EncodeWire(const Json& value);
// Same without the trailing newline (for watch events, which add their own, and messages).
std::string EncodeCompact(const Json& value);

// Sorts every object's keys recursively (custom resources and fieldsV1 are serialised sorted).
Json SortKeysRecursively(const Json& value);

// Parses JSON; returns nullopt and an error text shaped like Go's encoding/json on failure.
std::optional<Json> ParseJson(std::string_view text, std::string* error);
// Parses YAML (or JSON, a YAML subset) into JSON; nullopt on failure.
std::optional<Json> ParseYaml(std::string_view text, std::string* error);

// metav1.Time: RFC 3339 with second precision in UTC.
std::string FormatTime(std::chrono::system_clock::time_point when);
std::string NowTime();
std::optional<std::chrono::system_clock::time_point> ParseTime(std::string_view text);
// metav1.MicroTime: exactly six fractional digits; returns the Go error text on failure and
// rewrites offsets to Z on success.
std::optional<std::string> NormalizeMicroTime(std::string_view text, std::string* error);

// Random version-4 UUID.
std::string NewUuid();
// 5 characters from the alphabet kube-apiserver uses for generateName.
std::string RandomNameSuffix();

// "1h2m", "110s": the human durations of kubectl's Age column.
std::string HumanDuration(std::chrono::seconds age);

// Base64 (standard with padding, and URL-safe without padding).
std::string Base64Encode(std::string_view data);
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view data);

// Returns value[key] if value is an object holding key, else nullptr.
const Json* Find(const Json& value, std::string_view key);
Json* FindMutable(Json& value, std::string_view key);
std::string GetString(const Json& value, std::string_view key);
// Follows "a.b.c" through nested objects.
const Json* FindPath(const Json& value, std::initializer_list<std::string_view> path);

}  // namespace numalign::test_apiserver
