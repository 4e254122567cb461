// Google Benchmark of one node's NUMA admission decision (issue #2, "Tests and benchmark").
//
// The scheduler extender decides every candidate node for every pod: it copies the node's
// NodeAdmitter and admits the pod on the copy. This measures that per-node cost on real machine
// topologies (2, 4, 8 and 16 NUMA nodes) that are 0%, 50% and 90% full, under the three aligning
// Topology Manager policies. Target (issue #2): <= 2 us for a one-container pod on 8 NUMA nodes.
// Instruction counts (repeatable on a loaded machine): bench/run-numa-admit-callgrind.sh.
//
// Benchmark names are "<kind>/<numa>n:<machine>/fill:<pct>/<policy>/<scope>/<pod>", e.g.
// "CopyAdmit/8n:epyc-corona/fill:50/single-numa-node/container/1c". Kinds:
//   CopyAdmit   copy the filled admitter, admit, destroy both (what the extender pays per node)
//   Evaluate    NodeAdmitter::Evaluate: the same verdict, the node left unchanged and, for a
//               one-container pod, not copied (the extender's cost once it asks Evaluate)
//   Admit       admit alone, on copies made outside the timed region (see ns_per_op)
//   AdmitRemove admit then Remove on the same admitter (admit isolated from the copy another way)
//   Copy        copying (and destroying) the filled admitter alone
// Pods: "1c" = one Guaranteed container of 2 CPUs + 4Gi; "init+2c" = a Guaranteed init container
// (1 CPU + 1Gi) and two app containers (2 CPUs + 4Gi, 1 CPU + 1Gi).
// Counters: ns_per_op (CPU ns per admit/copy; for Admit the iteration is a batch of admits),
// admitted (the measured pod fits the filled node), fill_cpu_pct (exclusive CPUs assigned /
// allocatable CPUs after filling), fill_pods (Guaranteed pods admitted by the filling).
//
// Machines come from ${NUMALIGN_SHARED}/topologies/hwloc (default: the NUMALIGN_SHARED_DIR
// compile definition); the program exits non-zero, naming the path, when they are missing.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "numa/admission/kubelet_config.h"
#include "numa/admission/node_admitter.h"
#include "numa/pod/pod_requests.h"
#include "numa/pod/pod_spec.h"
#include "numa/pod/quantity.h"
#include "numa/topology/hwloc_loader.h"
#include "numa/topology/machine.h"

