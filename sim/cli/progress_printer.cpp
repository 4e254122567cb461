#include "sim/cli/progress_printer.h"

namespace numalign::sim {

void ProgressPrinter::OnProgress(const std::string& placement, std::size_t done,
                                 std::size_t total) {
  if (placement != placement_) {
    Finish();
    placement_ = placement;
    last_decile_ = -1;
  }
  const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  if (terminal_) {
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int kWidth = 40;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kWidth - filled), '.');
    std::fprintf(out_, "\r%-20s [%s] %3.0f%% %zu/%zu events", placement.c_str(), bar.c_str(),
                 fraction * 100, done, total);
    std::fflush(out_);
    drawn_ = true;
    return;
  }
  const int decile = static_cast<int>(fraction * 10);
  if (decile == last_decile_) return;
  last_decile_ = decile;
  std::fprintf(out_, "%s: %d%% (%zu/%zu events)\n", placement.c_str(), decile * 10, done, total);
  std::fflush(out_);
}

void ProgressPrinter::Finish() {
  if (terminal_ && drawn_) {
    std::fprintf(out_, "\n");
    std::fflush(out_);
  }
  drawn_ = false;
}

}  // namespace numalign::sim
