#include "kube/quantity/quantity.h"

#include <array>
#include <cctype>
#include <limits>
#include <stdexcept>

namespace numalign::kube {

namespace {

__extension__ typedef __int128 Int128;

struct Suffix {
  std::string_view text;
  Quantity::Format format;
  int base;      // 2 or 10
  int exponent;  // power of base
};

constexpr std::array<Suffix, 13> kSuffixes{{
    {"Ki", Quantity::Format::kBinarySI, 2, 10},
    {"Mi", Quantity::Format::kBinarySI, 2, 20},
    {"Gi", Quantity::Format::kBinarySI, 2, 30},
    {"Ti", Quantity::Format::kBinarySI, 2, 40},
    {"Pi", Quantity::Format::kBinarySI, 2, 50},
    {"Ei", Quantity::Format::kBinarySI, 2, 60},
    {"n", Quantity::Format::kDecimalSI, 10, -9},
    {"u", Quantity::Format::kDecimalSI, 10, -6},
    {"m", Quantity::Format::kDecimalSI, 10, -3},
    {"k", Quantity::Format::kDecimalSI, 10, 3},
    {"M", Quantity::Format::kDecimalSI, 10, 6},
    {"G", Quantity::Format::kDecimalSI, 10, 9},
    {"T", Quantity::Format::kDecimalSI, 10, 12},
}};

constexpr Int128 kMax = std::numeric_limits<std::int64_t>::max();

Int128 Pow(int base, int exponent) {
  Int128 out = 1;
  for (int i = 0; i < exponent; ++i) {
    out *= base;
    if (out > kMax * 1000) return -1;  // overflow marker
  }
  return out;
}

}  // namespace

Quantity Quantity::FromMilli(std::int64_t milli, Format format) {
  Quantity q;
  q.milli_ = milli;
  q.format_ = format;
  return q;
}

Quantity Quantity::FromValue(std::int64_t value, Format format) {
  return FromMilli(value * 1000, format);
}

std::optional<Quantity> Quantity::Parse(std::string_view text) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  Int128 mantissa = 0;
  int fraction_digits = 0;
  int digits = 0;
  bool seen_point = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    if (mantissa > kMax * 1000) return std::nullopt;
    mantissa = mantissa * 10 + (c - '0');
    ++digits;
    if (seen_point) ++fraction_digits;
  }
  if (digits == 0) return std::nullopt;
  const std::string_view suffix = text.substr(pos);
  Format format = Format::kDecimalSI;
  int base = 10;
  int exponent = 0;
  if (!suffix.empty()) {
    bool matched = false;
    for (const auto& s : kSuffixes) {
      if (suffix == s.text) {
        format = s.format;
        base = s.base;
        exponent = s.exponent;
        matched = true;
        break;
      }
    }
    if (!matched && (suffix == "P" || suffix == "E")) {
      exponent = suffix == "P" ? 15 : 18;
      matched = true;
    }
    if (!matched && (suffix[0] == 'e' || suffix[0] == 'E') && suffix.size() > 1) {
      std::size_t i = 1;
      bool neg_exp = false;
      if (suffix[i] == '+' || suffix[i] == '-') neg_exp = suffix[i++] == '-';
      if (i >= suffix.size()) return std::nullopt;
      int e = 0;
      for (; i < suffix.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(suffix[i])) || e > 100) return std::nullopt;
        e = e * 10 + (suffix[i] - '0');
      }
      exponent = neg_exp ? -e : e;
      format = Format::kDecimalExponent;
      matched = true;
    }
    if (!matched) return std::nullopt;
  }
  // milli = mantissa * base^exponent * 1000 / 10^fraction_digits, rounded up (away from zero).
  Int128 numerator = mantissa * 1000;
  Int128 denominator = 1;
  for (int i = 0; i < fraction_digits; ++i) denominator *= 10;
  if (base == 2) {
    const Int128 m = Pow(2, exponent);
    if (m < 0) return std::nullopt;
    numerator *= m;
  } else if (exponent >= 0) {
    const Int128 m = Pow(10, exponent);
    if (m < 0) return std::nullopt;
    numerator *= m;
  } else {
    const Int128 d = Pow(10, -exponent);
    if (d < 0) return std::nullopt;
    denominator *= d;
  }
  if (numerator / denominator > kMax) return std::nullopt;
  Int128 milli = numerator / denominator;
  if (numerator % denominator != 0) ++milli;
  if (milli > kMax) return std::nullopt;
  return FromMilli(static_cast<std::int64_t>(negative ? -milli : milli), format);
}

Quantity Quantity::ParseOrThrow(std::string_view text) {
  auto q = Parse(text);
  if (!q) throw std::invalid_argument("\"" + std::string(text) + "\" is not a valid quantity");
  return *q;
}

std::int64_t Quantity::Value() const {
  const std::int64_t whole = milli_ / 1000;
  return (milli_ % 1000 > 0) ? whole + 1 : whole;
}

std::string Quantity::ToString() const {
  if (milli_ == 0) return "0";
  const bool negative = milli_ < 0;
  const std::string sign = negative ? "-" : "";
  const Int128 abs_milli = negative ? -static_cast<Int128>(milli_) : milli_;
  if (abs_milli % 1000 != 0) {
    return sign + std::to_string(static_cast<std::int64_t>(abs_milli)) + "m";
  }
  std::int64_t value = static_cast<std::int64_t>(abs_milli / 1000);
  if (format_ == Format::kBinarySI) {
    static constexpr std::array<std::string_view, 6> kBinary{"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int index = -1;
    while (index + 1 < static_cast<int>(kBinary.size()) && value % 1024 == 0 && value >= 1024) {
      value /= 1024;
      ++index;
    }
    return sign + std::to_string(value) + (index >= 0 ? std::string(kBinary[index]) : "");
  }
  static constexpr std::array<std::string_view, 6> kDecimal{"k", "M", "G", "T", "P", "E"};
  int index = -1;
  while (index + 1 < static_cast<int>(kDecimal.size()) && value % 1000 == 0 && value >= 1000) {
    value /= 1000;
    ++index;
  }
  return sign + std::to_string(value) + (index >= 0 ? std::string(kDecimal[index]) : "");
}

}  // namespace numalign::kube
