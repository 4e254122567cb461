#include "numa/topologymanager/mask_fitness.h"

namespace numalign::numa {

MaskFitness MaskFitness::Closest(std::vector<std::vector<int>> distances) {
  MaskFitness f;
  f.closest_ = true;
  f.distances_ = std::move(distances);
  return f;
}

double MaskFitness::AverageDistance(NumaMask mask) const {
  if (mask.Empty()) return 0;
  // Integer sum first, then one division, exactly like CalculateAverageFor's float64 result.
  long long sum = 0;
  for (std::uint64_t a = mask.value(); a != 0; a &= a - 1) {
    const int i = std::countr_zero(a);
    for (std::uint64_t b = mask.value(); b != 0; b &= b - 1) {
      const int j = std::countr_zero(b);
      if (i < static_cast<int>(distances_.size()) && j < static_cast<int>(distances_[i].size())) {
        sum += distances_[i][j];
      }
    }
  }
  const double count = static_cast<double>(mask.Count()) * mask.Count();
  return static_cast<double>(sum) / count;
}

bool MaskFitness::Fitter(NumaMask candidate, NumaMask current) const {
  if (candidate == current) return false;
  if (!closest_ || candidate.Count() != current.Count()) {
    return candidate.IsNarrowerThan(current);
  }
  const double cand = AverageDistance(candidate);
  const double cur = AverageDistance(current);
  if (cand == cur) return candidate.value() < current.value();
  return cand < cur;
}

}  // namespace numalign::numa
