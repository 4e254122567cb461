#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "numa/conformance/conformance_case.h"

namespace numalign::numa {
namespace {

std::string VectorsPath() {
  const char* env = std::getenv("NUMALIGN_SHARED");
  const std::string shared = env && *env ? env : NUMALIGN_SHARED_DIR;
  return shared + "/conformance/kubelet-admission.jsonl";
}

// Every case of the kubelet's own decisions must be reproduced exactly (admit, reason, exclusive
// CPU ids and memory NUMA nodes per container). The same pass checks that NodeAdmitter::Evaluate
// answers every admission exactly as Admit does and leaves the node unchanged (one pass instead
// of two keeps the CI time down).
TEST(KubeletConformanceTest, AllVectorsPass) {
  const std::string path = VectorsPath();
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "conformance vectors not found: " << path
                         << " (set NUMALIGN_SHARED to the shared/ directory)";
  std::string line;
  int total = 0;
  std::vector<std::string> failures;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++total;
    auto j = nlohmann::json::parse(line, nullptr, false);
    std::string error;
    auto c = j.is_discarded() ? std::nullopt : ParseConformanceCase(j, &error);
    if (!c) {
      failures.push_back("line " + std::to_string(total) + ": " + error);
      continue;
    }
    auto results = RunConformanceCaseCheckingEvaluate(*c, &error);
    if (!results) {
      failures.push_back(c->id + ": " + error);
      continue;
    }
    if (results->size() != c->expect.size()) {
      failures.push_back(c->id + ": " + std::to_string(results->size()) + " results for " +
                         std::to_string(c->expect.size()) + " expectations");
      continue;
    }
    for (std::size_t i = 0; i < results->size(); ++i) {
      std::string diff = CompareWithExpectation((*results)[i], c->expect[i]);
      if (!diff.empty()) {
        failures.push_back(c->id + " step " + std::to_string(i) + ": " + diff);
        break;
      }
    }
  }
  EXPECT_EQ(total, 2000);
  for (const auto& f : failures) ADD_FAILURE() << f;
  std::printf("%d passed, %zu failed\n", total - static_cast<int>(failures.size()),
              failures.size());
}

}  // namespace
}  // namespace numalign::numa
