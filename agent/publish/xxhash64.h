#pragma once

#include <cstdint>
#include <string_view>

namespace numalign::agent::publish {

// XXH64 (xxHash, 64-bit variant), the hash the podfingerprint library uses. Implemented here
// because Debian's libxxhash-dev is not among the project's dependencies and the algorithm is
// small; checked against the published reference values in xxhash64_test.cpp.
std::uint64_t XxHash64(std::string_view data, std::uint64_t seed = 0);

}  // namespace numalign::agent::publish
