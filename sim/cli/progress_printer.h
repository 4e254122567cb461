#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "sim/placement/placement.h"

namespace numalign::sim {

// Progress for the terminal: a redrawn bar when the output is a terminal, otherwise a plain
// line at every 10% (logs and CI stay readable).
class ProgressPrinter final : public RunObserver {
 public:
  ProgressPrinter(std::FILE* out, bool terminal) : out_(out), terminal_(terminal) {}

  void OnProgress(const std::string& placement, std::size_t done, std::size_t total) override;
  // Ends the current bar's line.
  void Finish();

 private:
  std::FILE* out_;
  bool terminal_;
  std::string placement_;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace numalign::sim
