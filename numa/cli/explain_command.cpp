#include "numa/cli/explain_command.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "numa/admission/node_admitter.h"
#include "numa/conformance/machine_json.h"
#include "numa/topology/hwloc_loader.h"

namespace numalign::numa {
namespace {

using nlohmann::json;

std::optional<std::string> ReadFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return std::nullopt;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// JSON first (one object, a list, or a List with items), else YAML documents.
std::optional<std::vector<json>> ReadObjects(const std::string& path, std::string* error) {
  auto text = ReadFile(path, error);
  if (!text) return std::nullopt;
  std::vector<json> docs;
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) {
    docs.push_back(j);
  } else {
    auto yaml = YamlDocumentsToJson(*text, error);
    if (!yaml) {
      *error = path + ": " + *error;
      return std::nullopt;
    }
    docs = *yaml;
  }
  std::vector<json> out;
  for (const auto& d : docs) {
    if (d.is_array()) {
      for (const auto& item : d) out.push_back(item);
    } else if (d.is_object() && d.contains("items") && d["items"].is_array()) {
      for (const auto& item : d["items"]) out.push_back(item);
    } else {
      out.push_back(d);
    }
  }
  return out;
}

std::string Bytes(std::uint64_t b) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  if (b >= (1ULL << 30)) {
    s << static_cast<double>(b) / (1ULL << 30) << " GiB";
  } else {
    s << static_cast<double>(b) / (1ULL << 20) << " MiB";
  }
  return s.str();
}

std::string Ids(const NumaIdMap& ids, NumaMask mask) {
  std::string out = "{";
  bool first = true;
  for (int id : ids.IdsOf(mask)) {
    out += (first ? "" : ",") + std::to_string(id);
    first = false;
  }
  return out + "}";
}

std::string HintText(const NumaIdMap& ids, const TopologyHint& h) {
  std::string m = h.affinity ? Ids(ids, *h.affinity) : "any";
  return m + (h.preferred ? " (preferred)" : "");
}

std::string HintList(const NumaIdMap& ids, const ProviderHints& p) {
  if (p.by_resource.empty()) return "no preference";
  std::string out;
  for (const auto& [resource, hints] : p.by_resource) {
    if (!out.empty()) out += "; ";
    out += resource + ": ";
    if (!hints) {
      out += "no preference";
    } else if (hints->empty()) {
      out += "NONE (cannot be satisfied)";
    } else {
      constexpr std::size_t kShown = 24;
      for (std::size_t i = 0; i < hints->size() && i < kShown; ++i) {
        out += (i ? " " : "") + ((*hints)[i].affinity ? Ids(ids, *(*hints)[i].affinity) : "any") +
               ((*hints)[i].preferred ? "*" : "");
      }
      if (hints->size() > kShown) out += " ... (" + std::to_string(hints->size()) + " in all)";
    }
  }
  return out;
}

std::string PreferredMasks(const NumaIdMap& ids, const std::optional<ProviderHints>& p) {
  if (!p || p->by_resource.empty()) return "";
  std::string out;
  constexpr int kShown = 8;
  for (const auto& [resource, hints] : p->by_resource) {
    if (!hints) continue;
    int shown = 0;
    int total = 0;
    for (const auto& h : *hints) {
      if (!h.preferred || !h.affinity) continue;
      if (shown < kShown) {
        out += (out.empty() ? "" : " ") + Ids(ids, *h.affinity);
        ++shown;
      }
      ++total;
    }
    if (total > shown) out += " ... (" + std::to_string(total) + " in all)";
    break;  // every memory type carries the same list
  }
  return out.empty() ? "none" : out;
}

void PrintMemoryState(const NodeAdmitter& node, std::ostream& out) {
  if (!node.memory_policy()) return;
  const auto& s = node.memory_policy()->machine_state();
  out << "Memory manager state (free / allocatable, group, assignments):\n";
  for (const auto& n : s.nodes()) {
    out << "  NUMA node " << n.id << ":";
    for (std::size_t r = 0; r < s.resources().size(); ++r) {
      const auto& t = n.tables[r];
      if (t.allocatable == 0 && t.total == 0) continue;
      out << " " << s.resources()[r] << " " << Bytes(t.free) << " / " << Bytes(t.allocatable)
          << ";";
    }
    out << " group " << Ids(s.ids(), n.cells) << ", " << n.number_of_assignments << " block(s)\n";
  }
}

