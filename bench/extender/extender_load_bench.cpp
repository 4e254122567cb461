// numalign-bench-extender: kube-scheduler's extender calls against the NUMA decider holding a
// large cluster (issue #5, "Tests and benchmark").
//
// The cluster: --nodes nodes of the real machine topologies in ${NUMALIGN_SHARED}/topologies/hwloc
// (default: the NUMALIGN_SHARED_DIR compile definition), each with the NRT numalign-agent would
// publish and the four Topology Manager policies in turn, and --pods Guaranteed pods bound to
// them, about half of every node's CPUs and memory. They are fed straight into the NodeView as
// the informers would; the decider, the HTTP server and the wire codec are the production ones.
//
// The load: a client speaking kube-scheduler's protocol (nodeCacheCapable, NodeNames only) over
// loopback keep-alive, one call at a time (latency: p50/p99/p99.9 per call as the scheduler sees
// it), with 500 and with all candidate names:
//  - scheduling cycles: filter, then prioritize, then the pod is bound to the first feasible node
//    (recorded in the view as bind does, which invalidates that node's memoized verdicts). Pods
//    cycle over a few shapes, each a new pod (new uid), as a Deployment's replicas arrive. The
//    memo is warmed first by one filter per candidate window: an extender that has been running.
//  - cold: every call a pod of a shape never seen before, so every candidate node is evaluated
//    (the worst case: a new workload's first pod; reported, not a target).
// Then --clients threads POST filter with 500 names in a closed loop for --seconds (filter calls
// per second, memo warm, no binds).
// Targets (issue #5, 2 cores): 500 names p99 <= 1 ms, 5,000 names p99 <= 5 ms, >= 2,000 filter
// calls/s, RSS <= 200 MB. Reported, never asserted.

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_cluster.h"
#include "extender/decider/numa_decider.h"
#include "extender/protocol/json_writer.h"
#include "extender/testing/local_extender.h"
#include "extender/testing/scheduler_driver.h"
#include "kube/testing/fake_api_client.h"

namespace numalign::extender::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::size_t nodes = 5000;
  std::size_t pods = 50000;
  std::size_t calls = 2000;  // per latency case
  std::size_t cold_calls = 200;
  double seconds = 3;  // throughput phase
  int clients = 2;
  int server_threads = 2;
  std::string shared;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  if (const char* env = std::getenv("NUMALIGN_SHARED"); env && *env) args.shared = env;
#ifdef NUMALIGN_SHARED_DIR
  if (args.shared.empty()) args.shared = NUMALIGN_SHARED_DIR;
#endif
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string& flag) -> const char* {
      return a.rfind(flag + "=", 0) == 0 ? a.c_str() + flag.size() + 1 : nullptr;
    };
    const char* v = nullptr;
    if ((v = value("--nodes"))) {
      args.nodes = std::stoul(v);
    } else if ((v = value("--pods"))) {
      args.pods = std::stoul(v);
    } else if ((v = value("--calls"))) {
      args.calls = std::stoul(v);
    } else if ((v = value("--cold-calls"))) {
      args.cold_calls = std::stoul(v);
    } else if ((v = value("--seconds"))) {
      args.seconds = std::stod(v);
    } else if ((v = value("--clients"))) {
      args.clients = std::stoi(v);
    } else if ((v = value("--server-threads"))) {
      args.server_threads = std::stoi(v);
    } else {
      std::fprintf(
          stderr,
          "usage: %s [--nodes=5000] [--pods=50000] [--calls=2000] [--cold-calls=200] [--seconds=3] "
          "[--clients=2] [--server-threads=2]\n",
          argv[0]);
      std::exit(a == "--help" ? 0 : 2);
    }
  }
  if (args.nodes == 0 || args.calls == 0) {
    std::fprintf(stderr, "--nodes and --calls must be positive\n");
    std::exit(2);
  }
  return args;
}

// Process CPU time (user + system, every thread): unlike wall time, not inflated by other
// programs competing for the cores.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double RssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

