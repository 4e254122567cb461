#include "common/logging/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <nlohmann/json.hpp>

namespace numalign::logging {
namespace {

std::atomic<int> g_verbosity{0};

// A JSON string literal; invalid UTF-8 becomes U+FFFD so a log line is always decodable.
void append_json_string(std::string& out, std::string_view value) {
  out += nlohmann::json(std::string(value))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
std::atomic<Format> g_format{Format::kText};

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

void log(spdlog::level::level_enum level, std::string_view message,
         std::initializer_list<Field> fields) {
  auto logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  logger->log(level, "{}", render(g_format.load(), message, fields));
}

}  // namespace

void configure(Format format, int verbosity) {
  g_format = format;
  set_verbosity(verbosity);
  spdlog::drop("numalign-extender");  // configure() may run again (tests, reconfiguration)
  auto logger = spdlog::stderr_logger_mt("numalign-extender");
  if (format == Format::kJson) {
    logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})",
                        spdlog::pattern_time_type::utc);
  } else {
    // klog's header: severity letter, date, time, thread id.
    logger->set_pattern("%L%m%d %H:%M:%S.%f %t] %v", spdlog::pattern_time_type::utc);
  }
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

void set_verbosity(int verbosity) {
  g_verbosity = verbosity;
}
int verbosity() {
  return g_verbosity.load(std::memory_order_relaxed);
}

std::string render(Format format, std::string_view message, std::initializer_list<Field> fields) {
  std::string out;
  if (format == Format::kJson) {
    out += "\"msg\":";
    append_json_string(out, message);
    for (const auto& field : fields) {
      out += ',';
      append_json_string(out, field.key);
      out += ':';
      append_json_string(out, field.value);
    }
    return out;
  }
  append_json_string(out, message);
  for (const auto& field : fields) {
    out += ' ';
    out += field.key;
    out += '=';
    if (needs_quotes(field.value)) {
      append_json_string(out, field.value);
    } else {
      out += field.value;
    }
  }
  return out;
}

void info(std::string_view message, std::initializer_list<Field> fields) {
  log(spdlog::level::info, message, fields);
}
void warning(std::string_view message, std::initializer_list<Field> fields) {
  log(spdlog::level::warn, message, fields);
}
void error(std::string_view message, std::initializer_list<Field> fields) {
  log(spdlog::level::err, message, fields);
}
void v_info(int level, std::string_view message, std::initializer_list<Field> fields) {
  if (v(level)) log(spdlog::level::info, message, fields);
}

}  // namespace numalign::logging
