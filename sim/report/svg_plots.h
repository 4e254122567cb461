#pragma once

#include <string>
#include <vector>

namespace numalign::sim {

// Inline SVG charts for the HTML report: no scripts, no external resources.

struct LineSeries {
  std::string name;
  std::string color;           // CSS colour
  std::vector<double> values;  // one per x
};

// Lines over shared x values, with axes, ticks and a legend.
std::string SvgLineChart(const std::string& title, const std::string& x_label,
                         const std::string& y_label, const std::vector<double>& x,
                         const std::vector<LineSeries>& series);

// A heatmap of values in [0, 1]: one row per label, one column per x. More rows than
// `max_rows` are merged (mean of consecutive rows) so the picture stays readable and small.
std::string SvgHeatmap(const std::string& title, const std::vector<std::string>& row_labels,
                       const std::vector<std::vector<double>>& rows, const std::vector<double>& x,
                       std::size_t max_rows = 160);

// Distributions of positive samples on logarithmic bins, one bar group per series.
struct HistogramSeries {
  std::string name;
  std::string color;
  std::vector<double> samples;
};
std::string SvgLogHistogram(const std::string& title, const std::string& unit,
                            const std::vector<HistogramSeries>& series);

// Escapes text for HTML and SVG.
std::string EscapeXml(const std::string& text);

}  // namespace numalign::sim
