#include "sim/process/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

namespace numalign::sim::process {
namespace {

namespace fs = std::filesystem;

fs::path LogFile(const std::string& name) {
  return fs::temp_directory_path() /
         ("numalign-child-" + std::to_string(::getpid()) + "-" + name + ".log");
}

TEST(ChildProcess, CapturesOutputAndReportsHowItExited) {
  const fs::path log = LogFile("exit");
  {
    ChildProcess child("sh", {"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, log.string());
    for (int i = 0; i < 500 && child.Running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_FALSE(child.Running());
    EXPECT_EQ(child.ExitDescription(), "exited with status 3");
    EXPECT_EQ(child.LogTail(), "out\nerr\n");
  }
  fs::remove(log);
}

TEST(ChildProcess, StopsWithSigtermAndEscalatesToSigkill) {
  const fs::path log = LogFile("stop");
  {
    ChildProcess polite("sleep", {"/bin/sleep", "30"}, log.string());
    EXPECT_TRUE(polite.Running());
    EXPECT_EQ(polite.Stop(), "killed by signal " + std::to_string(SIGTERM));
    EXPECT_EQ(polite.Stop(), "killed by signal " + std::to_string(SIGTERM)) << "idempotent";
  }
  {
    // Ignores SIGTERM (and says so once it is set up), so only SIGKILL ends it.
    ChildProcess stubborn("sh", {"/bin/sh", "-c", "trap '' TERM; echo ready; sleep 30"},
                          log.string());
    for (int i = 0; i < 500 && std::string(stubborn.LogTail()).find("ready") == std::string::npos;
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const std::string how = stubborn.Stop(std::chrono::milliseconds(100));
    EXPECT_EQ(how.find("killed by signal " + std::to_string(SIGKILL)), 0U) << how;
    EXPECT_NE(how.find("SIGKILL after 100 ms"), std::string::npos) << how;
  }
  fs::remove(log);
}

TEST(ChildProcess, StartsWithDefaultSignalsWhateverTheParentBlocks) {
  const fs::path log = LogFile("mask");
  sigset_t term, previous;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, &previous);
  {
    ChildProcess child("sleep", {"/bin/sleep", "30"}, log.string());
    EXPECT_EQ(child.Stop(std::chrono::seconds(5)), "killed by signal " + std::to_string(SIGTERM));
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  fs::remove(log);
}

TEST(ChildProcess, RefusesWhatCannotRun) {
  EXPECT_THROW(ChildProcess("none", {"/nonexistent/program"}, LogFile("none").string()),
               std::runtime_error);
  EXPECT_THROW(ChildProcess("log", {"/bin/true"}, "/nonexistent/dir/log"), std::runtime_error);
}

}  // namespace
}  // namespace numalign::sim::process
