#include "sim/report/svg_plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace numalign::sim {
namespace {

constexpr int kWidth = 760;
constexpr int kHeight = 300;
constexpr int kLeft = 70, kRight = 150, kTop = 30, kBottom = 45;

std::string Num(double v) {
  char buf[32];
  if (std::abs(v) >= 1000 || v == std::floor(v)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  }
  return buf;
}

// Roughly five round tick values covering [0, max].
std::vector<double> Ticks(double max) {
  if (max <= 0) return {0, 1};
  const double raw = max / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  std::vector<double> ticks;
  for (double t = 0; t <= max + step * 0.001; t += step) ticks.push_back(t);
  if (ticks.back() < max) ticks.push_back(ticks.back() + step);
  return ticks;
}

// White -> blue -> orange -> red for 0 -> 1.
std::string HeatColor(double v) {
  v = std::clamp(v, 0.0, 1.0);
  struct Stop {
    double at;
    int r, g, b;
  };
  static const Stop stops[] = {
      {0, 247, 251, 255}, {0.35, 107, 174, 214}, {0.7, 253, 174, 97}, {1, 215, 25, 28}};
  for (std::size_t i = 1; i < std::size(stops); ++i) {
    if (v <= stops[i].at) {
      const Stop& a = stops[i - 1];
      const Stop& b = stops[i];
      const double f = (v - a.at) / (b.at - a.at);
      char buf[16];
      std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(a.r + f * (b.r - a.r)),
                    static_cast<int>(a.g + f * (b.g - a.g)),
                    static_cast<int>(a.b + f * (b.b - a.b)));
      return buf;
    }
  }
  return "#d7191c";
}

}  // namespace

std::string EscapeXml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SvgLineChart(const std::string& title, const std::string& x_label,
                         const std::string& y_label, const std::vector<double>& x,
                         const std::vector<LineSeries>& series) {
  std::ostringstream s;
  const int plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double x_max = x.empty() ? 1 : std::max(1e-9, x.back());
  double y_max = 0;
  for (const auto& l : series) {
    for (double v : l.values) y_max = std::max(y_max, v);
  }
  const std::vector<double> y_ticks = Ticks(y_max);
  const double y_top = y_ticks.back() > 0 ? y_ticks.back() : 1;
  auto px = [&](double v) { return kLeft + v / x_max * plot_w; };
  auto py = [&](double v) { return kTop + plot_h - v / y_top * plot_h; };
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
    << "\" role=\"img\" aria-label=\"" << EscapeXml(title) << "\">";
  s << "<text x=\"" << kLeft << "\" y=\"18\" class=\"t\">" << EscapeXml(title) << "</text>";
  s << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << plot_w << "\" height=\""
    << plot_h << "\" fill=\"none\" stroke=\"#999\"/>";
  for (double t : y_ticks) {
    s << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + plot_w << "\" y1=\"" << py(t) << "\" y2=\""
      << py(t) << "\" stroke=\"#eee\"/><text x=\"" << kLeft - 6 << "\" y=\"" << py(t) + 4
      << "\" text-anchor=\"end\">" << Num(t) << "</text>";
  }
  for (double t : Ticks(x_max)) {
    if (t > x_max * 1.0001) break;
    s << "<text x=\"" << px(t) << "\" y=\"" << kTop + plot_h + 16 << "\" text-anchor=\"middle\">"
      << Num(t) << "</text>";
  }
  s << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 6
    << "\" text-anchor=\"middle\">" << EscapeXml(x_label) << "</text>";
  s << "<text transform=\"translate(14," << kTop + plot_h / 2
    << ") rotate(-90)\" text-anchor=\"middle\">" << EscapeXml(y_label) << "</text>";
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& l = series[i];
    s << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << l.color << "\" points=\"";
    for (std::size_t k = 0; k < l.values.size() && k < x.size(); ++k) {
      s << px(x[k]) << "," << py(l.values[k]) << " ";
    }
    s << "\"/>";
    const int ly = kTop + 12 + static_cast<int>(i) * 18;
    s << "<rect x=\"" << kLeft + plot_w + 12 << "\" y=\"" << ly - 9 << "\" width=\"12\" "
      << "height=\"4\" fill=\"" << l.color << "\"/><text x=\"" << kLeft + plot_w + 28 << "\" y=\""
      << ly - 3 << "\">" << EscapeXml(l.name) << "</text>";
  }
  s << "</svg>";
  return s.str();
}

