#include "controller/recovery/owner_backoff.h"

#include <algorithm>

namespace numalign::controller {

bool OwnerBackoff::Allowed(const std::string& owner, kube::Clock::TimePoint now) const {
  auto it = owners_.find(owner);
  return it == owners_.end() || now >= it->second.next_allowed;
}

std::chrono::milliseconds OwnerBackoff::RecordRecovery(const std::string& owner,
                                                       kube::Clock::TimePoint now) {
  State& state = owners_[owner];
  ++state.attempts;
  // Doubling stops at the cap, so the shift never overflows however many attempts there were.
  std::chrono::milliseconds delay = options_.base;
  for (int i = 1; i < state.attempts && delay < options_.max; ++i) delay *= 2;
  delay = std::min(delay, options_.max);
  state.last = now;
  state.next_allowed = now + delay;
  return delay;
}

void OwnerBackoff::Reset(const std::string& owner) {
  owners_.erase(owner);
}

int OwnerBackoff::Attempts(const std::string& owner) const {
  auto it = owners_.find(owner);
  return it == owners_.end() ? 0 : it->second.attempts;
}

std::optional<kube::Clock::TimePoint> OwnerBackoff::LastRecovery(const std::string& owner) const {
  auto it = owners_.find(owner);
  if (it == owners_.end()) return std::nullopt;
  return it->second.last;
}

kube::Clock::TimePoint OwnerBackoff::NextAllowed(const std::string& owner) const {
  auto it = owners_.find(owner);
  return it == owners_.end() ? kube::Clock::TimePoint{} : it->second.next_allowed;
}

void OwnerBackoff::Forget(kube::Clock::TimePoint now) {
  std::erase_if(owners_,
                [&](const auto& entry) { return now - entry.second.last > 2 * options_.max; });
}

}  // namespace numalign::controller