nlohmann::json PodOf(const std::string& name, const char* cpu, const std::string& memory) {
  nlohmann::json requests = {{"cpu", cpu}, {"memory", memory}};
  return {
      {"metadata", {{"name", name}, {"namespace", "bench"}, {"uid", "uid-" + name}}},
      {"spec",
       {{"containers",
         nlohmann::json::array(
             {{{"name", "c"}, {"resources", {{"requests", requests}, {"limits", requests}}}}})}}}};
}

// The pods of the load: a few shapes, a new name and uid per call.
nlohmann::json LoadPod(std::size_t i) {
  static const char* kShapes[][2] = {{"1", "1Gi"}, {"2", "4Gi"}, {"4", "8Gi"}, {"2", "2Gi"}};
  const auto& shape = kShapes[i % 4];
  return PodOf("load-" + std::to_string(i), shape[0], shape[1]);
}

// A pod whose shape no earlier pod had: its memory request is unique.
nlohmann::json NewShapePod(std::size_t i) {
  return PodOf("new-shape-" + std::to_string(i), "2", std::to_string(1024 + i) + "Mi");
}

// ExtenderArgs as kube-scheduler sends them with nodeCacheCapable: true.
std::string ArgsBody(const nlohmann::json& pod, const std::vector<std::string>& names) {
  std::string body = "{\"Pod\":" + pod.dump() + ",\"Nodes\":null,\"NodeNames\":[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) body += ',';
    body += '"' + names[i] + '"';
  }
  return body + "]}";
}

// `count` consecutive node names from `start`, wrapping: the scheduler's percentageOfNodesToScore
// walks the node list from a rotating start.
std::vector<std::string> Window(std::size_t start, std::size_t count, std::size_t nodes) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < std::min(count, nodes); ++i)
    names.push_back(NodeName((start + i) % nodes));
  return names;
}

std::vector<std::string> Candidates(std::size_t count, std::size_t nodes, std::mt19937_64& random) {
  return Window(random() % nodes, count, nodes);
}

struct Percentiles {
  double p50 = 0, p99 = 0, p999 = 0, max = 0;
};

Percentiles Summarize(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[std::min(us.size() - 1, std::size_t(q * us.size()))]; };
  return {at(0.50), at(0.99), at(0.999), us.back()};
}

struct CaseResult {
  std::string name;
  Percentiles latency;
  std::size_t errors = 0;
  double cpu_us_per_call = 0;  // client and server together
};

// The first name of a filter reply's NodeNames ("" when none is feasible), without parsing the
// whole reply: the scheduler's choice, as far as this benchmark cares.
std::string FirstFeasible(const std::string& reply) {
  const auto key = reply.find("\"NodeNames\":[\"");
  if (key == std::string::npos) return "";
  const auto begin = key + 14;
  return reply.substr(begin, reply.find('"', begin) - begin);
}

struct Call {
  nlohmann::json pod;
  std::string body;
};

// Times one POST; adds the process CPU time it took (client and server) to `cpu_s`.
testing::ClientResponse Timed(testing::SchedulerDriver& scheduler, const std::string& verb,
                              const std::string& body, std::vector<double>& us, double& cpu_s) {
  const double cpu_start = CpuSeconds();
  const auto start = Clock::now();
  auto reply = scheduler.post(verb, body);
  us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  cpu_s += CpuSeconds() - cpu_start;
  return reply;
}

bool Failed(const testing::ClientResponse& reply, bool error_field_expected) {
  return reply.status != 200 ||
         (error_field_expected && reply.body.find("\"Error\":\"\"") == std::string::npos);
}

