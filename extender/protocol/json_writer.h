#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

// Direct JSON text building for the hot reply paths (a filter reply can list 5,000 names),
// with Go encoding/json's string rules so our output matches what Go would produce.
namespace numalign::extender::protocol {

enum class HtmlEscape { kNo, kLikeGo };

// Appends `value` as a JSON string literal. Invalid UTF-8 becomes U+FFFD, as Go does, so a
// reason string from anywhere can never make the reply undecodable. With HtmlEscape::kLikeGo,
// <, >, &, U+2028 and U+2029 are \u-escaped exactly as Go's json.Marshal does.
void append_json_string(std::string& out, std::string_view value,
                        HtmlEscape html = HtmlEscape::kNo);

// Appends an arbitrary JSON value (Pod, Node objects), replacing invalid UTF-8.
void append_json_value(std::string& out, const nlohmann::json& value);

}  // namespace numalign::extender::protocol
