#include "numa/memorymanager/checkpoint.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/checksum/crc32c.h"
#include "numa/memorymanager/static_policy.h"

namespace numalign::numa {
namespace {

using ordered = nlohmann::ordered_json;
using nlohmann::json;

ordered TableJson(const MemoryTable& t) {
  ordered o;
  o["total"] = t.total;
  o["systemReserved"] = t.system_reserved;
  o["allocatable"] = t.allocatable;
  o["reserved"] = t.reserved;
  o["free"] = t.free;
  return o;
}

// Go's encoding/json sorts map keys as strings, so node "10" comes before node "2".
std::vector<std::pair<std::string, int>> NodeKeysAsGo(const std::map<int, CheckpointNode>& m) {
  std::vector<std::pair<std::string, int>> keys;
  for (const auto& [id, node] : m) keys.emplace_back(std::to_string(id), id);
  std::sort(keys.begin(), keys.end());
  return keys;
}

ordered ToJson(const MemoryCheckpoint& c, std::uint64_t checksum) {
  ordered o;
  o["policyName"] = c.policy_name;
  ordered machine = ordered::object();
  for (const auto& [key, id] : NodeKeysAsGo(c.machine_state)) {
    const CheckpointNode& n = c.machine_state.at(id);
    ordered node;
    node["numberOfAssignments"] = n.number_of_assignments;
    ordered mm = ordered::object();
    for (const auto& [name, table] : n.memory_map) mm[name] = TableJson(table);
    node["memoryMap"] = mm;
    node["cells"] = n.cells;
    machine[key] = node;
  }
  o["machineState"] = machine;
  if (!c.entries.empty()) {
    ordered entries = ordered::object();
    for (const auto& [pod, containers] : c.entries) {
      ordered pod_json = ordered::object();
      for (const auto& [container, blocks] : containers) {
        ordered list = ordered::array();
        for (const auto& b : blocks) {
          ordered block;
          block["numaAffinity"] = b.numa_affinity;
          block["type"] = b.type;
          block["size"] = b.size;
          list.push_back(block);
        }
        pod_json[container] = list;
      }
      entries[pod] = pod_json;
    }
    o["entries"] = entries;
  }
  if (c.cpu_default_set) {
    o["cpuDefaultSet"] = *c.cpu_default_set;
    ordered cpu = ordered::object();
    for (const auto& [pod, containers] : c.cpu_entries) {
      ordered pod_json = ordered::object();
      for (const auto& [container, set] : containers) pod_json[container] = set;
      cpu[pod] = pod_json;
    }
    o["cpuEntries"] = cpu;
  }
  o["checksum"] = checksum;
  return o;
}

bool ReadU64(const json& o, const char* key, std::uint64_t* out, const std::string& path,
             std::string* error) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_number_unsigned()) {
    *error = path + "." + key + ": must be a non-negative integer";
    return false;
  }
  *out = it->get<std::uint64_t>();
  return true;
}

bool ReadIntList(const json& o, const char* key, std::vector<int>* out, const std::string& path,
                 std::string* error) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_array()) {
    *error = path + "." + key + ": must be a list of NUMA node ids";
    return false;
  }
  for (const auto& v : *it) {
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 1000000) {
      *error = path + "." + key + ": must be a list of NUMA node ids";
      return false;
    }
    out->push_back(v.get<int>());
  }
  return true;
}

}  // namespace

std::uint32_t CheckpointChecksum(const MemoryCheckpoint& checkpoint) {
  return checksum::Crc32c(ToJson(checkpoint, 0).dump());
}

std::string SerializeCheckpoint(const MemoryCheckpoint& checkpoint) {
  return ToJson(checkpoint, CheckpointChecksum(checkpoint)).dump();
}