std::string SvgHeatmap(const std::string& title, const std::vector<std::string>& row_labels,
                       const std::vector<std::vector<double>>& rows, const std::vector<double>& x,
                       std::size_t max_rows) {
  // Merge consecutive rows when there are too many.
  const std::size_t n = rows.size();
  const std::size_t group = n <= max_rows ? 1 : (n + max_rows - 1) / max_rows;
  std::vector<std::vector<double>> merged;
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < n; i += group) {
    const std::size_t end = std::min(n, i + group);
    std::vector<double> row(rows[i].size(), 0);
    for (std::size_t r = i; r < end; ++r) {
      for (std::size_t c = 0; c < row.size() && c < rows[r].size(); ++c) row[c] += rows[r][c];
    }
    for (double& v : row) v /= static_cast<double>(end - i);
    merged.push_back(std::move(row));
    labels.push_back(group == 1 ? row_labels[i] : row_labels[i] + " … " + row_labels[end - 1]);
  }
  const int cell_h = merged.size() > 60 ? 3 : merged.size() > 24 ? 6 : 12;
  const int label_w = merged.size() > 60 ? 10 : 170;
  const std::size_t cols = x.size();
  const int plot_w = 560;
  const double cell_w = cols == 0 ? 0 : static_cast<double>(plot_w) / static_cast<double>(cols);
  const int plot_h = cell_h * static_cast<int>(merged.size());
  const int height = kTop + plot_h + 50;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << label_w + plot_w + 110
    << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << EscapeXml(title) << "\">";
  s << "<text x=\"" << label_w << "\" y=\"18\" class=\"t\">" << EscapeXml(title) << "</text>";
  for (std::size_t r = 0; r < merged.size(); ++r) {
    const int y = kTop + static_cast<int>(r) * cell_h;
    if (label_w > 20) {
      s << "<text x=\"" << label_w - 4 << "\" y=\"" << y + cell_h - 2
        << "\" text-anchor=\"end\" class=\"s\">" << EscapeXml(labels[r]) << "</text>";
    }
    for (std::size_t c = 0; c < cols && c < merged[r].size(); ++c) {
      s << "<rect x=\"" << label_w + c * cell_w << "\" y=\"" << y << "\" width=\"" << cell_w + 0.5
        << "\" height=\"" << cell_h << "\" fill=\"" << HeatColor(merged[r][c]) << "\"><title>"
        << EscapeXml(labels[r]) << " t=" << Num(x[c]) << "s " << Num(merged[r][c] * 100)
        << "%</title></rect>";
    }
  }
  const double x_max = cols == 0 ? 1 : std::max(1e-9, x.back());
  for (double t : Ticks(x_max)) {
    if (t > x_max * 1.0001) break;
    s << "<text x=\"" << label_w + t / x_max * plot_w << "\" y=\"" << kTop + plot_h + 14
      << "\" text-anchor=\"middle\">" << Num(t) << "</text>";
  }
  s << "<text x=\"" << label_w + plot_w / 2 << "\" y=\"" << kTop + plot_h + 32
    << "\" text-anchor=\"middle\">virtual time (s)</text>";
  // Colour scale.
  const int sx = label_w + plot_w + 20;
  for (int i = 0; i <= 10; ++i) {
    s << "<rect x=\"" << sx << "\" y=\"" << kTop + (10 - i) * 10 << "\" width=\"14\" "
      << "height=\"10\" fill=\"" << HeatColor(i / 10.0) << "\"/>";
  }
  s << "<text x=\"" << sx + 18 << "\" y=\"" << kTop + 8 << "\">100%</text><text x=\"" << sx + 18
    << "\" y=\"" << kTop + 108 << "\">0%</text>";
  s << "</svg>";
  return s.str();
}

