#pragma once

#include <vector>

#include "numa/topologymanager/bitmask.h"

namespace numalign::numa {

// The Topology Manager's "fitter mask" rule (CompareNUMAAffinityMasks). By default the narrower
// mask wins (fewer nodes, then the smaller integer). With prefer-closest-numa-nodes (never under
// single-numa-node) masks of equal size are ranked by their average distance, the sum over all
// ordered pairs (i = j included) divided by |M|^2, and only then by integer value.
class MaskFitness {
 public:
  MaskFitness() = default;  // narrowest
  // distances[i][j] by bit position; rows cover every position used by masks.
  static MaskFitness Closest(std::vector<std::vector<int>> distances);

  // True when `candidate` is strictly fitter than `current` (so the kubelet would switch).
  bool Fitter(NumaMask candidate, NumaMask current) const;
  double AverageDistance(NumaMask mask) const;
  bool PrefersClosest() const { return closest_; }

 private:
  bool closest_ = false;
  std::vector<std::vector<int>> distances_;
};

}  // namespace numalign::numa