std::optional<MemoryCheckpoint> ParseCheckpoint(const std::string& text, ChecksumCheck check,
                                                std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "checkpoint: not a JSON object";
    return std::nullopt;
  }
  MemoryCheckpoint c;
  if (auto p = j.find("policyName"); p != j.end() && p->is_string()) {
    c.policy_name = p->get<std::string>();
  } else {
    *error = "checkpoint.policyName: must be a string";
    return std::nullopt;
  }
  if (auto ms = j.find("machineState"); ms != j.end() && !ms->is_null()) {
    if (!ms->is_object()) {
      *error = "checkpoint.machineState: must be a map";
      return std::nullopt;
    }
    for (const auto& [key, node] : ms->items()) {
      const std::string path = "checkpoint.machineState." + key;
      int id = 0;
      try {
        std::size_t used = 0;
        id = std::stoi(key, &used);
        if (used != key.size() || id < 0) throw std::invalid_argument(key);
      } catch (...) {
        *error = path + ": NUMA node ids must be non-negative integers";
        return std::nullopt;
      }
      if (!node.is_object()) {
        *error = path + ": must be an object";
        return std::nullopt;
      }
      CheckpointNode n;
      auto noa = node.find("numberOfAssignments");
      if (noa == node.end() || !noa->is_number_integer()) {
        *error = path + ".numberOfAssignments: must be an integer";
        return std::nullopt;
      }
      n.number_of_assignments = noa->get<int>();
      auto mm = node.find("memoryMap");
      if (mm == node.end() || !mm->is_object()) {
        *error = path + ".memoryMap: must be a map";
        return std::nullopt;
      }
      for (const auto& [name, t] : mm->items()) {
        const std::string tpath = path + ".memoryMap." + name;
        if (!t.is_object()) {
          *error = tpath + ": must be an object";
          return std::nullopt;
        }
        MemoryTable table;
        if (!ReadU64(t, "total", &table.total, tpath, error) ||
            !ReadU64(t, "systemReserved", &table.system_reserved, tpath, error) ||
            !ReadU64(t, "allocatable", &table.allocatable, tpath, error) ||
            !ReadU64(t, "reserved", &table.reserved, tpath, error) ||
            !ReadU64(t, "free", &table.free, tpath, error)) {
          return std::nullopt;
        }
        n.memory_map[name] = table;
      }
      if (!ReadIntList(node, "cells", &n.cells, path, error)) return std::nullopt;
      c.machine_state[id] = std::move(n);
    }
  }
  if (auto e = j.find("entries"); e != j.end() && !e->is_null()) {
    if (!e->is_object()) {
      *error = "checkpoint.entries: must be a map";
      return std::nullopt;
    }
    for (const auto& [pod, containers] : e->items()) {
      if (!containers.is_object()) {
        *error = "checkpoint.entries." + pod + ": must be a map";
        return std::nullopt;
      }
      for (const auto& [container, blocks] : containers.items()) {
        const std::string path = "checkpoint.entries." + pod + "." + container;
        if (!blocks.is_array()) {
          *error = path + ": must be a list";
          return std::nullopt;
        }
        auto& out = c.entries[pod][container];
        for (const auto& b : blocks) {
          CheckpointBlock block;
          if (!b.is_object() ||
              !ReadIntList(b, "numaAffinity", &block.numa_affinity, path, error) ||
              !ReadU64(b, "size", &block.size, path, error)) {
            if (error->empty()) *error = path + ": malformed block";
            return std::nullopt;
          }
          auto type = b.find("type");
          if (type == b.end() || !type->is_string()) {
            *error = path + ".type: must be a string";
            return std::nullopt;
          }
          block.type = type->get<std::string>();
          out.push_back(std::move(block));
        }
      }
    }
  }
  if (auto d = j.find("cpuDefaultSet"); d != j.end() && d->is_string()) {
    c.cpu_default_set = d->get<std::string>();
    if (auto ce = j.find("cpuEntries"); ce != j.end() && ce->is_object()) {
      for (const auto& [pod, containers] : ce->items()) {
        if (!containers.is_object()) continue;
        for (const auto& [container, set] : containers.items()) {
          if (set.is_string()) c.cpu_entries[pod][container] = set.get<std::string>();
        }
      }
    }
  }
  auto sum = j.find("checksum");
  if (sum == j.end() || !sum->is_number_unsigned()) {
    *error = "checkpoint.checksum: must be a non-negative integer";
    return std::nullopt;
  }
  c.checksum = sum->get<std::uint64_t>();
  if (check == ChecksumCheck::kVerifyNumalign && c.checksum != CheckpointChecksum(c)) {
    *error = "checkpoint is corrupted";
    return std::nullopt;
  }
  return c;
}

MemoryCheckpoint CheckpointOf(const MemoryStaticPolicy& policy) {
  MemoryCheckpoint c;
  const auto& state = policy.machine_state();
  for (const auto& n : state.nodes()) {
    CheckpointNode cn;
    cn.number_of_assignments = n.number_of_assignments;
    for (std::size_t r = 0; r < state.resources().size(); ++r) {
      cn.memory_map[state.resources()[r]] = n.tables[r];
    }
    cn.cells = state.ids().IdsOf(n.cells);
    c.machine_state[n.id] = std::move(cn);
  }
  for (const auto& [pod, containers] : policy.assignments()) {
    for (const auto& [container, blocks] : containers) {
      auto& out = c.entries[pod][container];
      for (const auto& b : blocks) {
        out.push_back(CheckpointBlock{state.ids().IdsOf(b.affinity), b.type, b.size});
      }
    }
  }
  return c;
}

}  // namespace numalign::numa
