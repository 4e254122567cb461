#include "common/logging/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

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

// The logger of this API's lines, whose payload is rendered already (see configure). Null until
// configure: lines then go to spdlog's default logger.
std::atomic<spdlog::logger*> g_structured{nullptr};

// A line logged with spdlog directly (libraries, kube/'s client) carries free text: in JSON
// mode it becomes the "msg" string, so every line on stderr stays one decodable JSON object.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string quoted;
    append_json_string(quoted, std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(quoted.data(), quoted.data() + quoted.size());
  }
  std::unique_ptr<spdlog::custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

constexpr const char* kJsonHeader = R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",)";

void log(spdlog::level::level_enum level, std::string_view message,
         std::initializer_list<Field> fields) {
  spdlog::logger* logger = g_structured.load(std::memory_order_acquire);
  if (logger == nullptr) logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  logger->log(level, "{}", render(g_format.load(), message, fields));
}

}  // namespace

void configure(Format format, int verbosity) {
  g_format = format;
  set_verbosity(verbosity);
  // Two loggers on stderr: this API's (payload already rendered as fields) and spdlog's default
  // (free text from code calling spdlog directly), each formatting its own lines.
  auto structured = std::make_shared<spdlog::logger>(
      "numalign", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  auto plain = std::make_shared<spdlog::logger>("numalign-plain",
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (format == Format::kJson) {
    structured->set_pattern(std::string(kJsonHeader) + "%v}", spdlog::pattern_time_type::utc);
    spdlog::pattern_formatter::custom_flags flags;
    flags['*'] = std::make_unique<JsonMessageFlag>();
    plain->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        std::string(kJsonHeader) + "\"msg\":%*}", spdlog::pattern_time_type::utc,
        spdlog::details::os::default_eol, std::move(flags)));
  } else {
    // klog's header: severity letter, date, time, thread id.
    for (auto* logger : {structured.get(), plain.get()}) {
      logger->set_pattern("%L%m%d %H:%M:%S.%f %t] %v", spdlog::pattern_time_type::utc);
    }
  }
  for (auto* logger : {structured.get(), plain.get()}) {
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::warn);
  }
  // configure() may run again (tests): loggers in use by other threads are kept alive.
  static std::mutex mutex;
  static std::vector<std::shared_ptr<spdlog::logger>> alive;
  std::lock_guard lock(mutex);
  alive.push_back(structured);
  g_structured.store(structured.get(), std::memory_order_release);
  spdlog::set_default_logger(plain);
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
