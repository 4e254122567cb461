#include "sim/report/html_report.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "sim/report/svg_plots.h"

namespace numalign::sim {
namespace {

std::string Percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
  return buf;
}

std::string Fixed(double v, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::string PlacementColor(const std::string& placement, std::size_t index) {
  static const std::map<std::string, std::string> known = {{"topology-blind", "#d62728"},
                                                           {"nrt-plugin", "#ff7f0e"},
                                                           {"nrt-plugin-reserve", "#9467bd"},
                                                           {"numalign", "#2ca02c"},
                                                           {"numalign-processes", "#17becf"}};
  if (auto it = known.find(placement); it != known.end()) return it->second;
  static const char* palette[] = {"#1f77b4", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};
  return palette[index % std::size(palette)];
}

std::string HtmlReport(const RunSummary& run) {
  std::ostringstream h;
  std::map<std::string, int> topologies;
  for (const auto& n : run.cluster->nodes) ++topologies[n.topology];
  std::size_t pods = 0;
  for (const auto& e : run.workload->events) pods += e.kind == SimEventKind::kCreatePod;

  h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<title>numalign-sim report</title><style>"
    << "body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}"
    << "table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;"
    << "padding:4px 8px;text-align:right}th{background:#f4f4f4}td:first-child,"
    << "th:first-child{text-align:left}svg{display:block;margin:8px 0 24px}"
    << "svg text{font-size:11px}svg text.t{font-size:13px;font-weight:600}"
    << "svg text.s{font-size:9px}.note{color:#555;font-size:13px}"
    << "</style></head><body>";
  h << "<h1>numalign-sim</h1><p>Mode <b>" << EscapeXml(run.mode) << "</b>; "
    << run.cluster->nodes.size() << " nodes (";
  bool first = true;
  for (const auto& [t, n] : topologies) {
    h << (first ? "" : ", ") << n << "&times; " << EscapeXml(t);
    first = false;
  }
  h << "); workload <b>" << EscapeXml(run.workload->name) << "</b>, seed " << run.workload->seed
    << ", " << pods << " pods over " << Fixed(run.workload->duration_s, "%.0f")
    << " s of virtual time.</p>";

  h << "<h2>Comparison</h2><table><tr><th>placement</th><th>pods</th><th>placed</th>"
    << "<th>admission errors</th><th>failed</th><th>recreated</th><th>pending</th>"
    << "<th>NUMA-aligned</th><th>spread more than needed</th><th>CPU use</th>"
    << "<th>memory use</th><th>time to place (mean)</th><th>extender p50 / p99</th></tr>";
  for (const auto& p : run.placements) {
    const auto& c = p.counters;
    h << "<tr><td>" << EscapeXml(p.placement) << "</td><td>" << c.pods << "</td><td>" << c.placed
      << "</td><td>" << c.admission_errors << "</td><td>" << c.failed << "</td><td>" << c.recreated
      << "</td><td>" << c.pending << "</td><td>" << Percent(c.aligned_share) << "</td><td>"
      << Percent(c.spread_share) << "</td><td>" << Percent(c.cpu_utilisation) << "</td><td>"
      << Percent(c.memory_utilisation) << "</td><td>" << Fixed(p.mean_time_to_place_us, "%.0f µs")
      << "</td><td>";
    if (p.extender_latency.count > 0) {
      h << Fixed(p.extender_latency.p50_us, "%.0f") << " / "
        << Fixed(p.extender_latency.p99_us, "%.0f µs");
    } else {
      h << "&ndash;";
    }
    h << "</td></tr>";
  }
  h << "</table><p class=\"note\">Admission errors count every pod the node's kubelet rejected "
    << "(TopologyAffinityError and others); a rejected ReplicaSet pod is recreated, a bare pod "
    << "stays failed. NUMA-aligned: placed Guaranteed pods with exclusive resources whose every "
    << "container sits on the fewest NUMA nodes it can. CPU and memory use: requests of running "
    << "pods over allocatable, averaged over time. Time to place is wall-clock time in this "
    << "run.</p>";
  for (const auto& p : run.placements) {
    h << "<p class=\"note\"><b>" << EscapeXml(p.placement) << "</b>: " << EscapeXml(p.description);
    for (const auto& [note, count] : p.notes) {
      h << "; " << EscapeXml(note) << ": " << count;
    }
    h << "</p>";
  }

  std::vector<LineSeries> errors, cpu;
  for (std::size_t i = 0; i < run.placements.size(); ++i) {
    const auto& p = run.placements[i];
    LineSeries e{p.placement, PlacementColor(p.placement, i), {}};
    for (auto v : p.admission_errors_at) e.values.push_back(static_cast<double>(v));
    errors.push_back(e);
    LineSeries u{p.placement, PlacementColor(p.placement, i), {}};
    for (double v : p.cpu_utilisation_at) u.values.push_back(v * 100);
    cpu.push_back(u);
  }
  const std::vector<double>& times =
      run.placements.empty() ? std::vector<double>{} : run.placements.front().sample_times_s;
  h << "<h2>Admission errors over time</h2>"
    << SvgLineChart("Cumulative admission errors", "virtual time (s)", "admission errors", times,
                    errors);
  h << "<h2>Cluster CPU requested</h2>"
    << SvgLineChart("CPU requests of running pods / allocatable", "virtual time (s)", "%", times,
                    cpu);

  h << "<h2>Exclusive CPU use per NUMA node</h2><p class=\"note\">One row per NUMA node "
    << "(node/NUMA id), one column per sample: the share of the NUMA node's allocatable CPUs "
    << "held exclusively by Guaranteed containers.</p>";
  for (const auto& p : run.placements) {
    std::vector<std::string> labels;
    std::vector<std::vector<double>> rows;
    for (const auto& s : p.numa_series) {
      labels.push_back(s.node + "/" + std::to_string(s.numa_id));
      rows.push_back(s.cpu_used);
    }
    h << SvgHeatmap(p.placement, labels, rows, p.sample_times_s);
  }

  std::vector<HistogramSeries> latency;
  for (std::size_t i = 0; i < run.placements.size(); ++i) {
    const auto& p = run.placements[i];
    if (p.extender_latency_us.empty()) continue;
    latency.push_back({p.placement, PlacementColor(p.placement, i), p.extender_latency_us});
  }
  h << "<h2>Extender latency</h2>";
  if (latency.empty()) {
    h << "<p class=\"note\">No placement used the extender.</p>";
  } else {
    h << SvgLogHistogram("Extender call latency (filter, prioritize, bind)", "µs", latency);
    h << "<table><tr><th>placement</th><th>calls</th><th>p50</th><th>p90</th><th>p99</th>"
      << "<th>max</th><th>mean</th></tr>";
    for (const auto& p : run.placements) {
      const auto& l = p.extender_latency;
      if (l.count == 0) continue;
      h << "<tr><td>" << EscapeXml(p.placement) << "</td><td>" << l.count << "</td><td>"
        << Fixed(l.p50_us, "%.0f µs") << "</td><td>" << Fixed(l.p90_us, "%.0f µs") << "</td><td>"
        << Fixed(l.p99_us, "%.0f µs") << "</td><td>" << Fixed(l.max_us, "%.0f µs") << "</td><td>"
        << Fixed(l.mean_us, "%.0f µs") << "</td></tr>";
    }
    h << "</table>";
  }
  h << "</body></html>\n";
  return h.str();
}

}  // namespace numalign::sim
