#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace numalign::numa {

// Exact 128-bit arithmetic for nano-unit amounts (GCC/Clang extension, hence __extension__).
__extension__ typedef __int128 Int128;

// A Kubernetes resource.Quantity, held exactly as a signed count of nano-units. Kubernetes
// itself rounds anything finer than 1n up to 1n, so nano-units lose nothing it would keep, and
// exact integers let QoS compare requests with limits the way Quantity.Cmp does.
class Quantity {
 public:
  Quantity() = default;
  static Quantity FromInt(std::int64_t units) {
    return Quantity(static_cast<Int128>(units) * kNano);
  }

  // Parses every form Kubernetes accepts: plain and decimal numbers ("1", "0.5", "+3"), decimal SI
  // suffixes (n u m k M G T P E), binary SI suffixes (Ki Mi Gi Ti Pi Ei) and exponents ("1e3",
  // "2E-2"). Values whose magnitude exceeds what Kubernetes can store (2^63-1 units) are rejected
  // instead of being silently capped. `error` receives the reason on failure.
  static std::optional<Quantity> Parse(std::string_view text, std::string* error);

  bool IsNegative() const { return nanos_ < 0; }
  bool IsZero() const { return nanos_ == 0; }
  // Kubernetes' Value() and MilliValue(): rounded up to the next whole unit / milli-unit.
  std::int64_t ValueCeil() const;
  std::int64_t MilliValueCeil() const;
  // Kubernetes' AsInt64(): the integer value, or nullopt when the quantity has a fraction.
  std::optional<std::int64_t> AsInt64() const;

  Quantity operator+(const Quantity& o) const { return Quantity(nanos_ + o.nanos_); }
  auto operator<=>(const Quantity& o) const { return nanos_ <=> o.nanos_; }
  bool operator==(const Quantity& o) const { return nanos_ == o.nanos_; }

  // A canonical-enough rendering for messages: whole units when exact, else milli or nano.
  std::string ToString() const;

 private:
  static constexpr Int128 kNano = 1000000000;
  explicit Quantity(Int128 nanos) : nanos_(nanos) {}
  Int128 nanos_ = 0;
};

}  // namespace numalign::numa