std::string SvgLogHistogram(const std::string& title, const std::string& unit,
                            const std::vector<HistogramSeries>& series) {
  double lo = 0, hi = 0;
  bool any = false;
  for (const auto& h : series) {
    for (double v : h.samples) {
      if (v <= 0) continue;
      lo = any ? std::min(lo, v) : v;
      hi = any ? std::max(hi, v) : v;
      any = true;
    }
  }
  std::ostringstream s;
  const int plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
    << "\" role=\"img\" aria-label=\"" << EscapeXml(title) << "\">";
  s << "<text x=\"" << kLeft << "\" y=\"18\" class=\"t\">" << EscapeXml(title) << "</text>";
  if (!any) {
    s << "<text x=\"" << kLeft << "\" y=\"60\">no samples</text></svg>";
    return s.str();
  }
  // Bins: 4 per decade between the smallest and largest sample.
  const double l0 = std::floor(std::log10(lo) * 4) / 4;
  const double l1 = std::ceil(std::log10(hi) * 4 + 1e-9) / 4;
  const int bins = std::max(1, static_cast<int>(std::lround((l1 - l0) * 4)));
  std::vector<std::vector<double>> share(series.size(), std::vector<double>(bins, 0));
  double max_share = 0;
  for (std::size_t i = 0; i < series.size(); ++i) {
    std::size_t count = 0;
    for (double v : series[i].samples) {
      if (v <= 0) continue;
      int b = static_cast<int>((std::log10(v) - l0) * 4);
      share[i][std::clamp(b, 0, bins - 1)] += 1;
      ++count;
    }
    for (double& c : share[i]) {
      c = count == 0 ? 0 : c / static_cast<double>(count);
      max_share = std::max(max_share, c);
    }
  }
  const std::vector<double> y_ticks = Ticks(max_share * 100);
  const double y_top = y_ticks.back() > 0 ? y_ticks.back() : 1;
  s << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << plot_w << "\" height=\""
    << plot_h << "\" fill=\"none\" stroke=\"#999\"/>";
  for (double t : y_ticks) {
    const double y = kTop + plot_h - t / y_top * plot_h;
    s << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + plot_w << "\" y1=\"" << y << "\" y2=\""
      << y << "\" stroke=\"#eee\"/><text x=\"" << kLeft - 6 << "\" y=\"" << y + 4
      << "\" text-anchor=\"end\">" << Num(t) << "%</text>";
  }
  const double bin_w = static_cast<double>(plot_w) / bins;
  const double bar_w = bin_w / static_cast<double>(series.size() + 1);
  for (std::size_t i = 0; i < series.size(); ++i) {
    for (int b = 0; b < bins; ++b) {
      const double h = share[i][b] * 100 / y_top * plot_h;
      s << "<rect x=\"" << kLeft + b * bin_w + (i + 0.5) * bar_w << "\" y=\"" << kTop + plot_h - h
        << "\" width=\"" << bar_w << "\" height=\"" << h << "\" fill=\"" << series[i].color
        << "\"><title>" << EscapeXml(series[i].name) << ": " << Num(share[i][b] * 100) << "% in ["
        << Num(std::pow(10, l0 + b / 4.0)) << ", " << Num(std::pow(10, l0 + (b + 1) / 4.0)) << ") "
        << EscapeXml(unit) << "</title></rect>";
    }
    const int ly = kTop + 12 + static_cast<int>(i) * 18;
    s << "<rect x=\"" << kLeft + plot_w + 12 << "\" y=\"" << ly - 9 << "\" width=\"12\" "
      << "height=\"10\" fill=\"" << series[i].color << "\"/><text x=\"" << kLeft + plot_w + 28
      << "\" y=\"" << ly << "\">" << EscapeXml(series[i].name) << "</text>";
  }
  for (int d = static_cast<int>(std::ceil(l0)); d <= static_cast<int>(std::floor(l1)); ++d) {
    const double x = kLeft + (d - l0) * 4 * bin_w;
    s << "<line x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << kTop + plot_h << "\" y2=\""
      << kTop + plot_h + 5 << "\" stroke=\"#333\"/><text x=\"" << x << "\" y=\""
      << kTop + plot_h + 18 << "\" text-anchor=\"middle\">" << Num(std::pow(10, d)) << "</text>";
  }
  s << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 6
    << "\" text-anchor=\"middle\">" << EscapeXml(unit) << " (log scale)</text>";
  s << "</svg>";
  return s.str();
}

}  // namespace numalign::sim
