#include "sim/process/creation_order_guard.h"

namespace numalign::sim::process {

bool CreationOrderGuard::InOrder(const std::string& timestamp, const std::string& uid) const {
  if (timestamp > second_) return true;
  if (timestamp < second_) return false;
  for (const auto& earlier : uids_) {
    if (!(earlier < uid)) return false;
  }
  return true;
}

void CreationOrderGuard::Record(const std::string& timestamp, const std::string& uid) {
  if (timestamp != second_) {
    second_ = timestamp;
    uids_.clear();
  }
  uids_.push_back(uid);
}

}  // namespace numalign::sim::process
