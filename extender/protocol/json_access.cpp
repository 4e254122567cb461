#include "extender/protocol/json_access.h"

#include <fmt/format.h>

#include <limits>

#include "extender/protocol/protocol_error.h"

namespace numalign::extender::protocol {
namespace {

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

std::string_view type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "number";
    default:
      return value.type_name();
  }
}

// Maximum nesting depth of `body`, stopping early once `limit` is passed. Brackets inside
// strings do not count; the real parser validates everything else afterwards.
bool nesting_exceeds(std::string_view body, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // skip the escaped character, which may be a quote
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

template <class Json>
Json* find_field_impl(Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  Json* folded = nullptr;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key() == key) {
      folded = &it.value();
      break;
    }
    if (folded == nullptr && equal_ignoring_ascii_case(it.key(), key)) folded = &it.value();
  }
  if (folded == nullptr || folded->is_null()) return nullptr;
  return folded;
}

}  // namespace

nlohmann::json parse_document(std::string_view body, int max_depth) {
  if (nesting_exceeds(body, max_depth)) {
    throw ProtocolError(fmt::format("JSON nested deeper than {} levels", max_depth));
  }
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw ProtocolError(fmt::format("invalid JSON: {}", e.what()));
  }
}

const nlohmann::json* find_field(const nlohmann::json& object, std::string_view key) {
  return find_field_impl(object, key);
}

nlohmann::json* find_field(nlohmann::json& object, std::string_view key) {
  return find_field_impl(object, key);
}

std::string read_string(const nlohmann::json& value, std::string_view what) {
  if (value.is_null()) return {};
  if (!value.is_string()) {
    throw ProtocolError(
        fmt::format("cannot decode {} into {} of type string", type_name(value), what));
  }
  return value.get<std::string>();
}

std::int64_t read_int64(const nlohmann::json& value, std::string_view what) {
  if (value.is_null()) return 0;
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<std::int64_t>();
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<std::uint64_t>();
    if (unsigned_value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(unsigned_value);
    }
  }
  // Go's decoder rejects fractions, exponents and out-of-range integers for int64 fields.
  throw ProtocolError(fmt::format("cannot decode {} {} into {} of type int64", type_name(value),
                                  value.dump(), what));
}

void require_object(const nlohmann::json& value, std::string_view what) {
  if (!value.is_object()) {
    throw ProtocolError(
        fmt::format("cannot decode {} into {} (want an object)", type_name(value), what));
  }
}

void require_array(const nlohmann::json& value, std::string_view what) {
  if (!value.is_array()) {
    throw ProtocolError(
        fmt::format("cannot decode {} into {} (want an array)", type_name(value), what));
  }
}

}  // namespace numalign::extender::protocol
