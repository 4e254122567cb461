#include "agent/allocation/node_state_hub.h"

#include <gtest/gtest.h>

namespace numalign::agent {
namespace {

TEST(NodeStateHub, GenerationAlwaysIncreasesAndListenersHearIt) {
  NodeStateHub hub;
  std::vector<std::uint64_t> heard;
  auto id = hub.Subscribe([&](std::uint64_t g) {
    heard.push_back(g);
    EXPECT_EQ(hub.Snapshot().generation, g);  // callable from the listener: no lock held
  });
  NodeStateSnapshot s;
  s.node_name = "n";
  s.generation = 5;
  hub.Publish(s);
  s.generation = 0;  // a producer restarting from 0
  hub.Publish(s);
  EXPECT_EQ(heard, (std::vector<std::uint64_t>{5, 6}));
  EXPECT_EQ(hub.Generation(), 6U);
  hub.Unsubscribe(id);
  hub.Publish(s);
  EXPECT_EQ(heard.size(), 2U);
  EXPECT_EQ(hub.Snapshot().node_name, "n");
}

}  // namespace
}  // namespace numalign::agent
