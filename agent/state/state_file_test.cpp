#include "agent/state/state_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <optional>

#include "agent/state/posix_durable_io.h"
#include "common/checksum/crc32c.h"
#include "tests/support/temp_dir.h"

namespace numalign::agent::state {
namespace {

using test_support::TempDir;

using nlohmann::json;

// The real DurableIo with faults on demand: an operation fails with an errno, optionally after
// writing a prefix of the content (a disk filling up half-way through).
class FaultyIo final : public DurableIo {
 public:
  struct WriteFault {
    int sys_errno;
    std::size_t bytes_before_failing;
  };
  std::optional<WriteFault> write_fault;
  std::optional<int> rename_errno;
  std::optional<int> sync_directory_errno;
  std::optional<int> remove_errno;
  int renames = 0;

  IoResult<std::string> ReadFile(const std::string& path) const override {
    return real_.ReadFile(path);
  }
  IoStatus WriteNewFileSynced(const std::string& path, std::string_view content) override {
    if (!write_fault) return real_.WriteNewFileSynced(path, content);
    (void)real_.WriteNewFileSynced(path, content.substr(0, write_fault->bytes_before_failing));
    return IoError{write_fault->sys_errno, "write", path};
  }
  IoStatus Rename(const std::string& from, const std::string& to) override {
    ++renames;
    if (rename_errno) return IoError{*rename_errno, "rename", from};
    return real_.Rename(from, to);
  }
  IoStatus SyncDirectory(const std::string& directory) override {
    if (sync_directory_errno) return IoError{*sync_directory_errno, "fsync directory", directory};
    return real_.SyncDirectory(directory);
  }
  IoStatus Remove(const std::string& path) override {
    if (remove_errno) return IoError{*remove_errno, "unlink", path};
    return real_.Remove(path);
  }
  IoResult<std::vector<std::string>> ListDirectory(const std::string& directory) const override {
    return real_.ListDirectory(directory);
  }

 private:
  PosixDurableIo real_;
};

// A document shaped like the checkpoint (kubelet memory_manager_state plus CPU assignments).
json Checkpoint(std::uint64_t free_bytes) {
  json document = json::parse(R"({
    "policyName": "Static",
    "machineState": {"0": {"numberOfAssignments": 1, "cells": [0],
      "memoryMap": {"memory": {"total": 17179869184, "systemReserved": 1073741824,
                               "allocatable": 16106127360, "reserved": 1073741824,
                               "free": 0}}}},
    "entries": {"1234abcd-5678-90ef-abcd-1234567890ab": {"app": [
      {"numaAffinity": [0], "type": "memory", "size": 1073741824}]}},
    "cpuAssignments": {"1234abcd-5678-90ef-abcd-1234567890ab": {"app": "2-3"}},
    "note": "é ünïcode ✓", "ratio": 0.1
  })");
  document["machineState"]["0"]["memoryMap"]["memory"]["free"] = free_bytes;
  return document;
}

class StateFileTest : public testing::Test {
 protected:
  std::vector<std::string> Listing() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(tmp_.path())) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  TempDir tmp_{"numalign-agent"};
  FaultyIo io_;
  std::string path_ = tmp_ / "numalign_state";
  StateFile file_{path_, io_};
};

TEST_F(StateFileTest, RoundTripsTheDocument) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  auto loaded = file_.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_EQ(*loaded, Checkpoint(1));
  EXPECT_EQ(Listing(), std::vector<std::string>{"numalign_state"});  // no temporary left
  ASSERT_TRUE(file_.Save(Checkpoint(2)).ok());
  EXPECT_EQ(file_.Load().value(), Checkpoint(2));
}

TEST_F(StateFileTest, StoresTheCrcOfTheCanonicalDocumentWithChecksumZeroed) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  const json stored = json::parse(tmp_.Read("numalign_state"));
  json zeroed = stored;
  zeroed["checksum"] = 0;
  EXPECT_EQ(stored["checksum"].get<std::uint64_t>(), checksum::Crc32c(zeroed.dump()));
  EXPECT_EQ(stored["checksum"].get<std::uint32_t>(),
            StateFile::ComputeChecksum(Checkpoint(1)).value());
}

TEST_F(StateFileTest, ReformattingTheFileKeepsItValid) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  tmp_.Write("numalign_state", json::parse(tmp_.Read("numalign_state")).dump(4));
  EXPECT_EQ(file_.Load().value(), Checkpoint(1));
}

