#include "kube/flags/duration.h"

#include <cctype>
#include <cmath>

namespace numalign::kube {

std::optional<std::chrono::milliseconds> ParseGoDuration(std::string_view text) {
  if (text == "0") return std::chrono::milliseconds(0);
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  std::size_t pos = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++pos;
  }
  if (pos >= text.size()) return std::nullopt;
  while (pos < text.size()) {
    const std::size_t start = pos;
    while (pos < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[pos])) || text[pos] == '.')) {
      ++pos;
    }
    if (pos == start) return std::nullopt;
    double value = 0;
    try {
      value = std::stod(std::string(text.substr(start, pos - start)));
    } catch (...) {
      return std::nullopt;
    }
    const std::size_t unit_start = pos;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) ++pos;
    const std::string_view unit = text.substr(unit_start, pos - unit_start);
    double scale;
    if (unit == "h") {
      scale = 3600e3;
    } else if (unit == "m") {
      scale = 60e3;
    } else if (unit == "s") {
      scale = 1e3;
    } else if (unit == "ms") {
      scale = 1;
    } else if (unit == "us" || unit == "µs") {
      scale = 1e-3;
    } else if (unit == "ns") {
      scale = 1e-6;
    } else {
      return std::nullopt;
    }
    total_ms += value * scale;
  }
  const auto ms = static_cast<std::int64_t>(std::llround(total_ms));
  return std::chrono::milliseconds(negative ? -ms : ms);
}

std::string FormatGoDuration(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out = ms < 0 ? "-" : "";
  ms = ms < 0 ? -ms : ms;
  if (ms < 1000) return out + std::to_string(ms) + "ms";
  const std::int64_t h = ms / 3600000;
  const std::int64_t m = (ms / 60000) % 60;
  const std::int64_t s = (ms / 1000) % 60;
  const std::int64_t rest = ms % 1000;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  out += std::to_string(s);
  if (rest) {
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(rest));
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "s";
}

}  // namespace numalign::kube