std::string WhyTopology(const NodeAdmitter& node, const MergeTrace& t) {
  const NumaIdMap& ids = node.numa_ids();
  const std::string policy = ToString(node.topology_policy().name());
  std::ostringstream why;
  const std::string cpu = PreferredMasks(ids, t.cpu);
  const std::string mem = PreferredMasks(ids, t.memory);
  auto cannot = [&](const std::optional<ProviderHints>& p) {
    if (!p) return false;
    for (const auto& [r, h] : p->by_resource) {
      if (h && h->empty()) return true;
    }
    return false;
  };
  if (cannot(t.cpu)) {
    why << "the CPU manager found no set of NUMA nodes with enough free CPUs for " << t.unit
        << ". ";
  }
  if (policy == "single-numa-node") {
    why << "Under single-numa-node every resource of " << t.unit
        << " must fit on one and the same NUMA node. ";
  } else {
    why << "Under " << policy << " the merged placement must be one that every resource prefers. ";
  }
  if (!cpu.empty()) why << "CPUs prefer " << cpu << ". ";
  if (!mem.empty()) {
    why << "Memory prefers " << mem << ". ";
  } else if (t.memory && t.memory->by_resource.empty() && node.memory_policy()) {
    why << "Memory has no preference (either no memory request, or nothing fits at all, which "
           "the kubelet reads as no preference). ";
  }
  why << "No placement satisfies all of them: the best merge was " << HintText(ids, t.best) << ".";
  auto narrowest = [](const std::optional<ProviderHints>& p) {
    int best = 0;
    if (!p) return best;
    for (const auto& [r, hints] : p->by_resource) {
      if (!hints) continue;
      for (const auto& h : *hints) {
        if (h.preferred && h.affinity && (best == 0 || h.affinity->Count() < best)) {
          best = h.affinity->Count();
        }
      }
    }
    return best;
  };
  const int cpu_nodes = narrowest(t.cpu);
  const int mem_nodes = narrowest(t.memory);
  if (policy == "single-numa-node" && mem_nodes > 1) {
    why << " The memory alone needs " << mem_nodes
        << " NUMA nodes (no single node has enough allocatable memory), so single-numa-node can "
           "never admit this pod on this node.";
  } else if (policy == "single-numa-node" && cpu_nodes > 1) {
    why << " The CPUs alone need " << cpu_nodes
        << " NUMA nodes, so single-numa-node can never admit this pod on this node.";
  } else if (cpu_nodes > 0 && mem_nodes > 0 && cpu_nodes != mem_nodes) {
    why << " The CPUs fit on " << cpu_nodes << " NUMA node(s) but the memory needs " << mem_nodes
        << "; such a pod is only admitted under best-effort (or with a fractional CPU request, "
           "which takes no exclusive CPUs).";
  }
  return why.str();
}

std::string WhyAllocate(const AdmitResult& r) {
  const std::string& m = r.message;
  if (m.find("failed to find NUMA nodes to extend") != std::string::npos) {
    return "The Topology Manager chose NUMA nodes without enough free memory for container " +
           r.failed_container +
           ", and the memory manager could not widen the choice: every larger set is blocked by "
           "the rule that a NUMA node holding single-node memory cannot join a multi-node group "
           "(or a group cannot be changed).";
  }
  if (m.find("preferred hint violates NUMA node allocation") != std::string::npos) {
    return "The chosen NUMA nodes for container " + r.failed_container +
           " would mix a multi-node memory group with nodes that already hold single-node (or "
           "other-group) memory, which the memory manager forbids since v1.32.";
  }
  if (m.find("failed to get the default NUMA affinity") != std::string::npos) {
    return "No NUMA node set has enough free memory for container " + r.failed_container +
           " under the memory manager's group rules.";
  }
  if (m.find("extended preferred hint") != std::string::npos ||
      m.find("default preferred hint") != std::string::npos) {
    return "The memory for container " + r.failed_container +
           " only fits on a wider set of NUMA nodes than the preferred one the Topology Manager "
           "promised.";
  }
  if (m.find("not enough cpus available") != std::string::npos) {
    return "The node does not have enough free exclusive CPUs for container " + r.failed_container +
           ".";
  }
  if (r.reason == "SMTAlignmentError") {
    return "The CPU manager's full-pcpus-only option requires container " + r.failed_container +
           " to take whole physical cores (all hardware threads of each core).";
  }
  return "";
}

}  // namespace

