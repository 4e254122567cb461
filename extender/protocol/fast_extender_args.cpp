#include "extender/protocol/fast_extender_args.h"

#include <cstring>

#include "extender/protocol/json_access.h"
#include "extender/protocol/protocol_error.h"

namespace numalign::extender::protocol {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  void skip_whitespace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool consume_null() {
    if (text_.substr(pos_, 4) != "null") return false;
    pos_ += 4;
    return true;
  }

  // A string with no escapes, no control characters and only ASCII; nullopt otherwise (the
  // full parser handles the rest).
  std::optional<std::string_view> plain_string() {
    if (!consume('"')) return std::nullopt;
    const std::size_t start = pos_;
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') return text_.substr(start, pos_++ - start);
      if (c == '\\' || c < 0x20 || c >= 0x80) return std::nullopt;
      ++pos_;
    }
    return std::nullopt;
  }

  // The extent of the object starting here ('{' ... matching '}'), structure only: the
  // caller parses the slice fully, which validates it.
  std::optional<std::string_view> object_extent() {
    if (peek() != '{') return std::nullopt;
    const std::size_t start = pos_;
    int depth = 0;
    bool in_string = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (in_string) {
        if (c == '\\') {
          ++pos_;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          if (c != '}') return std::nullopt;
          return text_.substr(start, pos_ - start);
        }
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<ExtenderArgs> try_parse_extender_args_fast(std::string_view body,
                                                         const RequestLimits& limits) {
  Cursor cursor(body);
  cursor.skip_whitespace();
  if (!cursor.consume('{')) return std::nullopt;
  ExtenderArgs args;
  bool seen_pod = false, seen_nodes = false, seen_names = false;
  cursor.skip_whitespace();
  if (cursor.peek() == '}') return std::nullopt;  // no Pod: the full parser reports it
  while (true) {
    cursor.skip_whitespace();
    const auto key = cursor.plain_string();
    if (!key) return std::nullopt;
    cursor.skip_whitespace();
    if (!cursor.consume(':')) return std::nullopt;
    cursor.skip_whitespace();
    // A key matching a field twice (in any case) would need Go's precedence rules: leave it
    // to the full parser.
    if (equal_ignoring_ascii_case(*key, "Pod")) {
      if (seen_pod) return std::nullopt;
      seen_pod = true;
      const auto slice = cursor.object_extent();
      if (!slice) return std::nullopt;
      try {
        args.pod = parse_document(*slice, limits.max_depth - 1);
      } catch (const ProtocolError&) {
        return std::nullopt;
      }
    } else if (equal_ignoring_ascii_case(*key, "Nodes")) {
      if (seen_nodes || !cursor.consume_null()) return std::nullopt;
      seen_nodes = true;
    } else if (equal_ignoring_ascii_case(*key, "NodeNames")) {
      if (seen_names) return std::nullopt;
      seen_names = true;
      if (!cursor.consume_null()) {
        if (!cursor.consume('[')) return std::nullopt;
        cursor.skip_whitespace();
        if (!cursor.consume(']')) {
          while (true) {
            cursor.skip_whitespace();
            const auto name = cursor.plain_string();
            if (!name || name->empty() || name->size() > limits.max_node_name_bytes) {
              return std::nullopt;
            }
            args.nodes.names.emplace_back(*name);
            cursor.skip_whitespace();
            if (cursor.consume(']')) break;
            if (!cursor.consume(',')) return std::nullopt;
          }
        }
      }
    } else {
      return std::nullopt;  // unknown keys are rare; the full parser skips them
    }
    cursor.skip_whitespace();
    if (cursor.consume('}')) break;
    if (!cursor.consume(',')) return std::nullopt;
  }
  cursor.skip_whitespace();
  if (!cursor.at_end() || !seen_pod) return std::nullopt;
  return args;
}

}  // namespace numalign::extender::protocol
