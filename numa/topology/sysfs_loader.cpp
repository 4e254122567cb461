#include "numa/topology/sysfs_loader.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include "numa/topology/sysfs_files.h"

namespace numalign::numa {
namespace {

namespace fs = std::filesystem;

template <typename T>
std::optional<T> Fail(std::string* error, const std::string& message) {
  if (error) *error = message;
  return std::nullopt;
}

bool FailWith(std::string* error, const std::string& message) {
  if (error) *error = message;
  return false;
}

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// Ids N of the entries "<prefix>N" in `dir` (cpu0, node8), ascending; nullopt if unreadable.
std::optional<std::vector<int>> NumberedEntries(const fs::path& dir, std::string_view prefix,
                                                std::string* error) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return Fail<std::vector<int>>(error, dir.string() + ": cannot list: " + ec.message());
  std::vector<int> ids;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;  // cpufreq, cpuidle, ...
    }
    auto id = ParseInteger(digits);
    if (id && *id <= std::numeric_limits<int>::max()) ids.push_back(static_cast<int>(*id));
  }
  if (ec) return Fail<std::vector<int>>(error, dir.string() + ": cannot list: " + ec.message());
  std::sort(ids.begin(), ids.end());
  return ids;
}

// cpu/online, or on kernels/dumps without it, every cpuN whose cpuN/online is not "0". The boot
// CPU often has no online file, and some recorded dumps have empty ones: both mean online.
std::optional<std::vector<int>> OnlineCpus(const fs::path& cpu_dir, std::string* error) {
  if (Exists(cpu_dir / "online")) {
    auto online = ReadListFile(cpu_dir / "online", error);
    if (online && online->empty()) {
      return Fail<std::vector<int>>(error, (cpu_dir / "online").string() + ": lists no CPU");
    }
    return online;
  }
  auto ids = NumberedEntries(cpu_dir, "cpu", error);
  if (!ids) return std::nullopt;
  std::vector<int> online;
  for (int id : *ids) {
    const fs::path flag = cpu_dir / ("cpu" + std::to_string(id)) / "online";
    if (Exists(flag)) {
      auto line = ReadFirstLine(flag, error);
      if (!line) return std::nullopt;
      if (*line == "0") continue;
      if (!line->empty() && *line != "1") {
        return Fail<std::vector<int>>(
            error, flag.string() + ": expected 0 or 1, found '" + line->substr(0, 40) + "'");
      }
    }
    online.push_back(id);
  }
  if (online.empty()) return Fail<std::vector<int>>(error, cpu_dir.string() + ": no online CPU");
  return online;
}

// node/online, or the nodeN directories on old kernels without it. Empty when the kernel has no
// NUMA support (no node directory at all).
std::optional<std::vector<int>> NodeIds(const fs::path& node_dir, std::string* error) {
  if (!Exists(node_dir)) return std::vector<int>{};
  std::optional<std::vector<int>> ids;
  if (Exists(node_dir / "online")) {
    ids = ReadListFile(node_dir / "online", error);
    if (ids && ids->empty()) {
      return Fail<std::vector<int>>(error, (node_dir / "online").string() + ": lists no node");
    }
  } else {
    ids = NumberedEntries(node_dir, "node", error);
  }
  if (!ids) return std::nullopt;
  for (int id : *ids) {
    const fs::path dir = node_dir / ("node" + std::to_string(id));
    if (!Exists(dir)) {
      return Fail<std::vector<int>>(
          error, dir.string() + ": missing, but " + (node_dir / "online").string() + " lists it");
    }
  }
  return ids;
}

// Page sizes in bytes of the "hugepages-<S>kB" entries of `dir` (absent dir: none).
std::set<std::uint64_t> HugepageSizes(const fs::path& dir) {
  std::set<std::uint64_t> sizes;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return sizes;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    constexpr std::string_view kPrefix = "hugepages-", kSuffix = "kB";
    if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) ||
        !name.ends_with(kSuffix)) {
      continue;
    }
    auto kib = ParseInteger(std::string_view(name).substr(
        kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size()));
    if (kib && *kib > 0) sizes.insert(static_cast<std::uint64_t>(*kib) * 1024);
  }
  return sizes;
}

