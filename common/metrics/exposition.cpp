#include "common/metrics/exposition.h"

#include <fmt/format.h>

#include <cmath>

namespace numalign::metrics {
namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The text format escapes backslash and newline everywhere, the double quote only inside label
// values (a HELP line may contain it as is).
std::string escape(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

bool is_valid_metric_name(std::string_view name) {
  if (name.empty() || !(is_name_start(name[0]) || name[0] == ':')) return false;
  for (char c : name) {
    if (!(is_name_start(c) || is_digit(c) || c == ':')) return false;
  }
  return true;
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty() || !is_name_start(name[0]) || name.starts_with("__")) return false;
  for (char c : name) {
    if (!(is_name_start(c) || is_digit(c))) return false;
  }
  return true;
}

std::string escape_label_value(std::string_view value) {
  return escape(value, /*quotes=*/true);
}

std::string escape_help(std::string_view help) {
  return escape(help, /*quotes=*/false);
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

void write_header(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, escape_help(help),
                 name, type);
}

void write_sample(std::string& out, std::string_view name,
                  const std::vector<std::string>& label_names,
                  const std::vector<std::string>& label_values, std::string_view extra_label_name,
                  std::string_view extra_label_value, double value) {
  out += name;
  const bool has_labels = !label_names.empty() || !extra_label_name.empty();
  if (has_labels) {
    out += '{';
    bool first = true;
    auto add = [&](std::string_view label, std::string_view label_value) {
      if (!first) out += ',';
      first = false;
      out += label;
      out += "=\"";
      out += escape_label_value(label_value);
      out += '"';
    };
    for (std::size_t i = 0; i < label_names.size(); ++i) add(label_names[i], label_values[i]);
    if (!extra_label_name.empty()) add(extra_label_name, extra_label_value);
    out += '}';
  }
  out += ' ';
  out += format_value(value);
  out += '\n';
}

}  // namespace numalign::metrics
