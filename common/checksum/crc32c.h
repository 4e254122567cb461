#pragma once

#include <boost/crc.hpp>
#include <cstdint>
#include <string_view>

// Header-only on purpose: numa/ (which links nothing of common/) checksums its checkpoints with
// it too.
namespace numalign::checksum {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78; iSCSI, ext4, btrfs), the checksum of
// numalign's own state files: it detects every error burst up to 32 bits, so any single
// corrupted byte, and a checkpoint is a few KiB, where a faster hash would buy nothing.
using Crc32cEngine = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;

inline std::uint32_t Crc32c(std::string_view data) {
  Crc32cEngine crc;
  crc.process_bytes(data.data(), data.size());
  return crc.checksum();
}

}  // namespace numalign::checksum
