#pragma once

#include <map>
#include <mutex>
#include <string>

namespace numalign::agent {

// One JSON object per line on stderr ({"ts","level","msg",...}), what log collectors parse.
// `verbosity` gates "debug" lines (--v >= 2).
class StructuredLog {
 public:
  explicit StructuredLog(int verbosity = 0) : verbosity_(verbosity) {}
  void Write(const std::string& level, const std::string& message,
             const std::map<std::string, std::string>& fields = {});
  // The line Write would print (tests).
  static std::string Format(const std::string& timestamp, const std::string& level,
                            const std::string& message,
                            const std::map<std::string, std::string>& fields);

 private:
  int verbosity_;
  std::mutex mu_;
};

}  // namespace numalign::agent
