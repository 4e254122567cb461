#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

// Structured logging on spdlog, klog-like: a global verbosity (--v) gates debug detail, and
// each line carries a message plus key=value fields (or one JSON object per line).
namespace numalign::logging {

enum class Format { kText, kJson };

// Configures logging to stderr with UTC timestamps: this API's lines, and spdlog's default
// logger for code that calls spdlog directly (in JSON mode its free text becomes the "msg"
// string, so every line is one JSON object). Call once at startup; safe to skip in tests (lines
// then use spdlog's default sink).
void configure(Format format, int verbosity);
void set_verbosity(int verbosity);
int verbosity();
// True when --v is at least `level`; guard expensive field building with it.
inline bool v(int level) {
  return verbosity() >= level;
}

struct Field {
  std::string_view key;
  std::string value;
};

void info(std::string_view message, std::initializer_list<Field> fields = {});
void warning(std::string_view message, std::initializer_list<Field> fields = {});
void error(std::string_view message, std::initializer_list<Field> fields = {});
// Info at verbosity `level` (klog's V(level).InfoS).
void v_info(int level, std::string_view message, std::initializer_list<Field> fields = {});

// The line payload as it is logged (exposed for tests).
std::string render(Format format, std::string_view message, std::initializer_list<Field> fields);

}  // namespace numalign::logging
