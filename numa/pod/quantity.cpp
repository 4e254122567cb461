#include "numa/pod/quantity.h"

#include <cctype>

namespace numalign::numa {
namespace {

constexpr const char* kFormatError =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr Int128 kMaxNanos = static_cast<Int128>(INT64_MAX) * 1000000000;

struct Suffix {
  int pow10 = 0;  // decimal exponent the suffix contributes
  int pow2 = 0;   // binary exponent the suffix contributes
};

// The suffix grammar of resource.Quantity: binary SI, decimal SI, or an e/E exponent.
std::optional<Suffix> ParseSuffix(std::string_view s) {
  static constexpr struct {
    std::string_view text;
    int pow10;
    int pow2;
  } kSuffixes[] = {{"", 0, 0},    {"n", -9, 0},  {"u", -6, 0},  {"m", -3, 0},
                   {"k", 3, 0},   {"M", 6, 0},   {"G", 9, 0},   {"T", 12, 0},
                   {"P", 15, 0},  {"E", 18, 0},  {"Ki", 0, 10}, {"Mi", 0, 20},
                   {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50}, {"Ei", 0, 60}};
  for (const auto& k : kSuffixes) {
    if (s == k.text) return Suffix{k.pow10, k.pow2};
  }
  if (s.size() >= 2 && (s[0] == 'e' || s[0] == 'E')) {
    std::string_view exp = s.substr(1);
    bool negative = false;
    if (exp[0] == '+' || exp[0] == '-') {
      negative = exp[0] == '-';
      exp.remove_prefix(1);
    }
    if (exp.empty() || exp.size() > 4) return std::nullopt;
    int value = 0;
    for (char c : exp) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return Suffix{negative ? -value : value, 0};
  }
  return std::nullopt;
}

Int128 Pow10(int n) {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

Int128 CeilDiv(Int128 a, Int128 b) {  // b > 0
  Int128 q = a / b;
  if (a % b != 0 && a > 0) ++q;
  return q;
}

}  // namespace

std::optional<Quantity> Quantity::Parse(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<Quantity> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (text.empty()) return fail(kFormatError);
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    i = 1;
  }
  // Number part: digits with at most one '.', at least one digit.
  std::string digits;  // significant digits without the dot
  int fraction_digits = 0;
  bool seen_dot = false;
  bool seen_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_dot) return fail(kFormatError);
      seen_dot = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      seen_digit = true;
      if (seen_dot) ++fraction_digits;
      // Leading zeros carry no value; a zero after the dot still counts in fraction_digits.
      if (!(digits.empty() && c == '0')) digits.push_back(c);
    } else {
      break;
    }
  }
  if (!seen_digit) return fail(kFormatError);
  std::string_view suffix_text = text.substr(i);
  for (char c : suffix_text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-') {
      return fail(kFormatError);
    }
  }
  auto suffix = ParseSuffix(suffix_text);
  if (!suffix) return fail("unable to parse quantity's suffix");

  // value = digits * 10^(pow10 - fraction_digits) * 2^pow2; strip trailing zeros first.
  int pow10 = suffix->pow10 - fraction_digits;
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++pow10;
  }
  if (digits.empty()) return Quantity(0);
  if (digits.size() > 30)
    return fail("quantity " + std::string(text) + " is too large or too precise");
  Int128 mantissa = 0;
  for (char c : digits) mantissa = mantissa * 10 + (c - '0');
  // Scale to nano-units.
  int scale = pow10 + 9;
  Int128 nanos = mantissa;
  const std::string too_large =
      "quantity " + std::string(text) + " is too large (the maximum is 2^63-1)";
  if (scale > 0) {
    if (scale > 38) return fail(too_large);
    for (int s = 0; s < scale; ++s) {
      nanos *= 10;
      if (nanos > kMaxNanos) return fail(too_large);
    }
  }
  if (scale < 0 && digits.size() > 18 && suffix->pow2 > 0) {
    return fail("quantity " + std::string(text) + " is too precise");
  }
  for (int b = 0; b < suffix->pow2; ++b) {
    nanos *= 2;  // mantissa < 10^30 * 2^60 at most when scale < 0 is excluded above
    if (scale >= 0 && nanos > kMaxNanos) return fail(too_large);
  }
  if (scale < 0) {
    // Finer than a nano-unit: Kubernetes rounds up to the next nano-unit.
    if (-scale > 38) {
      nanos = 1;
    } else {
      nanos = CeilDiv(nanos, Pow10(-scale));
    }
  }
  if (nanos > kMaxNanos) return fail(too_large);
  return Quantity(negative ? -nanos : nanos);
}

std::int64_t Quantity::ValueCeil() const {
  return static_cast<std::int64_t>(CeilDiv(nanos_, kNano));
}

std::int64_t Quantity::MilliValueCeil() const {
  Int128 milli = CeilDiv(nanos_, 1000000);
  if (milli > INT64_MAX) return INT64_MAX;
  return static_cast<std::int64_t>(milli);
}

std::optional<std::int64_t> Quantity::AsInt64() const {
  if (nanos_ % kNano != 0) return std::nullopt;
  return static_cast<std::int64_t>(nanos_ / kNano);
}

std::string Quantity::ToString() const {
  auto to_string = [](Int128 v) {
    if (v == 0) return std::string("0");
    bool neg = v < 0;
    if (neg) v = -v;
    std::string s;
    while (v > 0) {
      s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
      v /= 10;
    }
    return neg ? "-" + s : s;
  };
  if (nanos_ % kNano == 0) return to_string(nanos_ / kNano);
  if (nanos_ % 1000000 == 0) return to_string(nanos_ / 1000000) + "m";
  return to_string(nanos_) + "n";
}

}  // namespace numalign::numa
