#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalign::numa {

// Small readers for sysfs/procfs files. Each returns nullopt on failure and puts a message that
// names the file into `error`; none throws.

// The whole file. sysfs files report a fake size (4096 or 0), so this reads until EOF.
std::optional<std::string> ReadTextFile(const std::filesystem::path& path, std::string* error);

// The first line, with surrounding whitespace and NULs removed. The kernel writes one line;
// recorded dumps sometimes carry extra blank or junk lines (e.g. "0-7\n \n"), which are ignored.
std::optional<std::string> ReadFirstLine(const std::filesystem::path& path, std::string* error);

// One decimal integer (may be negative: physical_package_id is -1 on some arm64 kernels).
std::optional<std::int64_t> ReadIntFile(const std::filesystem::path& path, std::string* error);

// A kernel list-format file ("0-3,8").
std::optional<std::vector<int>> ReadListFile(const std::filesystem::path& path, std::string* error);

// A kernel hex-mask file ("00000000,000000ff").
std::optional<std::vector<int>> ReadMaskFile(const std::filesystem::path& path, std::string* error);

// The value of `key` (e.g. "MemTotal") in a meminfo-style file, converted from kB to bytes.
// Handles both "/proc/meminfo" ("MemTotal:  123 kB") and node meminfo ("Node 0 MemTotal: 123 kB").
std::optional<std::uint64_t> ReadMeminfoBytes(const std::filesystem::path& path,
                                              std::string_view key, std::string* error);

// Whole-number parse of `text` (after trimming whitespace and NULs); nullopt on anything else.
std::optional<std::int64_t> ParseInteger(std::string_view text);

}  // namespace numalign::numa
