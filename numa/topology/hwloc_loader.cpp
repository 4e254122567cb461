#include "numa/topology/hwloc_loader.h"

#include <hwloc.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <utility>
#include <vector>

#include "numa/topology/hwloc_to_machine.h"

namespace numalign::numa {
namespace {

struct TopologyDeleter {
  void operator()(hwloc_topology* t) const { hwloc_topology_destroy(t); }
};
using TopologyPtr = std::unique_ptr<hwloc_topology, TopologyDeleter>;

// Sets environment variables and restores the previous values on destruction. hwloc reads its
// discovery switches (HWLOC_FSROOT, HWLOC_COMPONENTS, HWLOC_KEEP_NVIDIA_GPU_NUMA_NODES) only from
// the environment during hwloc_topology_load().
class ScopedEnv {
 public:
  ScopedEnv() = default;
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        unsetenv(it->first.c_str());
      }
    }
  }
  // overwrite=false keeps a value the user set deliberately.
  void Set(const std::string& name, const std::string& value, bool overwrite = true) {
    const char* old = std::getenv(name.c_str());
    if (old && !overwrite) return;
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

bool Fail(std::string* error, const std::string& message) {
  if (error) *error = message;
  return false;
}

std::string ErrnoText(int saved_errno) {
  return saved_errno ? std::strerror(saved_errno) : "unknown error";
}

// Initialises a topology with the flags every loader shares. hwloc's own configuration
// (set_xml, ...) happens in `configure` between init and load.
template <typename Configure>
TopologyPtr LoadTopology(const std::string& source, std::string* error, Configure configure) {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) {
    Fail(error, source + ": hwloc_topology_init failed: " + ErrnoText(errno));
    return nullptr;
  }
  TopologyPtr topology(raw);
  // Keep PUs and NUMA nodes outside our own cgroup cpuset: we describe the node's hardware.
  if (hwloc_topology_set_flags(raw, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED) != 0) {
    Fail(error, source + ": hwloc_topology_set_flags failed: " + ErrnoText(errno));
    return nullptr;
  }
  if (!configure(raw)) return nullptr;
  errno = 0;
  if (hwloc_topology_load(raw) != 0) {
    Fail(error, source + ": hwloc_topology_load failed: " + ErrnoText(errno));
    return nullptr;
  }
  return topology;
}

// Why hwloc refused an XML file: hwloc itself only says EINVAL. The common case is an XML
// written by hwloc 3.x (version="3.0"), which libhwloc 2.x cannot import.
std::string XmlRejectionReason(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.find_first_not_of(" \t\r\n") == std::string::npos) return "the file is empty";
  const std::size_t topology = head.find("<topology");
  if (topology == std::string::npos) return "not an hwloc XML topology (no <topology> element)";
  const std::size_t version = head.find("version=\"", topology);
  if (version != std::string::npos && version < head.find('>', topology)) {
    const std::size_t start = version + 9;
    const std::string declared = head.substr(start, head.find('"', start) - start);
    if (!declared.empty() && declared[0] > '2') {
      return "the file declares hwloc XML version " + declared +
             ", but libhwloc 2.x imports only versions 1.x and 2.x; re-export it with hwloc 2.x";
    }
  }
  return "hwloc could not parse it as a 1.x or 2.x XML topology";
}

}  // namespace

std::optional<Machine> LoadMachineFromHwlocXml(const std::string& path, std::string* error) {
  const std::string source = "hwloc XML " + path;
  // hwloc's own message for a missing file is a bare errno; check first to name the problem.
  std::ifstream probe(path, std::ios::binary);
  if (!probe) {
    Fail(error, source + ": cannot open: " + ErrnoText(errno));
    return std::nullopt;
  }
  if (std::filesystem::is_directory(path)) {
    Fail(error, source + ": is a directory");
    return std::nullopt;
  }
  auto topology = LoadTopology(source, error, [&](hwloc_topology_t t) {
    errno = 0;
    if (hwloc_topology_set_xml(t, path.c_str()) != 0) {
      return Fail(error, source + ": hwloc_topology_set_xml failed: " + ErrnoText(errno));
    }
    return true;
  });
  if (!topology) {
    if (error) *error += " (" + XmlRejectionReason(path) + ")";
    return std::nullopt;
  }
  return MachineFromHwlocTopology(topology.get(), source, error);
}

std::optional<Machine> LoadMachineFromLiveHwloc(std::string* error) {
  const std::string source = "hwloc (this machine)";
  ScopedEnv env;
  env.Set("HWLOC_KEEP_NVIDIA_GPU_NUMA_NODES", "1", /*overwrite=*/false);
  auto topology = LoadTopology(source, error, [](hwloc_topology_t) { return true; });
  if (!topology) return std::nullopt;
  return MachineFromHwlocTopology(topology.get(), source, error);
}

std::optional<Machine> LoadMachineFromHwlocFsRoot(const std::string& root, std::string* error) {
  const std::string source = "hwloc on fsroot " + root;
  std::error_code ec;
  if (!std::filesystem::is_directory(std::filesystem::path(root) / "sys", ec)) {
    Fail(error, source + ": " + root + "/sys is not a directory");
    return std::nullopt;
  }
  ScopedEnv env;
  env.Set("HWLOC_FSROOT", root);
  // Only the Linux backend: the x86 CPUID backend would describe the host, not the recording.
  env.Set("HWLOC_COMPONENTS", "linux,stop");
  env.Set("HWLOC_KEEP_NVIDIA_GPU_NUMA_NODES", "1");
  auto topology = LoadTopology(source, error, [](hwloc_topology_t) { return true; });
  if (!topology) return std::nullopt;
  return MachineFromHwlocTopology(topology.get(), source, error);
}

}  // namespace numalign::numa
