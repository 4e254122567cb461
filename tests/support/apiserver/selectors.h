// Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors (=, ==, !=) with
// kube-apiserver's parse errors.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

class LabelSelector {
 public:
  // Throws ApiError 400 with the apiserver's message on a malformed selector.
  static LabelSelector Parse(const std::string& text);
  bool Matches(const Json& labels) const;
  bool empty() const { return requirements_.empty(); }

 private:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

class FieldSelector {
 public:
  // supported: the field labels this resource accepts (others are a 400 "field label not
  // supported: X").
  static FieldSelector Parse(const std::string& text, const std::vector<std::string>& supported);
  // field_value: how to read a field label from an object.
  bool Matches(
      const Json& object,
      const std::function<std::string(const Json&, const std::string&)>& field_value) const;
  bool empty() const { return requirements_.empty(); }

 private:
  struct Requirement {
    std::string field;
    bool equals;
    std::string value;
  };
  std::vector<Requirement> requirements_;
};

}  // namespace numalign::test_apiserver
