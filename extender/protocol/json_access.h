#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

// Go encoding/json decoding rules, for reading the tagless extender structs: keys match the
// field name exactly or, failing that, ignoring ASCII case; unknown keys are ignored; `null`
// leaves a field at its zero value; a value of the wrong JSON type is an error.
namespace numalign::extender::protocol {

// Parses `body` as one JSON document, rejecting nesting deeper than `max_depth` before any
// tree is built (deeply nested input must not cost stack or time). Throws ProtocolError.
nlohmann::json parse_document(std::string_view body, int max_depth = 128);

// The member of `object` named `key` under Go's matching rules, or nullptr when absent.
// A member whose value is null is reported as absent, as Go treats both alike.
const nlohmann::json* find_field(const nlohmann::json& object, std::string_view key);
nlohmann::json* find_field(nlohmann::json& object, std::string_view key);

// Typed reads; `what` names the field in error messages (e.g. "ExtenderArgs.NodeNames").
std::string read_string(const nlohmann::json& value, std::string_view what);
std::int64_t read_int64(const nlohmann::json& value, std::string_view what);
void require_object(const nlohmann::json& value, std::string_view what);
void require_array(const nlohmann::json& value, std::string_view what);

}  // namespace numalign::extender::protocol
