#include "numa/topology/sysfs_files.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "numa/topology/cpu_list.h"

namespace numalign::numa {
namespace {

// Refuse absurdly large files: every file read here is at most a few KiB (a 4096-CPU hex mask is
// ~1.2 KiB); this keeps a wrong path (say, a device node) from hanging or exhausting memory.
constexpr std::size_t kMaxFileBytes = 1 << 20;

std::string_view Trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

template <typename T>
std::optional<T> Fail(std::string* error, const std::filesystem::path& path,
                      const std::string& what) {
  if (error) *error = path.string() + ": " + what;
  return std::nullopt;
}

std::string Quote(std::string_view text) {
  constexpr std::size_t kShown = 40;
  std::string shown(text.substr(0, kShown));
  for (char& c : shown) {
    if (c == '\n' || c == '\0') c = ' ';
  }
  return "'" + shown + (text.size() > kShown ? "...'" : "'");
}

}  // namespace

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  text = Trim(text);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::string> ReadTextFile(const std::filesystem::path& path, std::string* error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Fail<std::string>(error, path, "is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Fail<std::string>(error, path, std::string("cannot open: ") + std::strerror(errno));
  std::string content;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > kMaxFileBytes) return Fail<std::string>(error, path, "file too large");
  }
  if (in.bad()) return Fail<std::string>(error, path, "read error");
  return content;
}

std::optional<std::string> ReadFirstLine(const std::filesystem::path& path, std::string* error) {
  auto content = ReadTextFile(path, error);
  if (!content) return std::nullopt;
  std::string_view text = *content;
  // Skip leading blank lines, then take the first real one.
  text = Trim(text);
  return std::string(Trim(text.substr(0, text.find('\n'))));
}

std::optional<std::int64_t> ReadIntFile(const std::filesystem::path& path, std::string* error) {
  auto line = ReadFirstLine(path, error);
  if (!line) return std::nullopt;
  auto value = ParseInteger(*line);
  if (!value) return Fail<std::int64_t>(error, path, "expected an integer, found " + Quote(*line));
  return value;
}

std::optional<std::vector<int>> ReadListFile(const std::filesystem::path& path,
                                             std::string* error) {
  auto line = ReadFirstLine(path, error);
  if (!line) return std::nullopt;
  std::string why;
  auto ids = ParseCpuList(*line, &why);
  if (!ids) return Fail<std::vector<int>>(error, path, why + " in " + Quote(*line));
  return ids;
}

std::optional<std::vector<int>> ReadMaskFile(const std::filesystem::path& path,
                                             std::string* error) {
  auto line = ReadFirstLine(path, error);
  if (!line) return std::nullopt;
  std::string why;
  auto ids = ParseHexCpuMask(*line, &why);
  if (!ids) return Fail<std::vector<int>>(error, path, why + " in " + Quote(*line));
  return ids;
}

std::optional<std::uint64_t> ReadMeminfoBytes(const std::filesystem::path& path,
                                              std::string_view key, std::string* error) {
  auto content = ReadTextFile(path, error);
  if (!content) return std::nullopt;
  std::istringstream lines(*content);
  const std::string wanted = std::string(key) + ":";
  for (std::string line; std::getline(lines, line);) {
    // Split at the colon rather than by column: padding changes with the width of the numbers.
    std::istringstream words(line);
    std::string word;
    bool found = false;
    while (words >> word) {
      if (word == wanted) {
        found = true;
        break;
      }
    }
    if (!found) continue;
    std::string number, unit;
    words >> number >> unit;
    auto kib = ParseInteger(number);
    if (!kib || *kib < 0 || unit != "kB") {
      return Fail<std::uint64_t>(error, path,
                                 "malformed " + std::string(key) + " line " + Quote(line));
    }
    return static_cast<std::uint64_t>(*kib) * 1024;  // "kB" in kernel output is KiB
  }
  return Fail<std::uint64_t>(error, path, "no " + std::string(key) + " line");
}

}  // namespace numalign::numa
