#include "sim/process/readiness.h"

#include <stdexcept>
#include <thread>

#include "extender/testing/http_client.h"

namespace numalign::sim::process {

void WaitUntilReady(ChildProcess& process, unsigned short port, const std::string& path,
                    std::chrono::milliseconds timeout) {
  extender::testing::ClientOptions options;
  options.port = port;
  extender::testing::HttpClient client(options);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "no answer";
  auto pause = std::chrono::milliseconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process.Running()) {
      throw std::runtime_error(process.name() + " " + process.ExitDescription() +
                               " before it was ready; its log (" + process.log_path() + "):\n" +
                               process.LogTail());
    }
    try {
      auto response = client.get(path, std::chrono::milliseconds(1000));
      if (response.status == 200) return;
      last = "HTTP " + std::to_string(response.status) + ": " + response.body;
    } catch (const std::exception& e) {
      last = e.what();
      client.close();
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
  }
  throw std::runtime_error(process.name() + " not ready on port " + std::to_string(port) + path +
                           " after " + std::to_string(timeout.count()) + " ms (" + last +
                           "); its log (" + process.log_path() + "):\n" + process.LogTail());
}

}  // namespace numalign::sim::process
