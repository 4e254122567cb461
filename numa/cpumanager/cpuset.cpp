#include "numa/cpumanager/cpuset.h"

#include <algorithm>
#include <bit>
#include <charconv>

namespace numalign::numa {
namespace {

// Go's strconv.Atoi accepts an optional sign and decimal digits only; ids here must also be
// non-negative and below the sanity limit.
std::optional<int> ParseCpuId(std::string_view text, std::string* error) {
  int value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    if (error) *error = "invalid cpu id \"" + std::string(text) + "\": not a number";
    return std::nullopt;
  }
  if (value < 0 || value >= CpuSet::kMaxCpuId) {
    if (error) *error = "cpu id " + std::string(text) + " is out of range";
    return std::nullopt;
  }
  return value;
}

}  // namespace

CpuSet CpuSet::Of(std::initializer_list<int> cpus) {
  CpuSet set;
  for (int cpu : cpus) set.Add(cpu);
  return set;
}

CpuSet CpuSet::Of(const std::vector<int>& cpus) {
  CpuSet set;
  for (int cpu : cpus) set.Add(cpu);
  return set;
}

CpuSet CpuSet::Range(int first, int last) {
  CpuSet set;
  for (int cpu = std::max(first, 0); cpu <= last; ++cpu) set.Add(cpu);
  return set;
}

std::optional<CpuSet> CpuSet::Parse(std::string_view text, std::string* error) {
  CpuSet result;
  if (text.empty()) return result;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view element = text.substr(start, comma - start);
    const std::size_t dash = element.find('-');
    if (dash == std::string_view::npos) {
      const auto cpu = ParseCpuId(element, error);
      if (!cpu) return std::nullopt;
      result.Add(*cpu);
    } else {
      const auto first = ParseCpuId(element.substr(0, dash), error);
      if (!first) return std::nullopt;
      const auto last = ParseCpuId(element.substr(dash + 1), error);
      if (!last) return std::nullopt;
      if (*first > *last) {
        if (error) {
          *error = "invalid range \"" + std::string(element) + "\" (" + std::to_string(*first) +
                   " > " + std::to_string(*last) + ")";
        }
        return std::nullopt;
      }
      for (int cpu = *first; cpu <= *last; ++cpu) result.Add(cpu);
    }
    start = comma + 1;
  }
  return result;
}

std::string CpuSet::ToString() const {
  std::string out;
  int run_start = -1;
  int previous = -2;
  auto flush = [&]() {
    if (run_start < 0) return;
    if (!out.empty()) out += ',';
    out += std::to_string(run_start);
    if (previous != run_start) out += '-' + std::to_string(previous);
  };
  ForEach([&](int cpu) {
    if (cpu != previous + 1) {
      flush();
      run_start = cpu;
    }
    previous = cpu;
  });
  flush();
  return out;
}

std::vector<int> CpuSet::ToVector() const {
  std::vector<int> out;
  out.reserve(size());
  ForEach([&](int cpu) { out.push_back(cpu); });
  return out;
}

std::size_t CpuSet::size() const {
  std::size_t count = 0;
  for (std::uint64_t word : words_) count += static_cast<std::size_t>(std::popcount(word));
  return count;
}

int CpuSet::Min() const {
  for (std::size_t w = 0; w < words_.size(); ++w) {
    if (words_[w] != 0) return static_cast<int>(w * 64 + std::countr_zero(words_[w]));
  }
  return -1;
}

bool CpuSet::Contains(int cpu) const {
  if (cpu < 0) return false;
  const std::size_t w = static_cast<std::size_t>(cpu) / 64;
  return w < words_.size() && ((words_[w] >> (cpu % 64)) & 1U) != 0;
}

bool CpuSet::IsSubsetOf(const CpuSet& other) const {
  for (std::size_t w = 0; w < words_.size(); ++w) {
    const std::uint64_t theirs = w < other.words_.size() ? other.words_[w] : 0;
    if ((words_[w] & ~theirs) != 0) return false;
  }
  return true;
}

bool CpuSet::Intersects(const CpuSet& other) const {
  const std::size_t n = std::min(words_.size(), other.words_.size());
  for (std::size_t w = 0; w < n; ++w) {
    if ((words_[w] & other.words_[w]) != 0) return true;
  }
  return false;
}

std::size_t CpuSet::IntersectionSize(const CpuSet& other) const {
  const std::size_t n = std::min(words_.size(), other.words_.size());
  std::size_t count = 0;
  for (std::size_t w = 0; w < n; ++w) {
    count += static_cast<std::size_t>(std::popcount(words_[w] & other.words_[w]));
  }
  return count;
}

void CpuSet::Add(int cpu) {
  if (cpu < 0) return;
  const std::size_t w = static_cast<std::size_t>(cpu) / 64;
  if (w >= words_.size()) words_.resize(w + 1, 0);
  words_[w] |= std::uint64_t{1} << (cpu % 64);
}

void CpuSet::Remove(int cpu) {
  if (!Contains(cpu)) return;
  words_[static_cast<std::size_t>(cpu) / 64] &= ~(std::uint64_t{1} << (cpu % 64));
  Trim();
}

CpuSet CpuSet::Union(const CpuSet& other) const {
  CpuSet out = words_.size() >= other.words_.size() ? *this : other;
  const CpuSet& smaller = words_.size() >= other.words_.size() ? other : *this;
  for (std::size_t w = 0; w < smaller.words_.size(); ++w) out.words_[w] |= smaller.words_[w];
  return out;
}

CpuSet CpuSet::Intersection(const CpuSet& other) const {
  CpuSet out;
  const std::size_t n = std::min(words_.size(), other.words_.size());
  out.words_.resize(n);
  for (std::size_t w = 0; w < n; ++w) out.words_[w] = words_[w] & other.words_[w];
  out.Trim();
  return out;
}

CpuSet CpuSet::Difference(const CpuSet& other) const {
  CpuSet out = *this;
  const std::size_t n = std::min(out.words_.size(), other.words_.size());
  for (std::size_t w = 0; w < n; ++w) out.words_[w] &= ~other.words_[w];
  out.Trim();
  return out;
}

void CpuSet::Trim() {
  while (!words_.empty() && words_.back() == 0) words_.pop_back();
}

}  // namespace numalign::numa
