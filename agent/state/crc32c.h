#pragma once

#include <cstdint>
#include <string_view>

namespace numalign::agent::state {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4 and btrfs
// metadata. Chosen for the checkpoint over xxhash because it needs no new package (this image
// has only the xxhash runtime library, not libxxhash-dev, and a new package means changing the
// project-wide install script), it is a dozen lines with a standard check value to test against,
// and it detects every error burst up to 32 bits, so any single corrupted byte. A checkpoint is a
// few KiB: xxhash's speed would buy nothing.
std::uint32_t Crc32c(std::string_view data);

// Continues a CRC over more data: Crc32c(a + b) == Crc32cExtend(Crc32c(a), b).
std::uint32_t Crc32cExtend(std::uint32_t crc, std::string_view data);

}  // namespace numalign::agent::state
