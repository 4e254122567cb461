#include "numa/topology/cpu_list.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace numalign::numa {
namespace {

// Above this an id is certainly garbage, and expanding a range to it would exhaust memory.
constexpr int kMaxId = 1 << 20;

std::string_view TrimSpaceAndNul(std::string_view s) {
  auto is_blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
  };
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<int> ParseId(std::string_view s) {
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value < 0 || value > kMaxId) {
    return std::nullopt;
  }
  return value;
}

std::optional<int> HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<int>> ParseCpuList(std::string_view text, std::string* error) {
  text = TrimSpaceAndNul(text);
  std::set<int> ids;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = TrimSpaceAndNul(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t dash = item.find('-');
    const auto first = ParseId(item.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : ParseId(item.substr(dash + 1));
    if (!first || !last || *last < *first) {
      if (error) *error = "malformed list item '" + std::string(item) + "'";
      return std::nullopt;
    }
    for (int id = *first; id <= *last; ++id) ids.insert(id);
  }
  return std::vector<int>(ids.begin(), ids.end());
}

std::optional<std::vector<int>> ParseHexCpuMask(std::string_view text, std::string* error) {
  text = TrimSpaceAndNul(text);
  if (text.empty()) {
    if (error) *error = "empty hex mask";
    return std::nullopt;
  }
  // Walk the groups from the last (least significant) to the first.
  std::vector<std::string_view> groups;
  for (size_t start = 0;;) {
    const size_t comma = text.find(',', start);
    groups.push_back(text.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (groups.size() * 32 > static_cast<size_t>(kMaxId)) {
    if (error) *error = "hex mask too wide";
    return std::nullopt;
  }
  std::vector<int> ids;
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::string_view group = groups[groups.size() - 1 - g];
    if (group.empty() || group.size() > 8) {
      if (error) *error = "malformed hex mask group '" + std::string(group) + "'";
      return std::nullopt;
    }
    for (size_t d = 0; d < group.size(); ++d) {
      const auto nibble = HexDigit(group[group.size() - 1 - d]);
      if (!nibble) {
        if (error) *error = "malformed hex mask group '" + std::string(group) + "'";
        return std::nullopt;
      }
      for (int bit = 0; bit < 4; ++bit) {
        if (*nibble & (1 << bit)) ids.push_back(static_cast<int>(g * 32 + d * 4 + bit));
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string FormatCpuList(const std::vector<int>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(ids[i]);
    if (j > i) out += '-' + std::to_string(ids[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace numalign::numa
