#include "agent/health/structured_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace numalign::agent {

std::string StructuredLog::Format(const std::string& timestamp, const std::string& level,
                                  const std::string& message,
                                  const std::map<std::string, std::string>& fields) {
  nlohmann::ordered_json line;
  line["ts"] = timestamp;
  line["level"] = level;
  line["msg"] = message;
  for (const auto& [k, v] : fields) line[k] = v;
  // Replace invalid UTF-8 (e.g. from a hostile annotation) instead of throwing.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void StructuredLog::Write(const std::string& level, const std::string& message,
                          const std::map<std::string, std::string>& fields) {
  if (level == "debug" && verbosity_ < 2) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[64];
  std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count()));
  const std::string out = Format(ts, level, message, fields) + "\n";
  std::lock_guard lock(mu_);
  std::fputs(out.c_str(), stderr);
}

}  // namespace numalign::agent
