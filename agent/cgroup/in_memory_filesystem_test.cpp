#include "agent/cgroup/in_memory_filesystem.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace numalign::agent::cgroup {
namespace {

TEST(InMemoryFilesystemTest, SamePathRulesAsTheRealOne) {
  InMemoryFilesystem fs;
  fs.AddFile("a/b/file", "x");
  EXPECT_EQ(fs.ReadFile("a/../a/b/file").error().code, ErrorCode::kOutsideRoot);
  EXPECT_EQ(fs.ReadFile("/a/b/file").error().code, ErrorCode::kOutsideRoot);
  EXPECT_EQ(fs.WriteFile("a/b/new", "x").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fs.ListDirectory("a").value(), std::vector<std::string>{"b"});
  EXPECT_EQ(fs.ListDirectory("").value(), std::vector<std::string>{"a"});
  EXPECT_TRUE(fs.IsDirectory("a/b"));
  EXPECT_FALSE(fs.IsDirectory("a/b/file"));
  EXPECT_TRUE(fs.MakeDirectory("a/c").ok());
  EXPECT_FALSE(fs.MakeDirectory("x/y").ok());
}

TEST(InMemoryFilesystemTest, LogsWritesAndLetsAHookRefuseThem) {
  InMemoryFilesystem fs;
  fs.AddFile("f", "0");
  ASSERT_TRUE(fs.WriteFile("f", "1").ok());
  fs.SetWriteHook(
      [](const std::string&, std::string_view content) { return content == "2" ? ENOSPC : 0; });
  auto refused = fs.WriteFile("f", "2");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNoSpace);
  EXPECT_EQ(fs.ReadFile("f").value(), "1");
  EXPECT_EQ(fs.writes(), (std::vector<InMemoryFilesystem::Write>{{"f", "1"}}));
}

}  // namespace
}  // namespace numalign::agent::cgroup
