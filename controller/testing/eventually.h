#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace numalign::controller::testing {

// Polls `condition` every 50 ms until it holds or `timeout` passes (for effects another
// process or thread brings about); returns its last value.
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

}  // namespace numalign::controller::testing
