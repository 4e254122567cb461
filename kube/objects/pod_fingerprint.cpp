#include "kube/objects/pod_fingerprint.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>

namespace numalign::kube {
namespace {

// XXH64, the hash of the podfingerprint library (Debian's libxxhash).
std::uint64_t XxHash64(std::string_view data, std::uint64_t seed = 0) {
  return XXH64(data.data(), data.size(), seed);
}

}  // namespace

std::string_view FingerprintMethodName(FingerprintMethod method) {
  switch (method) {
    case FingerprintMethod::kAll:
      return "all";
    case FingerprintMethod::kWithExclusiveResources:
      return "with-exclusive-resources";
  }
  return "all";
}

bool ParseFingerprintMethod(std::string_view text, FingerprintMethod* method) {
  if (text == "all") {
    *method = FingerprintMethod::kAll;
    return true;
  }
  if (text == "with-exclusive-resources") {
    *method = FingerprintMethod::kWithExclusiveResources;
    return true;
  }
  return false;
}

std::uint64_t PodFingerprint::PodHash(std::string_view namespace_name, std::string_view name) {
  // The namespace's hash seeds the name's hash: the library's per-pod value.
  return XxHash64(name, XxHash64(namespace_name));
}

void PodFingerprint::Add(std::string_view namespace_name, std::string_view name) {
  AddPodHash(PodHash(namespace_name, name));
}

void PodFingerprint::AddPodHash(std::uint64_t pod_hash) {
  pod_hashes_.push_back(pod_hash);
}

std::string PodFingerprint::Sign() const {
  std::vector<std::uint64_t> sorted = pod_hashes_;
  std::sort(sorted.begin(), sorted.end());  // order independence
  std::string bytes;
  bytes.reserve(sorted.size() * 8);
  for (std::uint64_t h : sorted) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((h >> (8 * i)) & 0xFF));
  }
  // The library renders the digest big-endian (Go's hash.Sum), i.e. the plain hex of the value.
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XxHash64(bytes)));
  return std::string("pfp0v001") + hex;
}

}  // namespace numalign::kube
