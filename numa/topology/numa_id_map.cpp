#include "numa/topology/numa_id_map.h"

#include <algorithm>

namespace numalign::numa {

std::optional<NumaIdMap> NumaIdMap::Create(const std::vector<int>& ids, std::string* error) {
  if (ids.size() > 64) {
    if (error)
      *error = "machines with more than 64 NUMA nodes are not supported (found " +
               std::to_string(ids.size()) + ")";
    return std::nullopt;
  }
  if (!std::is_sorted(ids.begin(), ids.end()) ||
      std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    if (error) *error = "NUMA node ids must be unique and ascending";
    return std::nullopt;
  }
  if (!ids.empty() && ids.front() < 0) {
    if (error) *error = "negative NUMA node id " + std::to_string(ids.front());
    return std::nullopt;
  }
  NumaIdMap m;
  m.ids_ = ids;
  m.identity_ = ids.empty() || ids.back() < 64;
  m.ids_by_position_.assign(m.identity_ ? (ids.empty() ? 0 : ids.back() + 1) : ids.size(), -1);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    int pos = m.identity_ ? ids[i] : static_cast<int>(i);
    m.positions_.push_back(pos);
    m.ids_by_position_[pos] = ids[i];
  }
  m.all_ = NumaMask::Of(m.positions_);
  return m;
}

int NumaIdMap::PositionOf(int id) const {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) return -1;
  return positions_[it - ids_.begin()];
}

NumaMask NumaIdMap::MaskOfIds(const std::vector<int>& ids) const {
  std::uint64_t bits = 0;
  for (int id : ids) {
    int p = PositionOf(id);
    if (p >= 0) bits |= std::uint64_t{1} << p;
  }
  return NumaMask(bits);
}

std::vector<int> NumaIdMap::IdsOf(NumaMask mask) const {
  std::vector<int> out;
  for (int p : mask.Bits()) {
    if (p < static_cast<int>(ids_by_position_.size()) && ids_by_position_[p] >= 0) {
      out.push_back(ids_by_position_[p]);
    }
  }
  return out;
}

}  // namespace numalign::numa
