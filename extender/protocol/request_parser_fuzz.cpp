// libFuzzer target for the extender's request parsers (build with -DNUMALIGN_BUILD_FUZZ=ON and
// clang). Run: extender_request_parser_fuzz extender/protocol/testdata/malformed
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extender/protocol/parser_exerciser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  numalign::extender::protocol::exercise_request_parsers(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
