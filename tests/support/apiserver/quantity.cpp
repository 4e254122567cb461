#include "tests/support/apiserver/quantity.h"

#include <cctype>

namespace numalign::test_apiserver {
namespace {

constexpr Int128 kNano = 1000000000;

Int128 Pow(Int128 base, int exponent) {
  Int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= base;
  return result;
}

std::string ToString(Int128 value) {
  if (value == 0) return "0";
  bool negative = value < 0;
  if (negative) value = -value;
  std::string digits;
  while (value > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  return negative ? "-" + digits : digits;
}

}  // namespace

std::optional<Quantity> ParseQuantity(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (text[i] == '+' || text[i] == '-') negative = text[i++] == '-';
  size_t number_start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  std::string number = text.substr(number_start, i - number_start);
  std::string suffix = text.substr(i);
  if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return std::nullopt;
  size_t dot = number.find('.');
  std::string integer_part = number.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : number.substr(dot + 1);
  if (fraction.size() > 9) fraction = fraction.substr(0, 9);  // beyond nano precision
  if (integer_part.size() > 20) return std::nullopt;
  Int128 nanos = 0;
  for (char c : integer_part) nanos = nanos * 10 + (c - '0');
  nanos *= kNano;
  Int128 fraction_nanos = 0;
  for (char c : fraction) fraction_nanos = fraction_nanos * 10 + (c - '0');
  fraction_nanos *= Pow(10, 9 - static_cast<int>(fraction.size()));
  nanos += fraction_nanos;

  Quantity quantity;
  static const std::pair<const char*, int> kBinary[] = {{"Ki", 1}, {"Mi", 2}, {"Gi", 3},
                                                        {"Ti", 4}, {"Pi", 5}, {"Ei", 6}};
  static const std::pair<const char*, int> kDecimal[] = {{"n", -3}, {"u", -2}, {"m", -1}, {"", 0},
                                                         {"k", 1},  {"M", 2},  {"G", 3},  {"T", 4},
                                                         {"P", 5},  {"E", 6}};
  bool matched = false;
  for (const auto& [name, power] : kBinary) {
    if (suffix == name) {
      nanos *= Pow(1024, power);
      quantity.format = Quantity::Format::kBinarySI;
      matched = true;
    }
  }
  for (const auto& [name, power] : kDecimal) {
    if (!matched && suffix == name) {
      if (power >= 0)
        nanos *= Pow(1000, power);
      else
        nanos /= Pow(1000, -power);
      quantity.format = Quantity::Format::kDecimalSI;
      matched = true;
    }
  }
  if (!matched && (suffix[0] == 'e' || suffix[0] == 'E')) {
    std::string exponent_text = suffix.substr(1);
    if (exponent_text.empty() ||
        exponent_text.find_first_not_of("+-0123456789") != std::string::npos)
      return std::nullopt;
    int exponent = std::stoi(exponent_text);
    if (exponent > 18 || exponent < -9) return std::nullopt;
    if (exponent >= 0)
      nanos *= Pow(10, exponent);
    else
      nanos /= Pow(10, -exponent);
    quantity.format = Quantity::Format::kDecimalExponent;
    matched = true;
  }
  if (!matched) return std::nullopt;
  quantity.nanos = negative ? -nanos : nanos;
  return quantity;
}

std::string CanonicalQuantity(const Quantity& quantity) {
  Int128 nanos = quantity.nanos;
  bool negative = nanos < 0;
  Int128 magnitude = negative ? -nanos : nanos;
  std::string sign = negative ? "-" : "";
  if (magnitude == 0) return "0";
  // Binary quantities stay binary when they are whole multiples of 1024 bytes or at least whole.
  if (quantity.format == Quantity::Format::kBinarySI && magnitude % kNano == 0) {
    Int128 whole = magnitude / kNano;
    if (whole >= 1024) {
      static const char* kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
      int power = 0;
      while (power < 6 && whole % 1024 == 0) {
        whole /= 1024;
        ++power;
      }
      return sign + ToString(whole) + kSuffixes[power];
    }
  }
  // DecimalSI (and binary values below 1Ki or fractional): largest SI suffix with an integer.
  static const char* kDecimalSuffixes[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  int index = 0;  // nano
  Int128 value = magnitude;
  while (index < 9 && value % 1000 == 0) {
    value /= 1000;
    ++index;
  }
  if (quantity.format == Quantity::Format::kDecimalExponent) {
    // Exponent form: value * 10^(3*(index-3)).
    int exponent = 3 * (index - 3);
    return sign + ToString(value) + (exponent == 0 ? "" : "e" + std::to_string(exponent));
  }
  return sign + ToString(value) + kDecimalSuffixes[index];
}

}  // namespace numalign::test_apiserver