// Scheduling cycles: filter, prioritize, bind (see the file comment).
std::vector<CaseResult> RunCycles(testing::SchedulerDriver& scheduler, NodeView& view,
                                  std::size_t names, const Args& args, std::size_t& pod_counter) {
  std::mt19937_64 random(42);
  // Window starts only: 256 windows of 5,000 names would add 60 MB to the RSS reported.
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < std::min<std::size_t>(args.calls, 256); ++i) {
    starts.push_back(random() % args.nodes);
  }
  for (std::size_t start : starts) {  // warm-up: the memo of a running extender
    const auto window = Window(start, names, args.nodes);
    for (std::size_t shape = 0; shape < 4; ++shape) {
      scheduler.post("filter", ArgsBody(LoadPod(pod_counter++), window));
    }
  }
  const std::string suffix = "/" + std::to_string(std::min(names, args.nodes));
  CaseResult filter{"filter" + suffix, {}, 0};
  CaseResult prioritize{"prioritize" + suffix, {}, 0};
  std::vector<double> filter_us, prioritize_us;
  double filter_cpu = 0, prioritize_cpu = 0;
  for (std::size_t i = 0; i < args.calls; ++i) {
    const nlohmann::json pod = LoadPod(pod_counter++);
    const std::string body = ArgsBody(pod, Window(starts[i % starts.size()], names, args.nodes));
    auto filtered = Timed(scheduler, "filter", body, filter_us, filter_cpu);
    if (Failed(filtered, true)) ++filter.errors;
    if (Failed(Timed(scheduler, "prioritize", body, prioritize_us, prioritize_cpu), false)) {
      ++prioritize.errors;
    }
    if (auto node = FirstFeasible(filtered.body); !node.empty()) view.RecordDecision(node, pod);
  }
  filter.latency = Summarize(std::move(filter_us));
  filter.cpu_us_per_call = filter_cpu * 1e6 / double(args.calls);
  prioritize.latency = Summarize(std::move(prioritize_us));
  prioritize.cpu_us_per_call = prioritize_cpu * 1e6 / double(args.calls);
  return {filter, prioritize};
}

// Filter calls for pods of shapes never seen: every candidate evaluated.
CaseResult RunCold(testing::SchedulerDriver& scheduler, std::size_t names, std::size_t calls,
                   const Args& args, std::size_t& shape_counter) {
  std::mt19937_64 random(99);
  CaseResult result{"cold filter/" + std::to_string(std::min(names, args.nodes)), {}, 0};
  std::vector<double> us;
  double cpu = 0;
  for (std::size_t i = 0; i < calls; ++i) {
    const std::string body =
        ArgsBody(NewShapePod(shape_counter++), Candidates(names, args.nodes, random));
    if (Failed(Timed(scheduler, "filter", body, us, cpu), true)) ++result.errors;
  }
  result.latency = Summarize(std::move(us));
  result.cpu_us_per_call = cpu * 1e6 / double(calls);
  return result;
}

double RunThroughput(const testing::ExtenderConfig& config, const Args& args,
                     std::size_t& pod_counter, std::size_t* errors) {
  std::mt19937_64 random(7);
  std::vector<std::string> bodies;
  for (int i = 0; i < 256; ++i) {
    bodies.push_back(ArgsBody(LoadPod(pod_counter++), Candidates(500, args.nodes, random)));
  }
  std::atomic<std::size_t> calls = 0, failed = 0;
  std::atomic<bool> stop = false;
  std::vector<std::thread> clients;
  for (int c = 0; c < args.clients; ++c) {
    clients.emplace_back([&, c] {
      testing::SchedulerDriver scheduler(config);
      for (std::size_t i = c; !stop; i += args.clients) {
        if (scheduler.post("filter", bodies[i % bodies.size()]).status != 200) ++failed;
        ++calls;
      }
    });
  }
  auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(args.seconds));
  stop = true;
  for (auto& t : clients) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  *errors = failed;
  return static_cast<double>(calls) / elapsed;
}