TEST_F(StateFileTest, ACallerChecksumFieldIsReplaced) {
  json document = Checkpoint(1);
  document["checksum"] = 42;
  ASSERT_TRUE(file_.Save(document).ok());
  EXPECT_EQ(file_.Load().value(), Checkpoint(1));
}

TEST_F(StateFileTest, MissingFile) {
  auto loaded = file_.Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, StateErrorKind::kMissing);
  EXPECT_EQ(loaded.error().path, path_);
  EXPECT_NE(loaded.error().ToString().find(path_), std::string::npos);
}

TEST_F(StateFileTest, CorruptedByteIsAChecksumMismatch) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  std::string content = tmp_.Read("numalign_state");
  const std::size_t digit = content.find("17179869184");
  ASSERT_NE(digit, std::string::npos);
  content[digit] = '2';  // still valid JSON, different value
  tmp_.Write("numalign_state", content);
  auto loaded = file_.Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, StateErrorKind::kChecksumMismatch);
  EXPECT_NE(loaded.error().ToString().find(path_), std::string::npos);
  EXPECT_NE(loaded.error().message.find("corrupted"), std::string::npos);
}

TEST_F(StateFileTest, EveryCorruptedByteIsDetected) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  const std::string good = tmp_.Read("numalign_state");
  for (std::size_t i = 0; i + 1 < good.size(); ++i) {  // the last byte is the newline
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    tmp_.Write("numalign_state", bad);
    auto loaded = file_.Load();
    ASSERT_FALSE(loaded.ok()) << "byte " << i << " of " << good;
    EXPECT_TRUE(loaded.error().kind == StateErrorKind::kChecksumMismatch ||
                loaded.error().kind == StateErrorKind::kUnparsable)
        << i;
  }
}

TEST_F(StateFileTest, TruncatedFileIsUnparsable) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  const std::string content = tmp_.Read("numalign_state");
  for (std::size_t length :
       {std::size_t{0}, std::size_t{1}, content.size() / 2, content.size() - 3}) {
    tmp_.Write("numalign_state", content.substr(0, length));
    auto loaded = file_.Load();
    ASSERT_FALSE(loaded.ok()) << length;
    EXPECT_EQ(loaded.error().kind, StateErrorKind::kUnparsable) << length;
    EXPECT_EQ(loaded.error().path, path_);
  }
}

TEST_F(StateFileTest, NoChecksumOrNotAnObject) {
  tmp_.Write("numalign_state", R"({"policyName":"Static"})");
  EXPECT_EQ(file_.Load().error().kind, StateErrorKind::kChecksumMismatch);
  tmp_.Write("numalign_state", R"({"policyName":"Static","checksum":"abc"})");
  EXPECT_EQ(file_.Load().error().kind, StateErrorKind::kChecksumMismatch);
  tmp_.Write("numalign_state", R"([1,2,3])");
  EXPECT_EQ(file_.Load().error().kind, StateErrorKind::kUnparsable);
  tmp_.Write("numalign_state", "{\"s\":\"\xff\xfe\"}");  // invalid UTF-8
  EXPECT_EQ(file_.Load().error().kind, StateErrorKind::kUnparsable);
}

TEST_F(StateFileTest, CrashBetweenTemporaryWriteAndRenameKeepsTheTarget) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  // A crash right before rename: the process is gone, so nothing removes the temporary.
  io_.rename_errno = EIO;
  io_.remove_errno = EIO;
  ASSERT_FALSE(file_.Save(Checkpoint(2)).ok());
  ASSERT_EQ(Listing().size(), 2u);
  EXPECT_TRUE(Listing()[1].starts_with("numalign_state.tmp-"));
  // A restarted agent: the complete-looking temporary is ignored, the target is the old state.
  FaultyIo fresh_io;
  StateFile restarted(path_, fresh_io);
  EXPECT_EQ(restarted.Load().value(), Checkpoint(1));
  EXPECT_EQ(restarted.CleanStaleTemporaries().value(), 1);
  EXPECT_EQ(Listing(), std::vector<std::string>{"numalign_state"});
  ASSERT_TRUE(restarted.Save(Checkpoint(3)).ok());
  EXPECT_EQ(restarted.Load().value(), Checkpoint(3));
}

TEST_F(StateFileTest, CrashBeforeTheFirstRenameLeavesNoState) {
  tmp_.Write("numalign_state.tmp-123-0", Checkpoint(1).dump().substr(0, 20));
  EXPECT_EQ(file_.Load().error().kind, StateErrorKind::kMissing);
  EXPECT_EQ(file_.CleanStaleTemporaries().value(), 1);
  EXPECT_EQ(file_.CleanStaleTemporaries().value(), 0);
}

