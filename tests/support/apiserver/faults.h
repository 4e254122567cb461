// Faults on demand for tests: answer matching requests with 429 (Retry-After) or 500, or delay
// them, a given number of times.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

struct FaultSpec {
  std::string path_prefix;  // "" matches every API request
  std::string method;       // "" matches every method
  int status = 0;           // 429, 500 (or any error code); 0 = latency only
  int retry_after_seconds = 1;
  std::chrono::milliseconds latency{0};
  int count = 1;  // how many requests to affect; -1 = until cleared

  static FaultSpec FromJson(const Json& json);
};

class FaultInjector {
 public:
  void Add(FaultSpec spec);
  void Clear();
  // The fault that applies to this request (consuming one of its uses), if any.
  std::optional<FaultSpec> Take(const std::string& method, const std::string& path);

 private:
  std::mutex mutex_;
  std::vector<FaultSpec> faults_;
};

}  // namespace numalign::test_apiserver