int Main(int argc, char** argv) {
  const Args args = ParseArgs(argc, argv);
  std::vector<BenchMachine> machines;
  try {
    machines = LoadMachines(std::filesystem::path(args.shared) / "topologies" / "hwloc");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "numalign-bench-extender: %s\n", e.what());
    return 1;
  }
  const double rss_start = RssMb();
  auto build_start = Clock::now();
  auto view = std::make_shared<NodeView>();
  ClusterStats stats = BuildCluster(*view, machines, args.nodes, args.pods, 0.5);
  const double build_s = std::chrono::duration<double>(Clock::now() - build_start).count();
  const double rss_cluster = RssMb();

  kube::FakeApiClient api;  // bind is not measured; nothing reaches the API
  NumaDecider decider(view, api, DecisionOptions{});
  testing::LocalExtender::Options options;
  options.server.threads = args.server_threads;
  testing::LocalExtender extender(decider, options);
  testing::ExtenderConfig config;
  config.url_prefix = extender.url_prefix();
  config.http_timeout = std::chrono::seconds(30);
  testing::SchedulerDriver scheduler(config);

  std::printf("numalign-bench-extender: %zu nodes of %zu machines (", stats.nodes, machines.size());
  for (std::size_t i = 0; i < machines.size(); ++i) {
    std::printf("%s%s:%zun", i ? " " : "", machines[i].name.c_str(),
                machines[i].machine.numa_nodes.size());
  }
  std::printf("), %zu pods fed, %zu accounted, CPU fill %.1f%%, built in %.1f s\n", stats.pods,
              stats.accounted, stats.cpu_fill_pct, build_s);
  for (const auto& [why, count] : stats.unmanaged) {
    std::printf("  unmanaged (no NUMA admission, judged by --unmanaged-nodes): %zu x %s\n", count,
                why.c_str());
  }
  std::printf("hardware threads %u, server threads %d\n\n", std::thread::hardware_concurrency(),
              args.server_threads);

  std::size_t pod_counter = 0;
  std::size_t shape_counter = 0;
  std::vector<CaseResult> results;
  for (std::size_t names : {std::size_t(500), std::size_t(5000)}) {
    for (auto& r : RunCycles(scheduler, *view, names, args, pod_counter)) results.push_back(r);
  }
  const std::size_t cold_calls = args.cold_calls;
  for (std::size_t names : {std::size_t(500), std::size_t(5000)}) {
    if (cold_calls > 0)
      results.push_back(RunCold(scheduler, names, cold_calls, args, shape_counter));
  }
  std::printf("%-22s %8s %10s %10s %10s %10s %12s %7s\n", "call", "calls", "p50_us", "p99_us",
              "p99.9_us", "max_us", "cpu_us/call", "errors");
  for (const auto& r : results) {
    std::printf("%-22s %8zu %10.1f %10.1f %10.1f %10.1f %12.1f %7zu\n", r.name.c_str(),
                r.name.starts_with("cold") ? cold_calls : args.calls, r.latency.p50, r.latency.p99,
                r.latency.p999, r.latency.max, r.cpu_us_per_call, r.errors);
  }
  std::printf(
      "(scheduling cycles: filter, prioritize, then a bind recorded on the first feasible "
      "node; cold: a never-seen pod shape per call, every candidate evaluated)\n");
  std::size_t throughput_errors = 0;
  const double per_second = RunThroughput(config, args, pod_counter, &throughput_errors);
  const double rss_end = RssMb();
  std::printf("\nfilter/%zu throughput: %.0f calls/s (%d client threads, %.1f s, %zu errors)\n",
              std::min<std::size_t>(500, args.nodes), per_second, args.clients, args.seconds,
              throughput_errors);
  std::printf(
      "rss_mb: start %.1f, cluster loaded %.1f, end %.1f (client and server in one process)\n",
      rss_start, rss_cluster, rss_end);
  std::printf(
      "targets (issue #5): filter+prioritize p99 <= 1000 us at 500 names, <= 5000 us at "
      "5000 names; >= 2000 filter calls/s; RSS <= 200 MB\n");
  std::size_t errors = throughput_errors;
  for (const auto& r : results) errors += r.errors;
  return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace numalign::extender::bench

int main(int argc, char** argv) {
  return numalign::extender::bench::Main(argc, argv);
}
