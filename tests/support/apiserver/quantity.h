// resource.Quantity parsing and canonical formatting (built-in types store quantities canonically:
// 8000m -> 8, 16384Mi -> 16Gi, 1.5Gi -> 1536Mi, 0.5 -> 500m).
#pragma once

#include <optional>
#include <string>

namespace numalign::test_apiserver {

__extension__ typedef __int128 Int128;  // exact nano-unit arithmetic up to exabytes

struct Quantity {
  // Value in nano-units (1e-9), exact for every quantity numalign uses.
  Int128 nanos = 0;
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent } format = Format::kDecimalSI;
};

std::optional<Quantity> ParseQuantity(const std::string& text);
std::string CanonicalQuantity(const Quantity& quantity);
// The error kube-apiserver reports for an unparsable quantity.
inline constexpr const char* kQuantityRegexError =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

}  // namespace numalign::test_apiserver
