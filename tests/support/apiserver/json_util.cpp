#include "tests/support/apiserver/json_util.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <random>

namespace numalign::test_apiserver {
namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

std::string GoEscape(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& item : node) array.push_back(YamlToJson(item));
      return array;
    }
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node)
        object[entry.first.as<std::string>()] = YamlToJson(entry.second);
      return object;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      // Quoted scalars stay strings; plain ones are typed the way YAML 1.1/1.2 core does.
      if (node.Tag() == "!") return text;
      if (text == "true" || text == "True" || text == "TRUE") return true;
      if (text == "false" || text == "False" || text == "FALSE") return false;
      if (text == "null" || text == "~" || text == "Null" || text == "NULL") return nullptr;
      if (!text.empty()) {
        char* end = nullptr;
        long long integer = std::strtoll(text.c_str(), &end, 10);
        if (end && *end == '\0' && text.find_first_not_of("+-0123456789") == std::string::npos)
          return integer;
        double real = std::strtod(text.c_str(), &end);
        if (end && *end == '\0' && text.find_first_not_of("+-0123456789.eE") == std::string::npos &&
            text.find_first_of("0123456789") != std::string::npos)
          return real;
      }
      return text;
    }
  }
  return nullptr;
}

}  // namespace

std::string EncodeCompact(const Json& value) {
  return GoEscape(value.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace));
}

std::string EncodeWire(const Json& value) {
  return EncodeCompact(value) + "\n";
}

Json SortKeysRecursively(const Json& value) {
  if (value.is_object()) {
    std::vector<std::string> keys;
    for (const auto& [key, _] : value.items()) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    Json sorted = Json::object();
    for (const auto& key : keys) sorted[key] = SortKeysRecursively(value.at(key));
    return sorted;
  }
  if (value.is_array()) {
    Json array = Json::array();
    for (const auto& item : value) array.push_back(SortKeysRecursively(item));
    return array;
  }
  return value;
}

namespace {
// Deeply nested input would exhaust the stack of the recursive walks over objects; kube-apiserver
// also refuses absurd nesting (its decoder limits depth to 10000). Counts brackets outside strings.
constexpr int kMaxNesting = 1000;
bool TooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxNesting) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}
}  // namespace

std::optional<Json> ParseJson(std::string_view text, std::string* error) {
  if (TooDeep(text)) {
    if (error) *error = "exceeded max depth";
    return std::nullopt;
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    if (error) {
      std::string what = e.what();
      // Go reports truncated input as "unexpected end of JSON input".
      *error = (e.byte >= text.size()) ? "unexpected end of JSON input"
                                       : "invalid character in JSON input";
    }
    return std::nullopt;
  }
}

