#include "common/checksum/crc32c.h"

#include <gtest/gtest.h>

namespace numalign::checksum {
namespace {

TEST(Crc32cTest, StandardCheckValues) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);  // the CRC-32C "check" value
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);
}

TEST(Crc32cTest, EverySingleByteChangeIsDetected) {
  const std::string data = R"({"machineState":{"0":{"memoryMap":{"memory":{"total":1024}}}}})";
  const std::uint32_t good = Crc32c(data);
  for (std::size_t i = 0; i < data.size(); ++i) {
    for (int flip : {0x01, 0x10, 0x80, 0xff}) {
      std::string bad = data;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      EXPECT_NE(Crc32c(bad), good) << i;
    }
  }
}

}  // namespace
}  // namespace numalign::checksum
