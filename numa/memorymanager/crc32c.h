#pragma once

#include <cstdint>
#include <string_view>

namespace numalign::numa {

// CRC-32C (Castagnoli), the checksum numalign puts in its own state files.
std::uint32_t Crc32c(std::string_view data);

}  // namespace numalign::numa
