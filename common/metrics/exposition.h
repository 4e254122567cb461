#pragma once

#include <string>
#include <string_view>
#include <vector>

// Helpers for the Prometheus text exposition format, version 0.0.4.
namespace numalign::metrics {

inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

bool is_valid_metric_name(std::string_view name);  // [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_label_name(std::string_view name);   // [a-zA-Z_][a-zA-Z0-9_]*, no "__" prefix

// Label values escape backslash, double quote and newline; HELP text escapes backslash and
// newline only (the format's rules differ between the two).
std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view help);

// Shortest round-trip decimal; +Inf, -Inf and NaN spelled the way Prometheus parses them.
std::string format_value(double value);

// Appends `# HELP` and `# TYPE` lines.
void write_header(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type);

// Appends one sample line: name{l1="v1",...,extra_name="extra_value"} value
void write_sample(std::string& out, std::string_view name,
                  const std::vector<std::string>& label_names,
                  const std::vector<std::string>& label_values, std::string_view extra_label_name,
                  std::string_view extra_label_value, double value);

}  // namespace numalign::metrics
