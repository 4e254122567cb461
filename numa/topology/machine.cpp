#include "numa/topology/machine.h"

#include <algorithm>
#include <set>

namespace numalign::numa {

const NumaNodeInfo* Machine::node(int id) const {
  auto it = std::lower_bound(numa_nodes.begin(), numa_nodes.end(), id,
                             [](const NumaNodeInfo& n, int v) { return n.id < v; });
  return it != numa_nodes.end() && it->id == id ? &*it : nullptr;
}

std::vector<int> Machine::node_ids() const {
  std::vector<int> ids;
  ids.reserve(numa_nodes.size());
  for (const auto& n : numa_nodes) ids.push_back(n.id);
  return ids;
}

std::optional<int> Machine::distance(int from, int to) const {
  auto row = distances.find(from);
  if (row == distances.end()) return std::nullopt;
  auto cell = row->second.find(to);
  if (cell == row->second.end()) return std::nullopt;
  return cell->second;
}

int Machine::socket_count() const {
  std::set<int> sockets;
  for (const auto& c : cpus) sockets.insert(c.socket);
  return static_cast<int>(sockets.size());
}

std::string HugepageResourceName(std::uint64_t page_size_bytes) {
  // Largest binary suffix that divides the size exactly, as resource.Quantity prints it.
  static constexpr struct {
    std::uint64_t factor;
    const char* suffix;
  } kUnits[] = {{1ULL << 60, "Ei"}, {1ULL << 50, "Pi"}, {1ULL << 40, "Ti"},
                {1ULL << 30, "Gi"}, {1ULL << 20, "Mi"}, {1ULL << 10, "Ki"}};
  for (const auto& u : kUnits) {
    if (page_size_bytes >= u.factor && page_size_bytes % u.factor == 0) {
      return "hugepages-" + std::to_string(page_size_bytes / u.factor) + u.suffix;
    }
  }
  return "hugepages-" + std::to_string(page_size_bytes);
}

}  // namespace numalign::numa
