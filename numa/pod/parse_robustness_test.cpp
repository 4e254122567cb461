// Random and hostile inputs must come back as errors, never as crashes or exceptions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "numa/pod/pod_requests.h"
#include "numa/pod/pod_spec.h"
#include "numa/pod/quantity.h"

namespace numalign::numa {
namespace {

TEST(ParseRobustnessTest, RandomQuantityStrings) {
  std::mt19937 rng(7);
  const std::string alphabet = "0123456789.+-eEinumkKMGTP ";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int len = static_cast<int>(rng() % 12);
    for (int k = 0; k < len; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    std::string error;
    auto q = Quantity::Parse(s, &error);
    if (!q) {
      EXPECT_FALSE(error.empty()) << s;
    } else {
      (void)q->MilliValueCeil();
      (void)q->ValueCeil();
      (void)q->AsInt64();
    }
  }
}

TEST(ParseRobustnessTest, HostilePodShapes) {
  using nlohmann::json;
  const std::vector<json> pods = {
      json(nullptr),
      json(42),
      json::object(),
      json{{"metadata", "x"}},
      json{{"metadata", {{"name", "p"}}}, {"spec", {{"containers", "x"}}}},
      json{{"metadata", {{"name", "p"}}}, {"spec", {{"containers", {1, 2}}}}},
      json{{"metadata", {{"name", "p"}}},
           {"spec",
            {{"containers", {{{"name", "c"}, {"resources", {{"limits", {{"cpu", {1}}}}}}}}}}}},
      json{{"metadata", {{"name", "p"}}},
           {"spec", {{"containers", {{{"name", "c"}, {"resources", 3}}}}}}},
      json{{"metadata", {{"name", "p"}}},
           {"spec",
            {{"containers", {{{"name", "c"}}}},
             {"initContainers", {{{"name", "i"}, {"restartPolicy", 5}}}}}}},
      json{{"metadata", {{"name", "p"}, {"uid", 9}}},
           {"spec", {{"containers", {{{"name", "c"}}}}}}},
  };
  for (const auto& p : pods) {
    std::string error;
    EXPECT_FALSE(ParsePodJson(p, &error).has_value()) << p.dump();
    EXPECT_FALSE(error.empty()) << p.dump();
  }
  // A huge but valid request parses and stays exact.
  std::string error;
  auto ok =
      ParsePodJson(json{{"metadata", {{"name", "p"}}},
                        {"spec",
                         {{"containers",
                           {{{"name", "c"},
                             {"resources", {{"limits", {{"cpu", "1e6"}, {"memory", "7Ei"}}}}}}}}}}},
                   &error);
  ASSERT_TRUE(ok) << error;
  PodRequests r = ComputePodRequests(*ok);
  EXPECT_EQ(r.containers[0].exclusive_cpus, 1000000);
  EXPECT_EQ(r.containers[0].memory[0].second, 7ULL << 60);
}

}  // namespace
}  // namespace numalign::numa
