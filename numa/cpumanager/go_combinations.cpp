#include "numa/cpumanager/go_combinations.h"

#include <algorithm>

namespace numalign::numa {

std::vector<int> GoIntSlice::Values() const {
  if (!backing_) return {};
  return std::vector<int>(backing_->begin(), backing_->begin() + len_);
}

GoIntSlice GoIntSlice::Append(int value) const {
  GoIntSlice out;
  if (backing_ && len_ < cap_) {
    (*backing_)[len_] = value;
    out.backing_ = backing_;
    out.len_ = len_ + 1;
    out.cap_ = cap_;
    return out;
  }
  const int new_len = len_ + 1;
  const int new_cap = new_len > 2 * cap_ ? new_len : 2 * cap_;
  out.backing_ = std::make_shared<std::vector<int>>(new_cap, 0);
  if (backing_) std::copy(backing_->begin(), backing_->begin() + len_, out.backing_->begin());
  (*out.backing_)[len_] = value;
  out.len_ = new_len;
  out.cap_ = new_cap;
  return out;
}

}  // namespace numalign::numa
