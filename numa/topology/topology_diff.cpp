#include "numa/topology/topology_diff.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>

#include "numa/topology/cpu_list.h"

namespace numalign::numa {
namespace {

std::vector<int> Minus(const std::vector<int>& x, const std::vector<int>& y) {
  std::vector<int> out;
  std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
  return out;
}

// A matrix that says nothing beyond "a node is at 10 from itself".
bool TrivialDistances(const Machine& m) {
  if (m.distances.empty()) return true;
  if (m.distances.size() != 1) return false;
  const auto& [from, row] = *m.distances.begin();
  return row.size() == 1 && row.begin()->first == from;
}

std::string Ids(const std::vector<int>& ids) {
  return ids.empty() ? "(none)" : FormatCpuList(ids);
}

class Differ {
 public:
  Differ(const Machine& a, const std::string& a_name, const Machine& b, const std::string& b_name)
      : a_(a), b_(b), an_(a_name), bn_(b_name) {}

  std::vector<std::string> Run() {
    CompareNodeIds();
    for (const auto& node : a_.numa_nodes) {
      if (const NumaNodeInfo* other = b_.node(node.id)) CompareNode(node, *other);
    }
    CompareCpus();
    CompareDistances();
    return std::move(out_);
  }

 private:
  void Report(std::string line) { out_.push_back(std::move(line)); }

  void CompareNodeIds() {
    const auto a_ids = a_.node_ids(), b_ids = b_.node_ids();
    if (a_ids == b_ids) return;
    Report("NUMA node ids differ: " + an_ + " has " + Ids(a_ids) + ", " + bn_ + " has " +
           Ids(b_ids) + " (only in " + an_ + ": " + Ids(Minus(a_ids, b_ids)) + "; only in " + bn_ +
           ": " + Ids(Minus(b_ids, a_ids)) + ")");
  }

  void CompareNode(const NumaNodeInfo& x, const NumaNodeInfo& y) {
    const std::string where = "node " + std::to_string(x.id) + ": ";
    if (x.cpus != y.cpus) {
      Report(where + "cpus differ: " + an_ + " " + Ids(x.cpus) + ", " + bn_ + " " + Ids(y.cpus));
    }
    const double larger = static_cast<double>(std::max(x.memory, y.memory));
    const double gap = std::fabs(static_cast<double>(x.memory) - static_cast<double>(y.memory));
    if (gap > larger * kMemoryRelativeTolerance) {
      Report(where + "memory differs: " + an_ + " " + std::to_string(x.memory) + " bytes, " + bn_ +
             " " + std::to_string(y.memory) + " bytes");
    }
    std::set<std::uint64_t> sizes;
    for (const auto& [size, bytes] : x.hugepages) sizes.insert(size);
    for (const auto& [size, bytes] : y.hugepages) sizes.insert(size);
    for (std::uint64_t size : sizes) {
      const auto xi = x.hugepages.find(size), yi = y.hugepages.find(size);
      const std::string name = HugepageResourceName(size);
      if (xi == x.hugepages.end() || yi == y.hugepages.end()) {
        Report(where + name + " is known only to " + (xi == x.hugepages.end() ? bn_ : an_));
      } else if (xi->second != yi->second) {
        Report(where + name + " pool differs: " + an_ + " " + std::to_string(xi->second) +
               " bytes, " + bn_ + " " + std::to_string(yi->second) + " bytes");
      }
    }
  }

  void CompareCpus() {
    std::map<int, const LogicalCpu*> in_b;
    for (const auto& c : b_.cpus) in_b[c.id] = &c;
    std::vector<int> only_a, only_b;
    for (const auto& c : a_.cpus) {
      auto it = in_b.find(c.id);
      if (it == in_b.end()) {
        only_a.push_back(c.id);
        continue;
      }
      const LogicalCpu& d = *it->second;
      in_b.erase(it);
      if (c == d) continue;
      Report("cpu " + std::to_string(c.id) + ": " + an_ + " says core " + std::to_string(c.core) +
             " socket " + std::to_string(c.socket) + " node " + std::to_string(c.numa_node) + ", " +
             bn_ + " says core " + std::to_string(d.core) + " socket " + std::to_string(d.socket) +
             " node " + std::to_string(d.numa_node));
    }
    for (const auto& [id, cpu] : in_b) only_b.push_back(id);
    if (!only_a.empty()) Report("cpus only in " + an_ + ": " + Ids(only_a));
    if (!only_b.empty()) Report("cpus only in " + bn_ + ": " + Ids(only_b));
  }

  void CompareDistances() {
    if (TrivialDistances(a_) && TrivialDistances(b_)) return;
    if (a_.distances.empty() || b_.distances.empty()) {
      Report("distances: " + (a_.distances.empty() ? an_ : bn_) + " has none, " +
             (a_.distances.empty() ? bn_ : an_) + " has a matrix");
      return;
    }
    std::set<std::pair<int, int>> cells;
    for (const auto* m : {&a_, &b_}) {
      for (const auto& [from, row] : m->distances) {
        for (const auto& [to, value] : row) cells.insert({from, to});
      }
    }
    for (const auto& [from, to] : cells) {
      const auto x = a_.distance(from, to), y = b_.distance(from, to);
      if (x == y) continue;
      auto text = [](std::optional<int> v) { return v ? std::to_string(*v) : "none"; };
      Report("distance " + std::to_string(from) + "->" + std::to_string(to) + ": " + an_ + " " +
             text(x) + ", " + bn_ + " " + text(y));
    }
  }

  const Machine& a_;
  const Machine& b_;
  const std::string& an_;
  const std::string& bn_;
  std::vector<std::string> out_;
};

}  // namespace

std::vector<std::string> CompareMachines(const Machine& a, const std::string& a_name,
                                         const Machine& b, const std::string& b_name) {
  return Differ(a, a_name, b, b_name).Run();
}

}  // namespace numalign::numa
