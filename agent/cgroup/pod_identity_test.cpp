#include "agent/cgroup/pod_identity.h"

#include <gtest/gtest.h>

namespace numalign::agent::cgroup {
namespace {

const std::string kId64 = "4c1b4e1b1e7f3c7a9b2f5d2e8a1c3b4d5e6f708192a3b4c5d6e7f8091a2b3c4d";

TEST(PodUidTest, AcceptsRfc4122AndEscapesForSystemd) {
  auto uid = PodUid::Parse("1234abcd-5678-90ef-abcd-1234567890ab");
  ASSERT_TRUE(uid.ok()) << uid.error().ToString();
  EXPECT_EQ(uid->str(), "1234abcd-5678-90ef-abcd-1234567890ab");
  EXPECT_EQ(uid->SystemdEscaped(), "1234abcd_5678_90ef_abcd_1234567890ab");
}

TEST(PodUidTest, AcceptsStaticPodHash) {
  auto uid = PodUid::Parse("5b1c0e8f2d3a4b6c7d8e9f0a1b2c3d4e");
  ASSERT_TRUE(uid.ok());
  EXPECT_EQ(uid->SystemdEscaped(), "5b1c0e8f2d3a4b6c7d8e9f0a1b2c3d4e");
}

TEST(PodUidTest, RefusesAnythingElseWithAClearError) {
  for (const char* bad : {"", "1234abcd-5678-90ef-abcd-1234567890a",    // too short
                          "1234abcd-5678-90ef-abcd-1234567890abc",      // too long
                          "1234abcd_5678_90ef_abcd_1234567890ab",       // underscores
                          "1234abcd-5678-90ef-abcd-12345678/0ab",       // slash
                          "../../../../etc/passwd-aaaaaaaaaaaaaaaaaa",  // traversal
                          "1234abcd-5678-90ef-abcd-1234567890ag",       // not hex
                          "12345678-1234-1234-1234-12345678901\n"}) {
    auto uid = PodUid::Parse(bad);
    ASSERT_FALSE(uid.ok()) << bad;
    EXPECT_EQ(uid.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(uid.error().message.find("invalid pod UID"), std::string::npos);
  }
}

TEST(ContainerRefTest, AcceptsSixtyFourLowercaseHex) {
  auto ref = ContainerRef::Create(ContainerRuntime::kCrio, kId64);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->id(), kId64);
  EXPECT_EQ(ref->runtime(), ContainerRuntime::kCrio);
}

TEST(ContainerRefTest, RefusesOtherIds) {
  for (const std::string& bad :
       {std::string(), kId64.substr(1), kId64 + "0", std::string(64, 'A'), std::string(64, 'g'),
        kId64.substr(0, 63) + "/", std::string("../") + kId64.substr(3)}) {
    auto ref = ContainerRef::Create(ContainerRuntime::kContainerd, bad);
    ASSERT_FALSE(ref.ok()) << bad;
    EXPECT_EQ(ref.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(ref.error().message.find("64 lowercase hex"), std::string::npos);
  }
}

TEST(ContainerRefTest, ParsesPodStatusIds) {
  struct Case {
    std::string prefix;
    ContainerRuntime runtime;
  };
  for (const Case& c :
       {Case{"containerd://", ContainerRuntime::kContainerd},
        Case{"cri-o://", ContainerRuntime::kCrio}, Case{"docker://", ContainerRuntime::kDocker}}) {
    auto ref = ContainerRef::ParseStatusId(c.prefix + kId64);
    ASSERT_TRUE(ref.ok()) << c.prefix;
    EXPECT_EQ(ref->runtime(), c.runtime);
    EXPECT_EQ(ref->id(), kId64);
  }
  EXPECT_FALSE(ContainerRef::ParseStatusId("rkt://" + kId64).ok());
  EXPECT_FALSE(ContainerRef::ParseStatusId(kId64).ok());
  EXPECT_FALSE(ContainerRef::ParseStatusId("containerd://" + kId64 + "/..").ok());
}

}  // namespace
}  // namespace numalign::agent::cgroup
