// numalign-hints: what would the kubelet decide? Replays conformance vectors and explains
// one pod's admission on one node.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "numa/cli/explain_command.h"
#include "numa/cli/replay_command.h"

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  numalign-hints replay --cases FILE.jsonl\n"
    "      Replays kubelet conformance vectors; prints one JSON line per case, then\n"
    "      \"N passed, M failed\". Exit status 1 when any case fails.\n"
    "  numalign-hints explain (--machine FILE.json | --topology FILE.xml) --kubelet-config "
    "FILE.yaml\n"
    "                         [--pods-on-node FILE] --pod FILE\n"
    "      Shows each hint provider's hints, the Topology Manager's merged decision and, when the\n"
    "      pod would be rejected, why. --pods-on-node: pods already admitted on the node (a JSON\n"
    "      or YAML list, a List object, or several YAML documents), admitted in order first.\n"
    "  numalign-hints --help\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  std::map<std::string, std::string> flags;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (a.rfind("--", 0) != 0) {
      std::cerr << "unexpected argument " << a << "\n" << kUsage;
      return 2;
    }
    auto eq = a.find('=');
    if (eq != std::string::npos) {
      flags[a.substr(2, eq - 2)] = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      flags[a.substr(2)] = args[++i];
    } else {
      std::cerr << "flag " << a << " needs a value\n";
      return 2;
    }
  }
  auto known = [&](std::initializer_list<const char*> names) {
    for (const auto& [name, value] : flags) {
      bool ok = false;
      for (const char* n : names) ok = ok || name == n;
      if (!ok) {
        std::cerr << "unknown flag --" << name << " for " << command << "\n" << kUsage;
        return false;
      }
    }
    return true;
  };
  if (command == "replay") {
    if (!known({"cases"})) return 2;
    if (!flags.count("cases")) {
      std::cerr << "replay needs --cases FILE.jsonl\n";
      return 2;
    }
    return numalign::numa::RunReplay(flags["cases"], std::cout, std::cerr);
  }
  if (command == "explain") {
    if (!known({"machine", "topology", "kubelet-config", "pods-on-node", "pod"})) return 2;
    numalign::numa::ExplainOptions o;
    o.machine_json = flags.count("machine") ? flags["machine"] : "";
    o.topology_xml = flags.count("topology") ? flags["topology"] : "";
    o.kubelet_config = flags.count("kubelet-config") ? flags["kubelet-config"] : "";
    o.pods_on_node = flags.count("pods-on-node") ? flags["pods-on-node"] : "";
    o.pod = flags.count("pod") ? flags["pod"] : "";
    return numalign::numa::RunExplain(o, std::cout, std::cerr);
  }
  std::cerr << "unknown command " << command << "\n" << kUsage;
  return 2;
}
