#include "agent/posix/fd_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>

namespace numalign::agent::posix {
namespace {

TEST(FdIo, WritesAndReadsEverythingThroughAPipeAndClosesOnScopeExit) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  UniqueFd read_end(ends[0]);
  const std::string text(40000, 'x');  // larger than one read buffer
  {
    UniqueFd write_end(ends[1]);
    // A pipe holds 64 KiB, so the whole text fits without a reader.
    ASSERT_TRUE(WriteAll(write_end.get(), text));
  }  // closed here: the reader sees EOF
  std::string read;
  ASSERT_TRUE(ReadAll(read_end.get(), &read));
  EXPECT_EQ(read, text);
}

TEST(FdIo, ErrorsKeepErrnoAndReleaseKeepsTheDescriptorOpen) {
  std::string out;
  errno = 0;
  EXPECT_FALSE(ReadAll(-1, &out));
  EXPECT_EQ(errno, EBADF);
  EXPECT_FALSE(WriteAll(-1, "x"));
  EXPECT_EQ(errno, EBADF);
  int fd = -1;
  {
    UniqueFd owned(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    ASSERT_GE(owned.get(), 0);
    fd = owned.release();
  }
  EXPECT_EQ(::fcntl(fd, F_GETFD), FD_CLOEXEC);  // still open
  ::close(fd);
}

}  // namespace
}  // namespace numalign::agent::posix
