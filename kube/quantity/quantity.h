#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace numalign::kube {

// Kubernetes resource.Quantity: "8", "500m", "16Gi", "1.5G", "2e3". Held exactly as a count of
// milli-units (enough for every CPU count and for memory up to ~9 PB), with the suffix family
// it was written in so formatting stays in that family, as the API canonicalises it.
class Quantity {
 public:
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  Quantity() = default;
  static Quantity FromMilli(std::int64_t milli, Format format = Format::kDecimalSI);
  static Quantity FromValue(std::int64_t value, Format format = Format::kDecimalSI);

  // nullopt for text that is not a quantity or does not fit.
  static std::optional<Quantity> Parse(std::string_view text);
  // Throws std::invalid_argument naming the text.
  static Quantity ParseOrThrow(std::string_view text);

  std::int64_t MilliValue() const { return milli_; }
  // Whole units, rounded up as resource.Quantity.Value() does ("500m" -> 1).
  std::int64_t Value() const;
  Format format() const { return format_; }
  bool IsZero() const { return milli_ == 0; }

  // Canonical text: "1536Mi", "500m", "8", "16Gi".
  std::string ToString() const;

  Quantity operator+(const Quantity& o) const { return FromMilli(milli_ + o.milli_, format_); }
  Quantity operator-(const Quantity& o) const { return FromMilli(milli_ - o.milli_, format_); }
  auto operator<=>(const Quantity& o) const { return milli_ <=> o.milli_; }
  bool operator==(const Quantity& o) const { return milli_ == o.milli_; }

 private:
  std::int64_t milli_ = 0;
  Format format_ = Format::kDecimalSI;
};

}  // namespace numalign::kube
