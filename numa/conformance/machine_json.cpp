#include "numa/conformance/machine_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "numa/pod/quantity.h"

namespace numalign::numa {

std::optional<Machine> ParseMachineJson(const nlohmann::json& m, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  auto fail = [&](const std::string& why) -> std::optional<Machine> {
    *error = why;
    return std::nullopt;
  };
  if (!m.is_object()) return fail("machine: must be an object");
  auto nodes = m.find("numaNodes");
  if (nodes == m.end() || !nodes->is_array() || nodes->empty()) {
    return fail("machine.numaNodes: must be a non-empty list");
  }
  Machine out;
  std::set<int> cpu_ids;
  for (std::size_t i = 0; i < nodes->size(); ++i) {
    const auto& n = (*nodes)[i];
    const std::string path = "machine.numaNodes[" + std::to_string(i) + "]";
    if (!n.is_object()) return fail(path + ": must be an object");
    NumaNodeInfo info;
    auto id = n.find("id");
    if (id == n.end() || !id->is_number_integer() || id->get<long long>() < 0 ||
        id->get<long long>() > 1000000) {
      return fail(path + ".id: must be a non-negative integer");
    }
    info.id = id->get<int>();
    auto mem = n.find("memory");
    if (mem == n.end() || !mem->is_number_unsigned()) {
      return fail(path + ".memory: must be a non-negative integer (bytes)");
    }
    info.memory = mem->get<std::uint64_t>();
    if (auto cpus = n.find("cpus"); cpus != n.end() && !cpus->is_null()) {
      if (!cpus->is_array()) return fail(path + ".cpus: must be a list");
      for (std::size_t k = 0; k < cpus->size(); ++k) {
        const auto& c = (*cpus)[k];
        const std::string cpath = path + ".cpus[" + std::to_string(k) + "]";
        auto get = [&](const char* key, int* into) {
          auto it = c.find(key);
          if (it == c.end() || !it->is_number_integer() || it->get<long long>() < 0 ||
              it->get<long long>() > (1 << 20)) {
            return false;
          }
          *into = it->get<int>();
          return true;
        };
        LogicalCpu cpu;
        if (!c.is_object() || !get("id", &cpu.id) || !get("core", &cpu.core) ||
            !get("socket", &cpu.socket)) {
          return fail(cpath + ": needs non-negative integer id, core and socket");
        }
        if (!cpu_ids.insert(cpu.id).second) {
          return fail(cpath + ".id: CPU " + std::to_string(cpu.id) + " appears twice");
        }
        cpu.numa_node = info.id;
        info.cpus.push_back(cpu.id);
        out.cpus.push_back(cpu);
      }
      std::sort(info.cpus.begin(), info.cpus.end());
    }
    if (auto hp = n.find("hugepages"); hp != n.end() && !hp->is_null()) {
      if (!hp->is_object()) return fail(path + ".hugepages: must be a map of page size to bytes");
      for (const auto& [size, bytes] : hp->items()) {
        std::string why;
        auto q = Quantity::Parse(size, &why);
        auto page = q ? q->AsInt64() : std::nullopt;
        if (!page || *page <= 0) return fail(path + ".hugepages." + size + ": bad page size");
        if (!bytes.is_number_unsigned()) {
          return fail(path + ".hugepages." + size + ": must be a non-negative integer (bytes)");
        }
        info.hugepages[static_cast<std::uint64_t>(*page)] = bytes.get<std::uint64_t>();
      }
    }
    out.numa_nodes.push_back(std::move(info));
  }
  std::sort(out.numa_nodes.begin(), out.numa_nodes.end(),
            [](const NumaNodeInfo& a, const NumaNodeInfo& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < out.numa_nodes.size(); ++i) {
    if (out.numa_nodes[i].id == out.numa_nodes[i - 1].id) {
      return fail("machine.numaNodes: NUMA node " + std::to_string(out.numa_nodes[i].id) +
                  " appears twice");
    }
  }
  std::sort(out.cpus.begin(), out.cpus.end(),
            [](const LogicalCpu& a, const LogicalCpu& b) { return a.id < b.id; });
  if (auto d = m.find("distances"); d != m.end() && !d->is_null()) {
    if (!d->is_object()) return fail("machine.distances: must be a map");
    for (const auto& [from, row] : d->items()) {
      if (!row.is_object()) return fail("machine.distances." + from + ": must be a map");
      for (const auto& [to, value] : row.items()) {
        if (!value.is_number_integer()) {
          return fail("machine.distances." + from + "." + to + ": must be an integer");
        }
        try {
          out.distances[std::stoi(from)][std::stoi(to)] = value.get<int>();
        } catch (...) {
          return fail("machine.distances." + from + "." + to + ": node ids must be integers");
        }
      }
    }
  }
  return out;
}

}  // namespace numalign::numa
