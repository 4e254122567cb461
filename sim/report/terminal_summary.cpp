#include "sim/report/terminal_summary.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

namespace numalign::sim {
namespace {

std::string Format(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::string TerminalSummary(const RunSummary& run) {
  const std::vector<std::string> header = {"placement", "placed",   "adm.err",       "failed",
                                           "recreated", "pending",  "aligned",       "spread",
                                           "cpu use",   "place µs", "ext p50/p99 µs"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : run.placements) {
    const auto& c = p.counters;
    rows.push_back(
        {p.placement, std::to_string(c.placed) + "/" + std::to_string(c.pods),
         std::to_string(c.admission_errors), std::to_string(c.failed), std::to_string(c.recreated),
         std::to_string(c.pending), Format("%.1f%%", c.aligned_share * 100),
         Format("%.1f%%", c.spread_share * 100), Format("%.1f%%", c.cpu_utilisation * 100),
         Format("%.0f", p.mean_time_to_place_us),
         p.extender_latency.count == 0 ? "-"
                                       : Format("%.0f", p.extender_latency.p50_us) + "/" +
                                             Format("%.0f", p.extender_latency.p99_us)});
  }
  // Column widths by characters, counting "µ" as one.
  auto width = [](const std::string& s) {
    std::size_t w = 0;
    for (unsigned char ch : s) w += (ch & 0xC0) != 0x80;
    return w;
  };
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    widths[i] = width(header[i]);
    for (const auto& r : rows) widths[i] = std::max(widths[i], width(r[i]));
  }
  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string pad(widths[i] - width(cells[i]), ' ');
      out << (i == 0 ? cells[i] + pad : pad + cells[i]) << (i + 1 < cells.size() ? "  " : "\n");
    }
  };
  line(header);
  for (const auto& r : rows) line(r);
  return out.str();
}

}  // namespace numalign::sim
