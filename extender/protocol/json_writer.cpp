#include "extender/protocol/json_writer.h"

namespace numalign::extender::protocol {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

void append_unicode_escape(std::string& out, unsigned code) {
  out += "\\u";
  out += kHex[(code >> 12) & 0xF];
  out += kHex[(code >> 8) & 0xF];
  out += kHex[(code >> 4) & 0xF];
  out += kHex[code & 0xF];
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid (overlong
// forms, surrogates and code points above U+10FFFF are invalid, as in Go's utf8 package).
std::size_t valid_utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  std::size_t length;
  unsigned min_second = 0x80, max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;
    if (lead == 0xED) max_second = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;
    if (lead == 0xF4) max_second = 0x8F;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

}  // namespace

void append_json_string(std::string& out, std::string_view value, HtmlEscape html) {
  out += '"';
  const bool go_html = html == HtmlEscape::kLikeGo;
  auto verbatim = [go_html](unsigned char c) {
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' &&
           !(go_html && (c == '<' || c == '>' || c == '&'));
  };
  for (std::size_t i = 0; i < value.size();) {
    // Node names and reasons are plain ASCII: copy each run that needs no escape at once.
    std::size_t run = i;
    while (run < value.size() && verbatim(static_cast<unsigned char>(value[run]))) ++run;
    if (run > i) {
      out.append(value.data() + i, run - i);
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20 || (html == HtmlEscape::kLikeGo && (c == '<' || c == '>' || c == '&'))) {
            append_unicode_escape(out, c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    const std::size_t length = valid_utf8_length(value, i);
    if (length == 0) {
      out += kReplacementCharacter;
      ++i;
      continue;
    }
    // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
    if (html == HtmlEscape::kLikeGo && length == 3 && c == 0xE2 &&
        static_cast<unsigned char>(value[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(value[i + 2]) & 0xFE) == 0xA8) {
      append_unicode_escape(out, 0x2028u + (static_cast<unsigned char>(value[i + 2]) & 1u));
    } else {
      out.append(value.data() + i, length);
    }
    i += length;
  }
  out += '"';
}

void append_json_value(std::string& out, const nlohmann::json& value) {
  out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace numalign::extender::protocol
