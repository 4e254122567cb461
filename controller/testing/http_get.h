#pragma once

#include <string>

namespace numalign::controller::testing {

// One GET to 127.0.0.1:port over a fresh connection (Connection: close), the way a kubelet
// probe or a Prometheus scrape reaches the controller. Returns the raw response (status line,
// headers, body), or "connect failed" / "write failed".
std::string RawGet(unsigned short port, const std::string& path);

}  // namespace numalign::controller::testing
