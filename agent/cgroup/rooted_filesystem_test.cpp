#include "agent/cgroup/rooted_filesystem.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace numalign::agent::cgroup {
namespace {

using test_support::TempDir;

namespace fs = std::filesystem;

// <tmp>/root is the cgroup root; <tmp>/outside holds what must never be read or written.
class RootedFilesystemTest : public testing::Test {
 protected:
  void SetUp() override {
    tmp_.Write("root/kubepods.slice/cpuset.cpus", "0-7\n");
    tmp_.Write("root/cgroup.controllers", "cpuset cpu memory\n");
    tmp_.Write("outside/secret", "do not touch\n");
    auto opened = RootedFilesystem::Open(tmp_ / "root");
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    fs_ = std::move(*opened);
  }

  TempDir tmp_{"numalign-agent"};
  std::unique_ptr<RootedFilesystem> fs_;
};

TEST_F(RootedFilesystemTest, ReadsWritesListsInsideTheRoot) {
  EXPECT_EQ(fs_->ReadFile("kubepods.slice/cpuset.cpus").value(), "0-7\n");
  ASSERT_TRUE(fs_->WriteFile("kubepods.slice/cpuset.cpus", "2-3").ok());
  EXPECT_EQ(tmp_.Read("root/kubepods.slice/cpuset.cpus"), "2-3");  // truncated, not appended
  EXPECT_EQ(fs_->ListDirectory("").value(),
            (std::vector<std::string>{"cgroup.controllers", "kubepods.slice"}));
  EXPECT_TRUE(fs_->Exists("cgroup.controllers"));
  EXPECT_TRUE(fs_->IsDirectory("kubepods.slice"));
  EXPECT_FALSE(fs_->IsDirectory("cgroup.controllers"));
  EXPECT_FALSE(fs_->Exists("nope"));
  ASSERT_TRUE(fs_->MakeDirectory("kubepods.slice/new").ok());
  EXPECT_TRUE(fs::is_directory(tmp_ / "root/kubepods.slice/new"));
}

TEST_F(RootedFilesystemTest, NeverCreatesFiles) {
  auto written = fs_->WriteFile("kubepods.slice/cpuset.mems", "0");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(tmp_ / "root/kubepods.slice/cpuset.mems"));
}

TEST_F(RootedFilesystemTest, RefusesDotDotAndAbsolutePaths) {
  for (const std::string& path :
       {std::string("../outside/secret"), std::string("kubepods.slice/../../outside/secret"),
        std::string(".."), tmp_ / "outside/secret", std::string("/etc/passwd")}) {
    auto read = fs_->ReadFile(path);
    ASSERT_FALSE(read.ok()) << path;
    EXPECT_EQ(read.error().code, ErrorCode::kOutsideRoot) << path;
    auto written = fs_->WriteFile(path, "pwned");
    ASSERT_FALSE(written.ok()) << path;
    EXPECT_EQ(written.error().code, ErrorCode::kOutsideRoot) << path;
    EXPECT_FALSE(fs_->Exists(path)) << path;
    EXPECT_FALSE(fs_->ListDirectory(path).ok()) << path;
    EXPECT_FALSE(fs_->MakeDirectory(path + "/x").ok()) << path;
  }
  EXPECT_EQ(tmp_.Read("outside/secret"), "do not touch\n");
}

TEST_F(RootedFilesystemTest, RefusesMalformedPaths) {
  for (const char* path : {"kubepods.slice//cpuset.cpus", "./cgroup.controllers", "kubepods.slice/",
                           "kubepods.slice/./cpuset.cpus"}) {
    auto read = fs_->ReadFile(path);
    ASSERT_FALSE(read.ok()) << path;
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument) << path;
  }
}

TEST_F(RootedFilesystemTest, RefusesADirectorySymlinkThatEscapes) {
  fs::create_directory_symlink(tmp_ / "outside", tmp_ / "root/kubepods.slice/escape");
  auto read = fs_->ReadFile("kubepods.slice/escape/secret");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kSymlinkRefused);
  EXPECT_NE(read.error().message.find("outside"), std::string::npos);  // names the target
  auto written = fs_->WriteFile("kubepods.slice/escape/secret", "pwned");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::kSymlinkRefused);
  EXPECT_FALSE(fs_->ListDirectory("kubepods.slice/escape").ok());
  EXPECT_FALSE(fs_->Exists("kubepods.slice/escape/secret"));
  EXPECT_FALSE(fs_->MakeDirectory("kubepods.slice/escape/planted").ok());
  EXPECT_FALSE(fs::exists(tmp_ / "outside/planted"));
  EXPECT_EQ(tmp_.Read("outside/secret"), "do not touch\n");
}

TEST_F(RootedFilesystemTest, RefusesAFileSymlinkThatEscapes) {
  fs::create_symlink(tmp_ / "outside/secret", tmp_ / "root/kubepods.slice/cpuset.mems");
  auto written = fs_->WriteFile("kubepods.slice/cpuset.mems", "pwned");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::kSymlinkRefused);
  EXPECT_FALSE(fs_->ReadFile("kubepods.slice/cpuset.mems").ok());
  EXPECT_FALSE(fs_->Exists("kubepods.slice/cpuset.mems"));
  EXPECT_EQ(tmp_.Read("outside/secret"), "do not touch\n");
}

TEST_F(RootedFilesystemTest, RefusesRelativeSymlinksToo) {
  // "../../outside" resolves outside; even an inside target is refused (cgroupfs has no links).
  fs::create_directory_symlink("../../outside", tmp_ / "root/kubepods.slice/up");
  fs::create_directory_symlink(".", tmp_ / "root/kubepods.slice/self");
  EXPECT_EQ(fs_->ReadFile("kubepods.slice/up/secret").error().code, ErrorCode::kSymlinkRefused);
  EXPECT_EQ(fs_->ReadFile("kubepods.slice/self/cpuset.cpus").error().code,
            ErrorCode::kSymlinkRefused);
}

TEST_F(RootedFilesystemTest, RefusesNonRegularFilesWithoutBlocking) {
  ASSERT_EQ(::mkfifo((tmp_ / "root/kubepods.slice/cpuset.mems").c_str(), 0600), 0);
  auto read = fs_->ReadFile("kubepods.slice/cpuset.mems");  // would hang without O_NONBLOCK
  ASSERT_FALSE(read.ok());
  auto written = fs_->WriteFile("kubepods.slice/cpuset.mems", "0");
  ASSERT_FALSE(written.ok());
}

TEST_F(RootedFilesystemTest, MapsErrnoToCodes) {
  EXPECT_EQ(fs_->ReadFile("kubepods.slice/missing").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fs_->ReadFile("cgroup.controllers/below").error().code, ErrorCode::kNotFound);
  if (::geteuid() != 0) {  // root ignores file modes
    fs::permissions(tmp_ / "root/kubepods.slice/cpuset.cpus", fs::perms::owner_read);
    EXPECT_EQ(fs_->WriteFile("kubepods.slice/cpuset.cpus", "0").error().code,
              ErrorCode::kPermissionDenied);
  }
}

TEST(RootedFilesystemOpenTest, MissingRootIsAnError) {
  auto opened = RootedFilesystem::Open("/nonexistent/numalign/cgroup");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kNotFound);
  EXPECT_NE(opened.error().message.find("/nonexistent/numalign/cgroup"), std::string::npos);
}

}  // namespace
}  // namespace numalign::agent::cgroup