int RunExplain(const ExplainOptions& o, std::ostream& out, std::ostream& err) {
  std::string error;
  if (o.kubelet_config.empty() || o.pod.empty() ||
      (o.machine_json.empty() == o.topology_xml.empty())) {
    err << "explain needs --kubelet-config, --pod and exactly one of --machine / --topology\n";
    return 2;
  }
  std::optional<Machine> machine;
  if (!o.topology_xml.empty()) {
    machine = LoadMachineFromHwlocXml(o.topology_xml, &error);
  } else {
    auto docs = ReadObjects(o.machine_json, &error);
    if (docs && docs->size() == 1) {
      json m = docs->front();
      if (m.contains("node")) m = m["node"];  // a whole conformance case
      if (m.contains("machine")) m = m["machine"];
      machine = ParseMachineJson(m, &error);
    } else if (docs) {
      error = o.machine_json + ": expected one machine object";
    }
  }
  if (!machine) {
    err << "machine: " << error << "\n";
    return 2;
  }
  auto config_text = ReadFile(o.kubelet_config, &error);
  auto config = config_text ? ParseKubeletConfigYaml(*config_text, &error) : std::nullopt;
  if (!config) {
    err << "kubelet config: " << error << "\n";
    return 2;
  }
  auto node = NodeAdmitter::Create(*machine, *config, &error);
  if (!node) {
    err << "the kubelet would not start with this configuration: " << error << "\n";
    return 2;
  }
  out << "Node: " << machine->numa_nodes.size() << " NUMA node(s), " << machine->cpus.size()
      << " CPUs; topology manager " << config->topology_manager_policy << " (scope "
      << config->topology_manager_scope << "), cpu manager " << config->cpu_manager_policy
      << ", memory manager " << config->memory_manager_policy << "\n";
  if (node->cpu_policy()) {
    out << "Reserved CPUs: " << node->cpu_policy()->Reserved().ToString()
        << "; shared pool: " << node->cpu_policy()->DefaultSet().ToString() << "\n";
  }
  if (!o.pods_on_node.empty()) {
    auto pods = ReadObjects(o.pods_on_node, &error);
    if (!pods) {
      err << "pods on node: " << error << "\n";
      return 2;
    }
    for (const auto& p : *pods) {
      auto spec = ParsePodJson(p, &error);
      if (!spec) {
        err << "pods on node: " << error << "\n";
        return 2;
      }
      AdmitResult r = node->Admit(*spec);
      out << "Existing pod " << spec->Key() << ": "
          << (r.admit ? "admitted" : "would be rejected (" + r.reason + "), ignored") << "\n";
    }
  }
  PrintMemoryState(*node, out);

  auto docs = ReadObjects(o.pod, &error);
  if (!docs || docs->size() != 1) {
    err << "pod: " << (docs ? o.pod + ": expected exactly one pod" : error) << "\n";
    return 2;
  }
  auto spec = ParsePodJson(docs->front(), &error);
  if (!spec) {
    err << "pod: " << error << "\n";
    return 2;
  }
  PodRequests pod = ComputePodRequests(*spec);
  out << "\nPod " << pod.key << " (QoS " << QosClassName(pod.qos) << ")\n";
  for (const auto& c : pod.containers) {
    out << "  container " << c.name << ": exclusive CPUs " << c.exclusive_cpus;
    for (const auto& [r, b] : c.memory) out << ", " << r << " " << Bytes(b);
    if (c.memory_error) out << ", memory error: " << *c.memory_error;
    out << "\n";
  }
  if (!pod.Guaranteed()) {
    out << "  (not Guaranteed: the CPU and memory managers give no hints and pin nothing)\n";
  }
  AdmitResult r = node->Admit(pod, /*trace=*/true);
  const NumaIdMap& ids = node->numa_ids();
  out << "\nHints (NUMA node ids; * = preferred):\n";
  for (const auto& t : r.trace) {
    out << "  " << t.unit << ":\n";
    if (t.cpu) out << "    cpu manager:    " << HintList(ids, *t.cpu) << "\n";
    if (t.memory) out << "    memory manager: " << HintList(ids, *t.memory) << "\n";
    out << "    merged:         " << HintText(ids, t.best) << " -> "
        << (t.admit ? "admitted by the topology manager" : "REJECTED by the topology manager")
        << "\n";
  }
  if (r.trace.empty()) out << "  (topology manager policy none: no merge)\n";
  out << "\nDecision: ";
  if (r.admit) {
    out << "ADMITTED\n";
    for (const auto& [name, a] : r.containers) {
      out << "  " << name << ": CPUs ";
      if (a.cpus.empty()) {
        out << "shared pool";
      } else {
        for (std::size_t i = 0; i < a.cpus.size(); ++i) out << (i ? "," : "") << a.cpus[i];
      }
      for (const auto& [res, nodes] : a.memory_numa) {
        out << "; " << res << " on NUMA {";
        for (std::size_t i = 0; i < nodes.size(); ++i) out << (i ? "," : "") << nodes[i];
        out << "}";
      }
      out << "\n";
    }
    return 0;
  }
  out << "REJECTED: " << r.reason << ": " << r.message << "\n";
  std::string why;
  if (r.reason == "TopologyAffinityError" && !r.trace.empty()) {
    why = WhyTopology(*node, r.trace.back());
  } else {
    why = WhyAllocate(r);
  }
  if (!why.empty()) out << "Why: " << why << "\n";
  return 1;
}

}  // namespace numalign::numa