// Pool bytes per size. `pools_dir` holds hugepages-<S>kB/nr_hugepages; a size it lacks has an
// empty pool there.
std::optional<std::map<std::uint64_t, std::uint64_t>> HugepagePools(
    const fs::path& pools_dir, const std::set<std::uint64_t>& sizes, std::string* error) {
  std::map<std::uint64_t, std::uint64_t> pools;
  for (std::uint64_t size : sizes) {
    const fs::path size_dir = pools_dir / ("hugepages-" + std::to_string(size / 1024) + "kB");
    pools[size] = 0;
    if (!Exists(size_dir)) continue;
    auto pages = ReadIntFile(size_dir / "nr_hugepages", error);
    if (!pages) return std::nullopt;
    if (*pages < 0) {
      return Fail<std::map<std::uint64_t, std::uint64_t>>(
          error, (size_dir / "nr_hugepages").string() + ": negative page count");
    }
    pools[size] = static_cast<std::uint64_t>(*pages) * size;
  }
  return pools;
}

// A node's pools. Kernels before 2.6.32 have no nodeN/hugepages: the split of the machine's
// pools over the nodes is then unknown, so the node reports none (as hwloc does), unless it is
// the only node and so holds all of them.
std::optional<std::map<std::uint64_t, std::uint64_t>> NodeHugepagePools(
    const fs::path& root, const fs::path& node_dir, std::size_t node_count,
    const std::set<std::uint64_t>& machine_sizes, std::string* error) {
  if (!Exists(node_dir / "hugepages")) {
    if (node_count != 1) return std::map<std::uint64_t, std::uint64_t>{};
    return HugepagePools(root / "sys/kernel/mm/hugepages", machine_sizes, error);
  }
  std::set<std::uint64_t> sizes = machine_sizes;
  sizes.merge(HugepageSizes(node_dir / "hugepages"));
  return HugepagePools(node_dir / "hugepages", sizes, error);
}

// One row of SLIT distances. Column j belongs to the j-th online node, not to node id j.
std::optional<std::map<int, int>> DistanceRow(const fs::path& file, const std::vector<int>& ids,
                                              std::string* error) {
  auto line = ReadFirstLine(file, error);
  if (!line) return std::nullopt;
  std::map<int, int> row;
  std::size_t column = 0;
  std::string_view rest = *line;
  while (!rest.empty()) {
    const std::size_t space = rest.find_first_of(" \t");
    const std::string_view word = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (word.empty()) continue;
    auto value = ParseInteger(word);
    if (!value || *value < 0 || *value > 255) {
      return Fail<std::map<int, int>>(
          error, file.string() + ": malformed distance '" + std::string(word) + "'");
    }
    if (column < ids.size()) row[ids[column]] = static_cast<int>(*value);
    ++column;
  }
  if (column != ids.size()) {
    return Fail<std::map<int, int>>(error, file.string() + ": " + std::to_string(column) +
                                               " distances for " + std::to_string(ids.size()) +
                                               " online nodes");
  }
  return row;
}

// The node's CPUs: cpulist, or cpumap on kernels before cpulist existed.
std::optional<std::vector<int>> NodeCpus(const fs::path& dir, std::string* error) {
  if (Exists(dir / "cpulist")) return ReadListFile(dir / "cpulist", error);
  if (Exists(dir / "cpumap")) return ReadMaskFile(dir / "cpumap", error);
  return Fail<std::vector<int>>(error, dir.string() + ": neither cpulist nor cpumap");
}

std::optional<int> ReadSmallInt(const fs::path& file, std::string* error) {
  auto value = ReadIntFile(file, error);
  if (!value) return std::nullopt;
  if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max()) {
    return Fail<int>(error, file.string() + ": value out of range");
  }
  return static_cast<int>(*value);
}

