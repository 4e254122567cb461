#include "agent/publish/xxhash64.h"

#include <bit>
#include <cstring>

namespace numalign::agent::publish {

namespace {

constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

// XXH64 is defined over little-endian reads whatever the host order is.
std::uint64_t ReadLittle64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::uint64_t ReadLittle32(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::uint64_t Round(std::uint64_t accumulator, std::uint64_t lane) {
  accumulator += lane * kPrime2;
  accumulator = std::rotl(accumulator, 31);
  return accumulator * kPrime1;
}

std::uint64_t MergeRound(std::uint64_t hash, std::uint64_t accumulator) {
  hash ^= Round(0, accumulator);
  return hash * kPrime1 + kPrime4;
}

}  // namespace

std::uint64_t XxHash64(std::string_view data, std::uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const auto* const end = p + data.size();
  std::uint64_t hash = 0;

  if (data.size() >= 32) {
    std::uint64_t v1 = seed + kPrime1 + kPrime2;
    std::uint64_t v2 = seed + kPrime2;
    std::uint64_t v3 = seed;
    std::uint64_t v4 = seed - kPrime1;
    while (end - p >= 32) {
      v1 = Round(v1, ReadLittle64(p));
      v2 = Round(v2, ReadLittle64(p + 8));
      v3 = Round(v3, ReadLittle64(p + 16));
      v4 = Round(v4, ReadLittle64(p + 24));
      p += 32;
    }
    hash = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
    hash = MergeRound(hash, v1);
    hash = MergeRound(hash, v2);
    hash = MergeRound(hash, v3);
    hash = MergeRound(hash, v4);
  } else {
    hash = seed + kPrime5;
  }

  hash += static_cast<std::uint64_t>(data.size());

  while (end - p >= 8) {
    hash ^= Round(0, ReadLittle64(p));
    hash = std::rotl(hash, 27) * kPrime1 + kPrime4;
    p += 8;
  }
  if (end - p >= 4) {
    hash ^= ReadLittle32(p) * kPrime1;
    hash = std::rotl(hash, 23) * kPrime2 + kPrime3;
    p += 4;
  }
  while (p < end) {
    hash ^= static_cast<std::uint64_t>(*p) * kPrime5;
    hash = std::rotl(hash, 11) * kPrime1;
    ++p;
  }

  // Final avalanche so every input bit affects every output bit.
  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

}  // namespace numalign::agent::publish