std::optional<Json> ParseYaml(std::string_view text, std::string* error) {
  if (TooDeep(text)) {
    if (error) *error = "exceeded max depth";
    return std::nullopt;
  }
  try {
    YAML::Node node = YAML::Load(std::string(text));
    return YamlToJson(node);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

std::string FormatTime(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string NowTime() {
  return FormatTime(std::chrono::system_clock::now());
}

namespace {
// Parses "YYYY-MM-DDTHH:MM:SS" and returns seconds since the epoch (UTC) and the rest.
bool ParseDateTime(std::string_view text, std::time_t* epoch, std::string_view* rest) {
  if (text.size() < 19) return false;
  std::tm parts{};
  int year, month, day, hour, minute, second;
  std::string head(text.substr(0, 19));
  if (std::sscanf(head.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute,
                  &second) != 6 ||
      head[4] != '-' || head[7] != '-' || (head[10] != 'T' && head[10] != 't') || head[13] != ':' ||
      head[16] != ':')
    return false;
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  *epoch = timegm(&parts);
  *rest = text.substr(19);
  return true;
}

// Parses "Z" or "+HH:MM"; returns the offset in seconds.
bool ParseZone(std::string_view zone, long* offset) {
  if (zone == "Z" || zone == "z") {
    *offset = 0;
    return true;
  }
  int hours, minutes;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return false;
  std::string text(zone.substr(1));
  if (std::sscanf(text.c_str(), "%2d:%2d", &hours, &minutes) != 2) return false;
  *offset = (hours * 3600L + minutes * 60L) * (zone[0] == '-' ? -1 : 1);
  return true;
}
}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseTime(std::string_view text) {
  std::time_t epoch;
  std::string_view rest;
  if (!ParseDateTime(text, &epoch, &rest)) return std::nullopt;
  if (!rest.empty() && rest[0] == '.') {
    size_t digits = rest.find_first_not_of("0123456789", 1);
    if (digits == std::string_view::npos) return std::nullopt;
    rest = rest.substr(digits);
  }
  long offset;
  if (!ParseZone(rest, &offset)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(epoch - offset);
}

std::optional<std::string> NormalizeMicroTime(std::string_view text, std::string* error) {
  const std::string layout = "\"2006-01-02T15:04:05.000000Z07:00\"";
  auto fail = [&](std::string_view bad, std::string_view expected) -> std::optional<std::string> {
    if (error)
      *error = "parsing time \"" + std::string(text) + "\" as " + layout + ": cannot parse \"" +
               std::string(bad) + "\" as \"" + std::string(expected) + "\"";
    return std::nullopt;
  };
  std::time_t epoch;
  std::string_view rest;
  if (!ParseDateTime(text, &epoch, &rest)) return fail(text, "2006");
  if (rest.size() < 7 || rest[0] != '.' ||
      rest.substr(1, 6).find_first_not_of("0123456789") != std::string_view::npos)
    return fail(rest, ".000000");
  std::string micros(rest.substr(1, 6));
  std::string_view zone = rest.substr(7);
  long offset;
  if (!ParseZone(zone, &offset)) return fail(zone, "Z07:00");
  std::time_t utc = epoch - offset;
  std::tm parts{};
  gmtime_r(&utc, &parts);
  char buffer[40];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &parts);
  return std::string(buffer) + "." + micros + "Z";
}

std::string NewUuid() {
  std::uniform_int_distribution<int> nibble(0, 15);
  const char* hex = "0123456789abcdef";
  std::string uuid = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
  for (char& c : uuid) {
    if (c == 'x') c = hex[nibble(Rng())];
    if (c == 'y') c = hex[8 + (nibble(Rng()) & 3)];
  }
  return uuid;
}

std::string RandomNameSuffix() {
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
  std::string suffix;
  for (int i = 0; i < 5; ++i) suffix += kAlphabet[pick(Rng())];
  return suffix;
}

std::string HumanDuration(std::chrono::seconds age) {
  // Mirrors k8s.io/apimachinery/pkg/util/duration.HumanDuration.
  long long seconds = age.count();
  if (seconds < 0) seconds = 0;
  char buffer[64];
  if (seconds < 60 * 2) {
    std::snprintf(buffer, sizeof(buffer), "%llds", seconds);
  } else if (seconds < 60 * 10) {
    long long s = seconds % 60;
    if (s == 0)
      std::snprintf(buffer, sizeof(buffer), "%lldm", seconds / 60);
    else
      std::snprintf(buffer, sizeof(buffer), "%lldm%llds", seconds / 60, s);
  } else if (seconds < 60 * 60 * 3) {
    std::snprintf(buffer, sizeof(buffer), "%lldm", seconds / 60);
  } else if (seconds < 60 * 60 * 8) {
    long long m = (seconds / 60) % 60;
    if (m == 0)
      std::snprintf(buffer, sizeof(buffer), "%lldh", seconds / 3600);
    else
      std::snprintf(buffer, sizeof(buffer), "%lldh%lldm", seconds / 3600, m);
  } else if (seconds < 60 * 60 * 48) {
    std::snprintf(buffer, sizeof(buffer), "%lldh", seconds / 3600);
  } else if (seconds < 60 * 60 * 24 * 8) {
    long long h = (seconds / 3600) % 24;
    if (h == 0)
      std::snprintf(buffer, sizeof(buffer), "%lldd", seconds / 86400);
    else
      std::snprintf(buffer, sizeof(buffer), "%lldd%lldh", seconds / 86400, h);
  } else if (seconds < 60 * 60 * 24 * 365 * 2) {
    std::snprintf(buffer, sizeof(buffer), "%lldd", seconds / 86400);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%lldy", seconds / (86400 * 365));
  }
  return buffer;
}

namespace {
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string Base64Encode(std::string_view data) {
  std::string out;
  size_t i = 0;
  while (i + 2 < data.size()) {
    unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                 (static_cast<unsigned char>(data[i + 1]) << 8) |
                 static_cast<unsigned char>(data[i + 2]);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
    i += 3;
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += (i + 1 < data.size()) ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Base64UrlEncode(std::string_view data) {
  std::string out = Base64Encode(data);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view data) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : data) {
    if (c == '=') break;
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '-' || c == '+')
      value = 62;
    else if (c == '_' || c == '/')
      value = 63;
    else
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

const Json* Find(const Json& value, std::string_view key) {
  if (!value.is_object()) return nullptr;
  auto it = value.find(std::string(key));
  return it == value.end() ? nullptr : &*it;
}

Json* FindMutable(Json& value, std::string_view key) {
  if (!value.is_object()) return nullptr;
  auto it = value.find(std::string(key));
  return it == value.end() ? nullptr : &*it;
}

std::string GetString(const Json& value, std::string_view key) {
  const Json* found = Find(value, key);
  return (found && found->is_string()) ? found->get<std::string>() : std::string();
}

const Json* FindPath(const Json& value, std::initializer_list<std::string_view> path) {
  const Json* current = &value;
  for (auto key : path) {
    current = Find(*current, key);
    if (!current) return nullptr;
  }
  return current;
}

}  // namespace numalign::test_apiserver
