#include "agent/state/state_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

#include "common/checksum/crc32c.h"

namespace numalign::agent::state {
namespace {

// Part of a temporary file's name. Random, not a counter: an agent in a container is often PID 1
// in every incarnation, so pid + counter would collide with a temporary its crashed predecessor
// left behind. The clock and a counter stand in should std::random_device throw.
std::uint64_t TemporaryNonce() {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t nonce =
      static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) ^
      (counter.fetch_add(1) * 0x9E3779B97F4A7C15ull);
  try {
    std::random_device random;
    nonce ^= (std::uint64_t{random()} << 32) | random();
  } catch (...) {
  }
  return nonce;
}

// Compact dump; throws nlohmann::json::type_error on invalid UTF-8, which callers catch.
std::string Canonical(const nlohmann::json& document) {
  return document.dump();
}

}  // namespace

StateFile::StateFile(std::string path, DurableIo& io) : path_(std::move(path)), io_(io) {}

std::string StateFile::Directory() const {
  const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

std::string StateFile::TemporaryPrefix() const {
  return std::filesystem::path(path_).filename().string() + ".tmp-";
}

StateResult<std::uint32_t> StateFile::ComputeChecksum(const nlohmann::json& document) {
  if (!document.is_object()) {
    return StateError{StateErrorKind::kInvalidDocument, "", "the document is not a JSON object"};
  }
  try {
    nlohmann::json zeroed = document;
    zeroed[kChecksumField] = 0;
    return checksum::Crc32c(Canonical(zeroed));
  } catch (const std::exception& e) {
    return StateError{StateErrorKind::kInvalidDocument, "",
                      fmt::format("cannot serialize the document: {}", e.what())};
  }
}

StateResult<nlohmann::json> StateFile::Load() const {
  auto text = io_.ReadFile(path_);
  if (!text) {
    const IoError& error = text.error();
    if (error.sys_errno == ENOENT) {
      return StateError{StateErrorKind::kMissing, path_, "no such file", ENOENT};
    }
    return StateError{StateErrorKind::kIo, path_, error.ToString(), error.sys_errno};
  }
  // No exceptions: a parse error gives a discarded value.
  nlohmann::json document = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return StateError{
        StateErrorKind::kUnparsable, path_,
        fmt::format("not valid JSON ({} bytes; truncated or overwritten?)", text->size())};
  }
  if (!document.is_object()) {
    return StateError{StateErrorKind::kUnparsable, path_, "the top level is not a JSON object"};
  }
  const auto stored = document.find(kChecksumField);
  if (stored == document.end() || !stored->is_number_unsigned()) {
    return StateError{StateErrorKind::kChecksumMismatch, path_,
                      "no unsigned \"checksum\" field, so the content cannot be verified"};
  }
  const std::uint64_t stored_value = stored->get<std::uint64_t>();
  auto computed = ComputeChecksum(document);
  if (!computed) {
    StateError error = computed.error();
    error.kind = StateErrorKind::kUnparsable;
    error.path = path_;
    return error;
  }
  if (stored_value != *computed) {
    return StateError{StateErrorKind::kChecksumMismatch, path_,
                      fmt::format("stored checksum {:#010x}, content hashes to {:#010x}: the file "
                                  "is corrupted",
                                  stored_value, *computed)};
  }
  document.erase(kChecksumField);
  return document;
}

StateStatus StateFile::Save(const nlohmann::json& document) {
  auto checksum = ComputeChecksum(document);
  if (!checksum) {
    StateError error = checksum.error();
    error.path = path_;
    return error;
  }
  std::string content;
  try {
    nlohmann::json stamped = document;
    stamped[kChecksumField] = *checksum;
    content = Canonical(stamped) + "\n";
  } catch (const std::exception& e) {
    return StateError{StateErrorKind::kInvalidDocument, path_, e.what()};
  }

  const std::string temporary = fmt::format("{}/{}{}-{:016x}", Directory(), TemporaryPrefix(),
                                            static_cast<long>(::getpid()), TemporaryNonce());
  auto fail = [&](const IoError& error, std::string_view what) {
    // Best effort: a leftover temporary is harmless (never read) and cleaned later.
    (void)io_.Remove(temporary);
    return StateError{StateErrorKind::kIo, path_,
                      fmt::format("{}; the previous file is intact: {}", what, error.ToString()),
                      error.sys_errno};
  };
  if (auto written = io_.WriteNewFileSynced(temporary, content); !written) {
    return fail(written.error(), "writing the new content failed");
  }
  if (auto renamed = io_.Rename(temporary, path_); !renamed) {
    return fail(renamed.error(), "replacing the file failed");
  }
  if (auto synced = io_.SyncDirectory(Directory()); !synced) {
    // The new content is in place and complete, but a power loss could still undo the rename.
    const IoError& error = synced.error();
    return StateError{
        StateErrorKind::kIo, path_,
        fmt::format("the new content is in place but not yet durable: {}", error.ToString()),
        error.sys_errno};
  }
  return {};
}

StateResult<int> StateFile::CleanStaleTemporaries() {
  auto entries = io_.ListDirectory(Directory());
  if (!entries) {
    return StateError{StateErrorKind::kIo, path_, entries.error().ToString(),
                      entries.error().sys_errno};
  }
  const std::string prefix = TemporaryPrefix();
  int removed = 0;
  for (const std::string& name : *entries) {
    if (!name.starts_with(prefix)) continue;
    const std::string temporary = fmt::format("{}/{}", Directory(), name);
    if (auto gone = io_.Remove(temporary); !gone) {
      return StateError{StateErrorKind::kIo, path_, gone.error().ToString(),
                        gone.error().sys_errno};
    }
    ++removed;
  }
  if (removed > 0) (void)io_.SyncDirectory(Directory());
  return removed;
}

}  // namespace numalign::agent::state
