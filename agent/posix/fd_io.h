#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace numalign::agent::posix {

// Owns a file descriptor: closed on every path out of a scope unless released.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Reads until EOF, retrying EINTR (cgroupfs and sysfs report a meaningless st_size, so the size
// is never trusted). False with errno set on a read error; `out` then holds what was read.
bool ReadAll(int fd, std::string* out);

// Writes all of `content`, retrying EINTR and short writes. False with errno set. (cgroupfs
// reports a refused value from the write itself, so the caller keeps errno for its message.)
bool WriteAll(int fd, std::string_view content);

}  // namespace numalign::agent::posix