TEST_F(StateFileTest, APredecessorsTemporaryWithOurPidDoesNotBlockSaving) {
  tmp_.Write("numalign_state.tmp-" + std::to_string(::getpid()) + "-0", "partial");
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  EXPECT_EQ(file_.Load().value(), Checkpoint(1));
  EXPECT_EQ(file_.CleanStaleTemporaries().value(), 1);
}

TEST_F(StateFileTest, CleanupLeavesOtherFilesAlone) {
  tmp_.Write("other_state.tmp-1-0", "x");
  tmp_.Write("numalign_state.bak", "x");
  EXPECT_EQ(file_.CleanStaleTemporaries().value(), 0);
  EXPECT_EQ(Listing().size(), 2u);
}

TEST_F(StateFileTest, DiskFullKeepsThePreviousFile) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  const std::string before = tmp_.Read("numalign_state");
  io_.write_fault = FaultyIo::WriteFault{ENOSPC, 17};
  auto saved = file_.Save(Checkpoint(2));
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().kind, StateErrorKind::kIo);
  EXPECT_EQ(saved.error().sys_errno, ENOSPC);
  EXPECT_NE(saved.error().ToString().find("No space left on device"), std::string::npos);
  EXPECT_NE(saved.error().ToString().find(path_), std::string::npos);
  EXPECT_NE(saved.error().message.find("previous file is intact"), std::string::npos);
  EXPECT_EQ(io_.renames, 1);  // only the first Save renamed
  EXPECT_EQ(tmp_.Read("numalign_state"), before);
  EXPECT_EQ(Listing(), std::vector<std::string>{"numalign_state"});  // partial temp removed
  EXPECT_EQ(file_.Load().value(), Checkpoint(1));
  io_.write_fault.reset();
  ASSERT_TRUE(file_.Save(Checkpoint(2)).ok());  // space is back
  EXPECT_EQ(file_.Load().value(), Checkpoint(2));
}

TEST_F(StateFileTest, FailedRenameKeepsThePreviousFile) {
  ASSERT_TRUE(file_.Save(Checkpoint(1)).ok());
  io_.rename_errno = EACCES;
  auto saved = file_.Save(Checkpoint(2));
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().sys_errno, EACCES);
  EXPECT_EQ(file_.Load().value(), Checkpoint(1));
  EXPECT_EQ(Listing(), std::vector<std::string>{"numalign_state"});
}

TEST_F(StateFileTest, DirectorySyncFailureIsReportedWithTheNewContentInPlace) {
  io_.sync_directory_errno = EIO;
  auto saved = file_.Save(Checkpoint(1));
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().sys_errno, EIO);
  EXPECT_NE(saved.error().message.find("not yet durable"), std::string::npos);
  EXPECT_EQ(file_.Load().value(), Checkpoint(1));
}

TEST_F(StateFileTest, UnserializableDocumentsAreRefusedWithoutThrowing) {
  EXPECT_EQ(file_.Save(json::array({1, 2})).error().kind, StateErrorKind::kInvalidDocument);
  EXPECT_EQ(file_.Save(json{{"s", "\xff"}}).error().kind, StateErrorKind::kInvalidDocument);
  EXPECT_EQ(file_.Load().error().kind, StateErrorKind::kMissing);
  EXPECT_TRUE(Listing().empty());
}

TEST_F(StateFileTest, MissingDirectoryIsAnIoError) {
  StateFile nowhere(tmp_ / "no/such/dir/state", io_);
  auto saved = nowhere.Save(Checkpoint(1));
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().kind, StateErrorKind::kIo);
  EXPECT_EQ(saved.error().sys_errno, ENOENT);
  EXPECT_EQ(nowhere.CleanStaleTemporaries().error().kind, StateErrorKind::kIo);
}

TEST(StateFileRelativePathTest, UsesTheCurrentDirectory) {
  TempDir tmp{"numalign-agent"};
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(tmp.path());
  PosixDurableIo io;
  StateFile file("state.json", io);
  EXPECT_TRUE(file.Save(json{{"a", 1}}).ok());
  EXPECT_EQ(file.Load().value(), (json{{"a", 1}}));
  std::filesystem::current_path(previous);
}

}  // namespace
}  // namespace numalign::agent::state
