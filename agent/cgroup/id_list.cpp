#include "agent/cgroup/id_list.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>

namespace numalign::agent::cgroup {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// A decimal id with nothing else around it, or -1.
int ParseId(std::string_view s) {
  if (s.empty()) return -1;
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value < 0 || value > IdList::kMaxId) {
    return -1;
  }
  return value;
}

}  // namespace

IdList IdList::Of(std::vector<int> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  IdList list;
  list.ids_ = std::move(ids);
  return list;
}

Result<IdList> IdList::Parse(std::string_view text) {
  const std::string_view body = Trim(text);
  std::vector<int> ids;
  if (body.empty()) return IdList{};
  auto invalid = [&](std::string_view item) {
    return Error{ErrorCode::kInvalidArgument, "",
                 fmt::format("invalid id list \"{}\": bad item \"{}\"", body, item)};
  };
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t comma = body.find(',', start);
    if (comma == std::string_view::npos) comma = body.size();
    const std::string_view item = Trim(body.substr(start, comma - start));
    const std::size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      const int id = ParseId(item);
      if (id < 0) return invalid(item);
      ids.push_back(id);
    } else {
      const int first = ParseId(item.substr(0, dash));
      const int last = ParseId(item.substr(dash + 1));
      if (first < 0 || last < 0 || last < first) return invalid(item);
      for (int id = first; id <= last; ++id) ids.push_back(id);
    }
    start = comma + 1;
  }
  return Of(std::move(ids));
}

std::string IdList::Format() const {
  std::string out;
  for (std::size_t i = 0; i < ids_.size();) {
    std::size_t j = i;
    while (j + 1 < ids_.size() && ids_[j + 1] == ids_[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? fmt::format("{}", ids_[i]) : fmt::format("{}-{}", ids_[i], ids_[j]);
    i = j + 1;
  }
  return out;
}

bool IdList::IsSubsetOf(const IdList& other) const {
  return std::includes(other.ids_.begin(), other.ids_.end(), ids_.begin(), ids_.end());
}

IdList IdList::Union(const IdList& other) const {
  IdList out;
  std::set_union(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                 std::back_inserter(out.ids_));
  return out;
}

IdList IdList::Intersection(const IdList& other) const {
  IdList out;
  std::set_intersection(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                        std::back_inserter(out.ids_));
  return out;
}

}  // namespace numalign::agent::cgroup
