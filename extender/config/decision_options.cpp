#include "extender/config/decision_options.h"

#include <charconv>
#include <stdexcept>
#include <string>

namespace numalign::extender {

UnmanagedNodes parse_unmanaged_nodes(std::string_view text) {
  if (text == "pass") return UnmanagedNodes::kPass;
  if (text == "reject") return UnmanagedNodes::kReject;
  throw std::invalid_argument("--unmanaged-nodes must be pass or reject, not '" +
                              std::string(text) + "'");
}

ScoringStrategy parse_scoring_strategy(std::string_view text) {
  if (text == "least-numa-nodes") return ScoringStrategy::kLeastNumaNodes;
  if (text == "most-allocated") return ScoringStrategy::kMostAllocated;
  if (text == "least-allocated") return ScoringStrategy::kLeastAllocated;
  if (text == "balanced") return ScoringStrategy::kBalanced;
  throw std::invalid_argument(
      "--scoring-strategy must be least-numa-nodes, most-allocated, least-allocated or "
      "balanced, not '" +
      std::string(text) + "'");
}

std::map<std::string, std::int64_t> parse_resource_weights(std::string_view text) {
  std::map<std::string, std::int64_t> weights;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto equals = item.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      throw std::invalid_argument("--resource-weights entry '" + std::string(item) +
                                  "' is not name=weight");
    }
    const auto name = item.substr(0, equals);
    const auto number = item.substr(equals + 1);
    std::int64_t weight = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), weight);
    if (ec != std::errc{} || end != number.data() + number.size() || weight <= 0) {
      throw std::invalid_argument("--resource-weights: weight of " + std::string(name) +
                                  " must be a positive integer, not '" + std::string(number) + "'");
    }
    if (!weights.emplace(std::string(name), weight).second) {
      throw std::invalid_argument("--resource-weights: " + std::string(name) + " given twice");
    }
  }
  if (weights.empty()) throw std::invalid_argument("--resource-weights is empty");
  return weights;
}

std::chrono::milliseconds parse_duration(std::string_view text) {
  const std::string original(text);
  if (text.empty()) throw std::invalid_argument("empty duration");
  if (text == "0") return std::chrono::milliseconds(0);
  double total_ms = 0;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() &&
           ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.')) {
      ++digits;
    }
    if (digits == 0) throw std::invalid_argument("invalid duration '" + original + "'");
    double value = 0;
    try {
      value = std::stod(std::string(text.substr(0, digits)));
    } catch (const std::exception&) {
      throw std::invalid_argument("invalid duration '" + original + "'");
    }
    text.remove_prefix(digits);
    std::size_t unit_length = 0;
    while (unit_length < text.size() && !(text[unit_length] >= '0' && text[unit_length] <= '9') &&
           text[unit_length] != '.') {
      ++unit_length;
    }
    const auto unit = text.substr(0, unit_length);
    text.remove_prefix(unit_length);
    double scale;
    if (unit == "h")
      scale = 3600e3;
    else if (unit == "m")
      scale = 60e3;
    else if (unit == "s")
      scale = 1e3;
    else if (unit == "ms")
      scale = 1;
    else if (unit == "us" || unit == "µs")
      scale = 1e-3;
    else if (unit == "ns")
      scale = 1e-6;
    else
      throw std::invalid_argument("invalid duration '" + original + "': unknown unit");
    total_ms += value * scale;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(total_ms + 0.5));
}

std::string_view to_string(UnmanagedNodes value) {
  return value == UnmanagedNodes::kPass ? "pass" : "reject";
}

std::string_view to_string(ScoringStrategy value) {
  switch (value) {
    case ScoringStrategy::kLeastNumaNodes:
      return "least-numa-nodes";
    case ScoringStrategy::kMostAllocated:
      return "most-allocated";
    case ScoringStrategy::kLeastAllocated:
      return "least-allocated";
    case ScoringStrategy::kBalanced:
      return "balanced";
  }
  return "unknown";
}

}  // namespace numalign::extender
