#include "numa/topologymanager/bitmask.h"

namespace numalign::numa {

NumaMask NumaMask::Of(std::initializer_list<int> positions) {
  return Of(std::vector<int>(positions));
}

NumaMask NumaMask::Of(const std::vector<int>& positions) {
  std::uint64_t bits = 0;
  for (int p : positions) bits |= std::uint64_t{1} << p;
  return NumaMask(bits);
}

std::vector<int> NumaMask::Bits() const {
  std::vector<int> out;
  out.reserve(Count());
  for (std::uint64_t b = bits_; b != 0; b &= b - 1) out.push_back(std::countr_zero(b));
  return out;
}

std::string NumaMask::ToString() const {
  std::string s = "{";
  bool first = true;
  for (int b : Bits()) {
    if (!first) s += ",";
    s += std::to_string(b);
    first = false;
  }
  return s + "}";
}

}  // namespace numalign::numa
