#pragma once

#include <optional>
#include <string>
#include <vector>

#include "numa/topologymanager/bitmask.h"

namespace numalign::numa {

// Maps NUMA OS ids to bit positions of NumaMask. When every id is below 64 a position is the id
// itself, exactly as in the kubelet. Otherwise (POWER9 GPU-memory nodes 250-255, say, where the
// kubelet itself would fail) ids map to their rank; a strictly increasing map keeps every integer
// ordering of masks, so decisions are unchanged. More than 64 NUMA nodes are not supported.
class NumaIdMap {
 public:
  // ids ascending and unique. Fails (nullopt, with `error`) above 64 nodes or on negative ids.
  static std::optional<NumaIdMap> Create(const std::vector<int>& ids, std::string* error);

  int PositionOf(int id) const;  // -1 when the id is not a NUMA node of the machine
  int IdAt(int position) const { return ids_by_position_[position]; }
  bool Identity() const { return identity_; }
  const std::vector<int>& Ids() const { return ids_; }
  const std::vector<int>& Positions() const { return positions_; }  // ascending
  NumaMask All() const { return all_; }
  NumaMask MaskOfIds(const std::vector<int>& ids) const;  // ids not on the machine are ignored
  std::vector<int> IdsOf(NumaMask mask) const;            // ascending OS ids

 private:
  std::vector<int> ids_;
  std::vector<int> positions_;
  std::vector<int> ids_by_position_;
  bool identity_ = true;
  NumaMask all_;
};

}  // namespace numalign::numa
