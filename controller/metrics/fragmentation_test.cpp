#include "controller/metrics/fragmentation.h"

#include <gtest/gtest.h>

namespace numalign::controller {
namespace {

kube::NrtZone Zone(int id, std::int64_t allocatable, std::int64_t available) {
  kube::NrtZone z;
  z.name = "node-" + std::to_string(id);
  z.type = "Node";
  z.resources.push_back({"cpu", numa::Quantity::FromInt(allocatable),
                         numa::Quantity::FromInt(allocatable), numa::Quantity::FromInt(available)});
  return z;
}

TEST(FragmentationIndex, HandComputed) {
  kube::NodeResourceTopology nrt;
  nrt.zones = {Zone(0, 8, 4), Zone(1, 8, 0)};
  EXPECT_DOUBLE_EQ(FragmentationIndex(nrt).at("cpu"), 0.0);  // all free in one zone
  nrt.zones = {Zone(0, 8, 2), Zone(1, 8, 2), Zone(2, 8, 2), Zone(3, 8, 2)};
  EXPECT_DOUBLE_EQ(FragmentationIndex(nrt).at("cpu"), 0.75);  // 1 - 2/8
  nrt.zones = {Zone(0, 8, 0), Zone(1, 8, 0)};
  EXPECT_DOUBLE_EQ(FragmentationIndex(nrt).at("cpu"), 0.0);  // nothing free
  nrt.zones = {Zone(0, 8, 99), Zone(1, 8, -3)};              // bad numbers are clamped
  EXPECT_DOUBLE_EQ(FragmentationIndex(nrt).at("cpu"), 0.0);
}

}  // namespace
}  // namespace numalign::controller