bool Load(const SysfsOptions& options, Machine& machine, std::string* error) {
  const fs::path root(options.root.empty() ? "/" : options.root);
  const fs::path system = root / "sys/devices/system";
  const fs::path cpu_dir = system / "cpu";
  const fs::path node_dir = system / "node";
  if (!Exists(cpu_dir)) return FailWith(error, cpu_dir.string() + ": missing");

  auto online_cpus = OnlineCpus(cpu_dir, error);
  if (!online_cpus) return false;
  auto node_ids = NodeIds(node_dir, error);
  if (!node_ids) return false;
  const std::set<std::uint64_t> machine_sizes = HugepageSizes(root / "sys/kernel/mm/hugepages");

  std::map<int, int> node_of_cpu;
  if (node_ids->empty()) {
    // CONFIG_NUMA=n: the kernel exposes no nodes; the kubelet then sees a single node 0.
    NumaNodeInfo node;
    node.id = 0;
    auto memory = ReadMeminfoBytes(root / "proc/meminfo", "MemTotal", error);
    if (!memory) return false;
    node.memory = *memory;
    auto pools = HugepagePools(root / "sys/kernel/mm/hugepages", machine_sizes, error);
    if (!pools) return false;
    node.hugepages = *pools;
    for (int cpu : *online_cpus) node_of_cpu[cpu] = 0;
    machine.numa_nodes.push_back(node);
  }

  const std::set<int> online(online_cpus->begin(), online_cpus->end());
  std::size_t rows_missing = 0;
  fs::path first_missing_row;
  for (int id : *node_ids) {
    const fs::path dir = node_dir / ("node" + std::to_string(id));
    NumaNodeInfo node;
    node.id = id;
    auto cpus = NodeCpus(dir, error);
    if (!cpus) return false;
    for (int cpu : *cpus) {
      if (!online.contains(cpu)) continue;  // node lists include offline CPUs
      auto [it, inserted] = node_of_cpu.emplace(cpu, id);
      if (!inserted) {
        return FailWith(error, dir.string() + ": CPU " + std::to_string(cpu) +
                                   " is also listed by node" + std::to_string(it->second));
      }
    }
    auto memory = ReadMeminfoBytes(dir / "meminfo", "MemTotal", error);
    if (!memory) return false;
    node.memory = *memory;
    auto pools = NodeHugepagePools(root, dir, node_ids->size(), machine_sizes, error);
    if (!pools) return false;
    node.hugepages = *pools;
    if (Exists(dir / "distance")) {
      auto row = DistanceRow(dir / "distance", *node_ids, error);
      if (!row) return false;
      machine.distances[id] = *row;
    } else if (rows_missing++ == 0) {
      first_missing_row = dir / "distance";
    }
    machine.numa_nodes.push_back(node);
  }
  // All rows or none: a partial matrix cannot be used for NUMA distance decisions.
  if (rows_missing > 0 && rows_missing < node_ids->size()) {
    return FailWith(error, first_missing_row.string() + ": missing while other nodes have one");
  }

  // CPUs in ascending id order; an online CPU no node lists is left out, as cAdvisor does.
  std::map<int, NumaNodeInfo*> node_by_id;
  for (auto& node : machine.numa_nodes) node_by_id[node.id] = &node;
  for (const auto& [cpu_id, node_id] : node_of_cpu) {
    const fs::path topology = cpu_dir / ("cpu" + std::to_string(cpu_id)) / "topology";
    auto core = ReadSmallInt(topology / "core_id", error);
    if (!core) return false;
    auto socket = ReadSmallInt(topology / "physical_package_id", error);
    if (!socket) return false;
    machine.cpus.push_back(LogicalCpu{cpu_id, *core, *socket, node_id});
    node_by_id.at(node_id)->cpus.push_back(cpu_id);
  }
  return true;
}

}  // namespace

std::optional<Machine> LoadMachineFromSysfs(const SysfsOptions& options, std::string* error) {
  Machine machine;
  if (!Load(options, machine, error)) return std::nullopt;
  return machine;
}

}  // namespace numalign::numa
