#include "agent/posix/fd_io.h"

#include <unistd.h>

#include <cerrno>

namespace numalign::agent::posix {

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

bool ReadAll(int fd, std::string* out) {
  char buffer[16384];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) return true;
    out->append(buffer, static_cast<std::size_t>(n));
  }
}

bool WriteAll(int fd, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace numalign::agent::posix