namespace {

using numalign::numa::AdmitResult;
using numalign::numa::ComputePodRequests;
using numalign::numa::ContainerRole;
using numalign::numa::ContainerSpec;
using numalign::numa::KubeletNumaConfig;
using numalign::numa::LoadMachineFromHwlocXml;
using numalign::numa::LogicalCpu;
using numalign::numa::Machine;
using numalign::numa::MemoryReservation;
using numalign::numa::NodeAdmitter;
using numalign::numa::NumaNodeInfo;
using numalign::numa::PodRequests;
using numalign::numa::PodSpec;
using numalign::numa::Quantity;

constexpr std::uint64_t kMi = 1024ULL * 1024;
constexpr std::uint64_t kGi = 1024 * kMi;

// ---------------------------------------------------------------------------------------------
// Machines

struct BenchMachine {
  std::string label;       // used in benchmark names, e.g. "8n:epyc-corona"
  std::string provenance;  // printed in the benchmark context
  Machine machine;
};

std::filesystem::path SharedDir() {
  if (const char* env = std::getenv("NUMALIGN_SHARED"); env && *env) return env;
#ifdef NUMALIGN_SHARED_DIR
  return NUMALIGN_SHARED_DIR;
#else
  return "../shared";
#endif
}

int NodesWithCpus(const Machine& machine) {
  return static_cast<int>(std::count_if(machine.numa_nodes.begin(), machine.numa_nodes.end(),
                                        [](const NumaNodeInfo& n) { return !n.cpus.empty(); }));
}

// An exact 16-node machine, since no recorded topology has exactly 16 NUMA nodes with CPUs: two
// copies of the 8-node dual-socket EPYC (epyc-corona) side by side, i.e. a 4-socket NPS4 box.
// The copy gets CPU ids + cpu_count, NUMA ids + node_count, socket ids + socket_count; distances
// inside each copy are the recorded SLIT, and every cross-copy pair is 32 (the recorded
// remote-socket distance is at most that, so the copies are "farther" than any recorded pair).
Machine TwoCopiesOf(const Machine& base) {
  Machine out = base;
  const int cpu_offset = static_cast<int>(base.cpus.size());
  const int node_offset = base.numa_nodes.back().id + 1;
  const int socket_offset = base.socket_count();
  for (LogicalCpu cpu : base.cpus) {
    cpu.id += cpu_offset;
    cpu.socket += socket_offset;
    cpu.numa_node += node_offset;
    out.cpus.push_back(cpu);
  }
  for (NumaNodeInfo node : base.numa_nodes) {
    node.id += node_offset;
    for (int& cpu : node.cpus) cpu += cpu_offset;
    out.numa_nodes.push_back(node);
  }
  if (!base.distances.empty()) {
    constexpr int kCrossCopyDistance = 32;
    out.distances.clear();
    for (const auto& from : out.numa_nodes) {
      for (const auto& to : out.numa_nodes) {
        const bool from_copy = from.id >= node_offset;
        const bool to_copy = to.id >= node_offset;
        int distance = kCrossCopyDistance;
        if (from_copy == to_copy) {
          const int base_from = from_copy ? from.id - node_offset : from.id;
          const int base_to = to_copy ? to.id - node_offset : to.id;
          distance = base.distance(base_from, base_to).value_or(kCrossCopyDistance);
        }
        out.distances[from.id][to.id] = distance;
      }
    }
  }
  return out;
}

// Loads every machine up front so a missing shared/ directory fails before any benchmark runs.
std::optional<std::vector<BenchMachine>> LoadMachines(std::string* error) {
  const std::filesystem::path dir = SharedDir() / "topologies" / "hwloc";
  if (!std::filesystem::is_directory(dir)) {
    *error = "topology directory " + dir.string() +
             " does not exist; set NUMALIGN_SHARED to the shared/ directory "
             "(the one holding topologies/hwloc)";
    return std::nullopt;
  }
  auto load = [&](const std::string& file) -> std::optional<Machine> {
    return LoadMachineFromHwlocXml((dir / file).string(), error);
  };
  std::vector<BenchMachine> machines;
  struct Recorded {
    const char* file;
    const char* name;
  };
  // 2: AWS g4dn.metal (2x Xeon 8259CL); 4: a single-socket 64-core EPYC in NPS4; 8: dual EPYC in
  // NPS4; 17: SGI Altix (ia64) with 16 CPU nodes and one memory-only node.
  for (const Recorded& r :
       {Recorded{"g4dnmetal.xml", "g4dnmetal"}, Recorded{"eas-tioga.xml", "eas-tioga"},
        Recorded{"epyc-corona.xml", "epyc-corona"},
        Recorded{"128ia64-17n4s2c.xml", "128ia64-17n4s2c"}}) {
    auto machine = load(r.file);
    if (!machine) return std::nullopt;
    const int nodes = static_cast<int>(machine->numa_nodes.size());
    const int cpu_nodes = NodesWithCpus(*machine);
    std::string label = std::to_string(nodes) + "n:" + r.name;
    std::string provenance = std::string(r.file) + ": " + std::to_string(nodes) + " NUMA nodes (" +
                             std::to_string(cpu_nodes) + " with CPUs), " +
                             std::to_string(machine->cpus.size()) + " CPUs";
    machines.push_back({label, provenance, std::move(*machine)});
  }
  Machine sixteen = TwoCopiesOf(machines[2].machine);  // before push_back may reallocate
  std::string provenance = "epyc-corona.xml twice (4 sockets, NPS4): 16 NUMA nodes, " +
                           std::to_string(sixteen.cpus.size()) + " CPUs";
  machines.push_back({"16n:2x-epyc-corona", std::move(provenance), std::move(sixteen)});
  return machines;
}

// ---------------------------------------------------------------------------------------------
// Kubelet configuration

// The first whole core (all its SMT threads) of the lowest CPU, plus the next core when the
// machine has no SMT, so two CPUs are reserved everywhere - the usual reservedSystemCPUs choice.
std::string ReservedSystemCpus(const Machine& machine) {
  std::vector<int> reserved;
  for (const LogicalCpu& first : machine.cpus) {
    if (reserved.size() >= 2) break;
    if (std::find(reserved.begin(), reserved.end(), first.id) != reserved.end()) continue;
    for (const LogicalCpu& sibling : machine.cpus) {
      if (sibling.socket == first.socket && sibling.core == first.core) {
        reserved.push_back(sibling.id);
      }
    }
  }
  std::sort(reserved.begin(), reserved.end());
  std::string text;
  for (int id : reserved) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text;
}

Quantity MustParse(const std::string& text) {
  std::string error;
  auto q = Quantity::Parse(text, &error);
  if (!q) {
    std::fprintf(stderr, "numa_admit_bench: bad quantity %s: %s\n", text.c_str(), error.c_str());
    std::exit(2);
  }
  return *q;
}

// A production-like kubelet: static CPU manager with reserved CPUs, Static memory manager whose
// reservedMemory (all on node 0, where the system daemons run) equals systemReserved +
// kubeReserved + evictionHard memory.available, as the kubelet requires at start-up.
KubeletNumaConfig KubeletConfigFor(const Machine& machine, const std::string& policy,
                                   const std::string& scope) {
  KubeletNumaConfig config;
  config.topology_manager_policy = policy;
  config.topology_manager_scope = scope;
  // The kubelet refuses more than 8 NUMA nodes unless this (beta, default-on) option is raised;
  // it counts every node, memory-only ones included.
  if (machine.numa_nodes.size() > 8) {
    config.topology_manager_policy_options["max-allowable-numa-nodes"] =
        std::to_string(machine.numa_nodes.size());
  }
  config.cpu_manager_policy = "static";
  config.reserved_system_cpus = ReservedSystemCpus(machine);
  config.memory_manager_policy = "Static";
  config.system_reserved = {{"memory", MustParse("1Gi")}};
  config.kube_reserved = {{"memory", MustParse("1Gi")}};
  config.eviction_hard = std::map<std::string, std::string>{{"memory.available", "500Mi"}};
  MemoryReservation node0;
  node0.numa_node = machine.numa_nodes.front().id;
  node0.limits.emplace_back("memory", MustParse("2548Mi"));  // 1Gi + 1Gi + 500Mi
  config.reserved_memory.push_back(node0);
  return config;
}

// ---------------------------------------------------------------------------------------------
// Pods

struct ContainerShape {
  const char* name;
  ContainerRole role;
  std::int64_t cpus;
  std::uint64_t memory_bytes;
};

// Guaranteed: requests == limits for cpu and memory in every container.
PodRequests GuaranteedPod(const std::string& name, const std::vector<ContainerShape>& shapes) {
  PodSpec pod;
  pod.namespace_name = "bench";
  pod.name = name;
  pod.uid = "uid-" + name;
  for (const ContainerShape& shape : shapes) {
    ContainerSpec c;
    c.name = shape.name;
    c.role = shape.role;
    c.requests = {{"cpu", Quantity::FromInt(shape.cpus)},
                  {"memory", Quantity::FromInt(static_cast<std::int64_t>(shape.memory_bytes))}};
    c.limits = c.requests;
    (shape.role == ContainerRole::kApp ? pod.containers : pod.init_containers).push_back(c);
  }
  return ComputePodRequests(pod);
}

enum class PodShape { kOneContainer, kInitPlusTwo };

const char* PodShapeName(PodShape shape) {
  return shape == PodShape::kOneContainer ? "1c" : "init+2c";
}

PodRequests MeasuredPod(PodShape shape) {
  if (shape == PodShape::kOneContainer) {
    return GuaranteedPod("measured", {{"app", ContainerRole::kApp, 2, 4 * kGi}});
  }
  return GuaranteedPod("measured", {{"setup", ContainerRole::kInit, 1, 1 * kGi},
                                    {"app", ContainerRole::kApp, 2, 4 * kGi},
                                    {"sidecar", ContainerRole::kApp, 1, 1 * kGi}});
}

// ---------------------------------------------------------------------------------------------
// Filled nodes

struct FilledNode {
  std::optional<NodeAdmitter> admitter;  // optional only because NodeAdmitter has no default
  int pods = 0;
  double cpu_fill_pct = 0;
};

// Admits seeded random Guaranteed pods (1-8 exclusive CPUs, memory in proportion to the
// machine's memory per CPU) until `fill_pct` of the allocatable CPUs are exclusively assigned,
// or the node keeps rejecting. The same seed on every machine keeps runs comparable. The kubelet
// takes the narrowest, lowest preferred NUMA mask, so NUMA nodes fill in id order: at 50% the
// low nodes are (nearly) full and the high ones empty, as on a real node that only grew.
FilledNode FillNode(const BenchMachine& bench_machine, const std::string& policy,
                    const std::string& scope, int fill_pct) {
  const Machine& machine = bench_machine.machine;
  std::string error;
  auto admitter = NodeAdmitter::Create(machine, KubeletConfigFor(machine, policy, scope), &error);
  if (!admitter) {
    std::fprintf(stderr, "numa_admit_bench: %s (%s/%s): %s\n", bench_machine.label.c_str(),
                 policy.c_str(), scope.c_str(), error.c_str());
    std::exit(2);
  }
  const auto allocatable_cpus = static_cast<double>(admitter->cpu_policy()->AvailableCpus().size());
  std::uint64_t cpu_node_memory = 0;
  for (const NumaNodeInfo& node : machine.numa_nodes) {
    if (!node.cpus.empty()) cpu_node_memory += node.memory;
  }
  const double memory_per_cpu = static_cast<double>(cpu_node_memory) / allocatable_cpus;

  std::mt19937_64 random(20261122);
  const std::int64_t cpu_choices[] = {1, 2, 2, 4, 4, 8};
  std::uniform_int_distribution<std::size_t> pick_cpus(0, std::size(cpu_choices) - 1);
  std::uniform_real_distribution<double> memory_share(0.5, 0.9);

  FilledNode filled;
  const auto target = static_cast<std::int64_t>(allocatable_cpus * fill_pct / 100.0);
  std::int64_t assigned = 0;
  int consecutive_rejections = 0;
  for (int n = 0; assigned < target && consecutive_rejections < 64; ++n) {
    const std::int64_t cpus = std::min(cpu_choices[pick_cpus(random)], target - assigned);
    auto memory = static_cast<std::uint64_t>(cpus * memory_per_cpu * memory_share(random));
    memory = std::max<std::uint64_t>(memory / (256 * kMi), 1) * 256 * kMi;
    AdmitResult result = admitter->Admit(
        GuaranteedPod("fill-" + std::to_string(n), {{"app", ContainerRole::kApp, cpus, memory}}));
    if (!result.admit) {
      ++consecutive_rejections;
      continue;
    }
    consecutive_rejections = 0;
    ++filled.pods;
    assigned += cpus;
  }
  filled.cpu_fill_pct = 100.0 * static_cast<double>(assigned) / allocatable_cpus;
  filled.admitter = std::move(admitter);
  return filled;
}

// Filling the 17-node machine admits dozens of pods at milliseconds each, so every filled node is
// built once and shared by the benchmarks that need it.
const FilledNode& CachedFilledNode(const BenchMachine& machine, const std::string& policy,
                                   const std::string& scope, int fill_pct) {
  static std::map<std::tuple<std::string, std::string, std::string, int>, FilledNode> cache;
  auto key = std::make_tuple(machine.label, policy, scope, fill_pct);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, FillNode(machine, policy, scope, fill_pct)).first;
  return it->second;
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

struct Scenario {
  const BenchMachine* machine;
  int fill_pct;
  std::string policy;
  std::string scope;
  PodShape pod;
};

// Admits the measured pod on a copy of the filled node, outside the timing, to report whether
// the timed path is an admission or a rejection (which stops early and is cheaper).
AdmitResult AdmitOnCopy(const FilledNode& node, const PodRequests& pod) {
  NodeAdmitter copy = *node.admitter;
  return copy.Admit(pod);
}

// ns_per_op: CPU ns per measured operation (one admit, copy, ...), the figure the summary table
// prints. Rate counters divide by the CPU time; inverted, that is seconds per operation.
// A rejected pod's reason goes to the label so a surprising rejection is visible.
void SetCounters(benchmark::State& state, const FilledNode& node, const AdmitResult& outcome,
                 int operations_per_iteration = 1) {
  state.counters["ns_per_op"] = benchmark::Counter(
      operations_per_iteration * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["admitted"] = outcome.admit ? 1 : 0;
  state.counters["fill_cpu_pct"] = node.cpu_fill_pct;
  state.counters["fill_pods"] = node.pods;
  if (!outcome.admit) {
    state.SetLabel("rejected: " + outcome.reason + " (" + outcome.failed_container +
                   "): " + outcome.message);
  }
}

// One extender decision: copy, admit, destroy. Out of line so that callgrind can count exactly
// its instructions (bench/run-numa-admit-callgrind.sh toggles collection on this function).
[[gnu::noinline]] AdmitResult CopyAndAdmitOnce(const NodeAdmitter& node, const PodRequests& pod) {
  NodeAdmitter copy = node;
  return copy.Admit(pod);
}

// NodeAdmitter::Evaluate: the same verdict as CopyAdmit without changing (or, for one-container
// pods, copying) the node - what the extender pays per node when it asks Evaluate.
[[gnu::noinline]] AdmitResult EvaluateOnce(const NodeAdmitter& node, const PodRequests& pod) {
  return node.Evaluate(pod);
}

// One decision per iteration on the filled node, by `decide` (CopyAndAdmitOnce or EvaluateOnce).
template <AdmitResult (*decide)(const NodeAdmitter&, const PodRequests&)>
void BM_Decide(benchmark::State& state, Scenario s) {
  const FilledNode& node = CachedFilledNode(*s.machine, s.policy, s.scope, s.fill_pct);
  const PodRequests pod = MeasuredPod(s.pod);
  for (auto _ : state) {
    AdmitResult result = decide(*node.admitter, pod);
    benchmark::DoNotOptimize(result);
  }
  SetCounters(state, node, AdmitOnCopy(node, pod));
}

constexpr auto BM_CopyAdmit = BM_Decide<CopyAndAdmitOnce>;
constexpr auto BM_Evaluate = BM_Decide<EvaluateOnce>;

// Admit alone. One benchmark iteration admits the pod on a batch of fresh copies; making and
// destroying the copies is paused, which costs a few clock reads per batch instead of per admit.
// The per-admit figure is the counter ns_per_op; the iteration time is that of the whole batch.
// Beyond 8 NUMA nodes one admit takes milliseconds, so a small batch amortises the pause enough
// and keeps the minimum run (one iteration) short.
int AdmitBatchSize(const Machine& machine) {
  return machine.numa_nodes.size() > 8 ? 4 : 64;
}

void BM_Admit(benchmark::State& state, Scenario s) {
  const FilledNode& node = CachedFilledNode(*s.machine, s.policy, s.scope, s.fill_pct);
  const PodRequests pod = MeasuredPod(s.pod);
  const int batch = AdmitBatchSize(s.machine->machine);
  std::vector<NodeAdmitter> copies;
  for (auto _ : state) {
    state.PauseTiming();
    copies.clear();
    copies.assign(batch, *node.admitter);
    state.ResumeTiming();
    for (NodeAdmitter& copy : copies) {
      AdmitResult result = copy.Admit(pod);
      benchmark::DoNotOptimize(result);
    }
  }
  copies.clear();  // the timer has stopped once the loop ends
  SetCounters(state, node, AdmitOnCopy(node, pod), batch);
}

// Admit + Remove on one admitter: no copy at all, and the node returns to its filled state.
void BM_AdmitRemove(benchmark::State& state, Scenario s) {
  const FilledNode& node = CachedFilledNode(*s.machine, s.policy, s.scope, s.fill_pct);
  const PodRequests pod = MeasuredPod(s.pod);
  NodeAdmitter admitter = *node.admitter;
  for (auto _ : state) {
    AdmitResult result = admitter.Admit(pod);
    benchmark::DoNotOptimize(result);
    if (result.admit) admitter.Remove(pod.key);
  }
  SetCounters(state, node, AdmitOnCopy(node, pod));
}

void BM_Copy(benchmark::State& state, Scenario s) {
  const FilledNode& node = CachedFilledNode(*s.machine, s.policy, s.scope, s.fill_pct);
  for (auto _ : state) {
    NodeAdmitter copy = *node.admitter;
    benchmark::DoNotOptimize(copy);
  }
  SetCounters(state, node, AdmitOnCopy(node, MeasuredPod(s.pod)));
}

std::string Name(const char* kind, const Scenario& s) {
  return std::string(kind) + "/" + s.machine->label + "/fill:" + std::to_string(s.fill_pct) + "/" +
         s.policy + "/" + s.scope + "/" + PodShapeName(s.pod);
}

void RegisterAll(const std::vector<BenchMachine>& machines) {
  const std::vector<std::string> policies = {"single-numa-node", "restricted", "best-effort",
                                             "none"};
  const std::vector<int> fills = {0, 50, 90};
  using Body = void (*)(benchmark::State&, Scenario);
  auto add = [](const char* kind, Body body, const Scenario& s) {
    benchmark::RegisterBenchmark(Name(kind, s).c_str(), body, s)->Unit(benchmark::kNanosecond);
  };
  for (const BenchMachine& machine : machines) {
    for (int fill : fills) {
      for (const std::string& policy : policies) {
        const Scenario one{&machine, fill, policy, "container", PodShape::kOneContainer};
        add("CopyAdmit", BM_CopyAdmit, one);
        add("Evaluate", BM_Evaluate, one);
        add("Admit", BM_Admit, one);
        add("AdmitRemove", BM_AdmitRemove, one);
        add("CopyAdmit", BM_CopyAdmit,
            {&machine, fill, policy, "container", PodShape::kInitPlusTwo});
        add("CopyAdmit", BM_CopyAdmit, {&machine, fill, policy, "pod", PodShape::kOneContainer});
        add("CopyAdmit", BM_CopyAdmit, {&machine, fill, policy, "pod", PodShape::kInitPlusTwo});
      }
      // The copy does not depend on the policy; one policy is enough.
      add("Copy", BM_Copy,
          {&machine, fill, "single-numa-node", "container", PodShape::kOneContainer});
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::string error;
  auto machines = LoadMachines(&error);
  if (!machines) {
    std::fprintf(stderr, "numa_admit_bench: cannot load the benchmark machines: %s\n",
                 error.c_str());
    return 2;
  }
  for (const BenchMachine& m : *machines) benchmark::AddCustomContext(m.label, m.provenance);
  RegisterAll(*machines);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
