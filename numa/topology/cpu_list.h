#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalign::numa {

// Parsers for the two set formats the kernel prints in sysfs. Both return ascending, unique ids
// and never throw; on malformed input they return nullopt and describe the problem in `error`
// (callers prefix the file name).

// Kernel list format ("%*pbl"): "0-3,8,10-11". Blank input (including a lone "\n") is the empty
// set. Leading/trailing whitespace and NUL bytes are ignored, because recorded dumps carry them.
std::optional<std::vector<int>> ParseCpuList(std::string_view text, std::string* error);

// Kernel hex mask format ("%*pb"): comma-separated groups of up to 8 hex digits (32 bits),
// most-significant group first: "00000000,000000ff" = 0-7.
std::optional<std::vector<int>> ParseHexCpuMask(std::string_view text, std::string* error);

// The inverse of ParseCpuList, for messages and tests: {0,1,2,3,8} -> "0-3,8", {} -> "".
std::string FormatCpuList(const std::vector<int>& ids);

}  // namespace numalign::numa
