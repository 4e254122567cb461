#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "numa/cli/explain_command.h"
#include "numa/cli/replay_command.h"

namespace numalign::numa {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("numalign-cli-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

  static json Machine() {
    json nodes = json::array();
    for (int i = 0; i < 2; ++i) {
      json cpus = json::array();
      for (int c = 0; c < 4; ++c)
        cpus.push_back({{"id", i * 4 + c}, {"core", i * 4 + c}, {"socket", i}});
      nodes.push_back({{"id", i},
                       {"cpus", cpus},
                       {"memory", (4ULL << 30) + (i == 0 ? 1100ULL << 20 : 0)},
                       {"hugepages", {{"2Mi", 0}}}});
    }
    return {{"numaNodes", nodes},
            {"distances", {{"0", {{"0", 10}, {"1", 21}}}, {"1", {{"0", 21}, {"1", 10}}}}}};
  }
  static json Kubelet(const std::string& policy) {
    return {{"topologyManagerPolicy", policy},
            {"topologyManagerScope", "container"},
            {"cpuManagerPolicy", "static"},
            {"reservedSystemCPUs", "0"},
            {"memoryManagerPolicy", "Static"},
            {"reservedMemory", {{{"numaNode", 0}, {"limits", {{"memory", "1100Mi"}}}}}},
            {"systemReserved", {{"memory", "1000Mi"}}},
            {"evictionHard", {{"memory.available", "100Mi"}}}};
  }
  static json PodJson(const std::string& name, const std::string& cpu, const std::string& mem) {
    json r = {{"cpu", cpu}, {"memory", mem}};
    return {{"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "u-" + name}}},
            {"spec",
             {{"containers", {{{"name", "c"}, {"resources", {{"requests", r}, {"limits", r}}}}}}}}};
  }

  fs::path dir_;
};

TEST_F(CliTest, ReplayCountsPassesAndFailures) {
  json good = {
      {"id", "good"},
      {"node", {{"machine", Machine()}, {"kubelet", Kubelet("restricted")}}},
      {"steps", {{{"op", "admit"}, {"pod", PodJson("p1", "2", "5Gi")}}}},
      {"expect", {{{"pod", "default/p1"}, {"admit", false}, {"reason", "TopologyAffinityError"}}}}};
  json bad = good;
  bad["id"] = "bad";
  bad["expect"][0]["reason"] = "UnexpectedAdmissionError";
  const std::string path = Write("cases.jsonl", good.dump() + "\n" + bad.dump() + "\nnot json\n");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunReplay(path, out, err), 1);
  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(json::parse(lines[0])["results"][0]["reason"], "TopologyAffinityError");
  EXPECT_EQ(json::parse(lines[0])["pass"], true);
  EXPECT_EQ(json::parse(lines[1])["pass"], false);
  EXPECT_EQ(lines[3], "1 passed, 2 failed");
  std::ostringstream out2;
  EXPECT_EQ(RunReplay(Write("one.jsonl", good.dump() + "\n"), out2, err), 0);
  EXPECT_EQ(RunReplay((dir_ / "missing.jsonl").string(), out2, err), 2);
}

TEST_F(CliTest, ReplaySurvivesMalformedCases) {
  json base = {{"id", "x"},
               {"node", {{"machine", Machine()}, {"kubelet", Kubelet("restricted")}}},
               {"steps", json::array()},
               {"expect", json::array()}};
  json op_number = base;
  op_number["steps"] = {{{"op", 5}}};
  json steps_scalar = base;
  steps_scalar["steps"] = 3;
  json bad_pod = base;
  bad_pod["steps"] = {{{"op", "admit"}, {"pod", {{"metadata", 7}}}}};
  bad_pod["expect"] = {{{"pod", 1}, {"admit", "yes"}}};
  json bad_expect = base;
  bad_expect["steps"] = {{{"op", "admit"}, {"pod", PodJson("p", "1", "1Gi")}}};
  bad_expect["expect"] = {7};
  json bad_kubelet = base;
  bad_kubelet["node"]["kubelet"]["reservedMemory"] = {
      {{"numaNode", 0}, {"limits", {{"memory", "x"}}}}};
  std::string text = "[]\n";
  for (const json& j : {op_number, steps_scalar, bad_pod, bad_expect, bad_kubelet})
    text += j.dump() + "\n";
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunReplay(Write("bad.jsonl", text), out, err), 1);
  EXPECT_NE(out.str().find("0 passed, 6 failed"), std::string::npos) << out.str();
}

TEST_F(CliTest, ExplainSaysWhyARestrictedRejectionHappens) {
  ExplainOptions o;
  o.machine_json = Write("machine.json", Machine().dump());
  o.kubelet_config = Write(
      "kubelet.yaml", "topologyManagerPolicy: restricted\n" + [] {
        std::string y;
        y += "cpuManagerPolicy: static\nreservedSystemCPUs: \"0\"\nmemoryManagerPolicy: Static\n";
        y += "reservedMemory:\n- numaNode: 0\n  limits:\n    memory: 1100Mi\n";
        y += "systemReserved:\n  memory: 1000Mi\n";
        return y;
      }());
  o.pod = Write("pod.yaml",
                "metadata:\n  name: big\nspec:\n  containers:\n  - name: app\n    resources:\n"
                "      limits:\n        cpu: 2\n        memory: 5Gi\n");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunExplain(o, out, err), 1) << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("memory manager: memory: {0,1}*"), std::string::npos) << text;
  EXPECT_NE(text.find("REJECTED: TopologyAffinityError"), std::string::npos) << text;
  EXPECT_NE(text.find("The CPUs fit on 1 NUMA node(s) but the memory needs 2"), std::string::npos)
      << text;

  o.pod = Write("small.json", PodJson("small", "2", "1Gi").dump());
  o.pods_on_node = Write("existing.yaml", PodJson("a", "1", "1Gi").dump());
  std::ostringstream out2;
  EXPECT_EQ(RunExplain(o, out2, err), 0) << err.str();
  EXPECT_NE(out2.str().find("Existing pod default/a: admitted"), std::string::npos);
  EXPECT_NE(out2.str().find("ADMITTED"), std::string::npos);
}

TEST_F(CliTest, ExplainReportsBadInputWithoutCrashing) {
  ExplainOptions o;
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunExplain(o, out, err), 2);
  o.machine_json = Write("machine.json", "{\"numaNodes\": 3}");
  o.kubelet_config = Write("k.yaml", "topologyManagerPolicy: none\n");
  o.pod = Write("pod.json", "{}");
  EXPECT_EQ(RunExplain(o, out, err), 2);
  EXPECT_NE(err.str().find("machine.numaNodes"), std::string::npos);
  o.machine_json = Write("machine2.json", Machine().dump());
  o.kubelet_config = Write("k2.yaml", "topologyManagerPolicy: bogus\n");
  EXPECT_EQ(RunExplain(o, out, err), 2);
  EXPECT_NE(err.str().find("unknown policy: \"bogus\""), std::string::npos);
  o.kubelet_config = Write("k3.yaml", "topologyManagerPolicy: none\n");
  o.pod = Write("pod2.yaml",
                "metadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    resources:\n      "
                "limits:\n        memory: 12 parsecs\n");
  EXPECT_EQ(RunExplain(o, out, err), 2);
  EXPECT_NE(err.str().find("spec.containers[0].resources.limits.memory"), std::string::npos);
}

}  // namespace
}  // namespace numalign::numa
