#include "tests/support/apiserver/selectors.h"

#include <algorithm>
#include <cctype>

#include "tests/support/apiserver/api_error.h"

namespace numalign::test_apiserver {
namespace {

// Tokenizer of k8s.io/apimachinery/pkg/labels/selector.go.
enum class Token {
  kIdentifier,
  kComma,
  kEquals,
  kDoubleEquals,
  kNotEquals,
  kIn,
  kNotIn,
  kBang,
  kOpenParen,
  kCloseParen,
  kEnd,
  kGreater,
  kLess
};

struct Lexed {
  Token token;
  std::string text;
};

bool IsIdentifierChar(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && c != ',' && c != '=' && c != '!' &&
         c != '(' && c != ')' && c != '<' && c != '>';
}

std::vector<Lexed> Lex(const std::string& text) {
  std::vector<Lexed> tokens;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == ',') {
      tokens.push_back({Token::kComma, ","});
      ++i;
    } else if (c == '(') {
      tokens.push_back({Token::kOpenParen, "("});
      ++i;
    } else if (c == ')') {
      tokens.push_back({Token::kCloseParen, ")"});
      ++i;
    } else if (c == '=') {
      if (i + 1 < text.size() && text[i + 1] == '=') {
        tokens.push_back({Token::kDoubleEquals, "=="});
        i += 2;
      } else {
        tokens.push_back({Token::kEquals, "="});
        ++i;
      }
    } else if (c == '!') {
      if (i + 1 < text.size() && text[i + 1] == '=') {
        tokens.push_back({Token::kNotEquals, "!="});
        i += 2;
      } else {
        tokens.push_back({Token::kBang, "!"});
        ++i;
      }
    } else if (c == '<' || c == '>') {
      tokens.push_back({c == '<' ? Token::kLess : Token::kGreater, std::string(1, c)});
      ++i;
    } else {
      size_t start = i;
      while (i < text.size() && IsIdentifierChar(text[i])) ++i;
      std::string word = text.substr(start, i - start);
      if (word == "in")
        tokens.push_back({Token::kIn, word});
      else if (word == "notin")
        tokens.push_back({Token::kNotIn, word});
      else
        tokens.push_back({Token::kIdentifier, word});
    }
  }
  tokens.push_back({Token::kEnd, ""});
  return tokens;
}

[[noreturn]] void Fail(const std::string& message) {
  throw BadRequest("unable to parse requirement: " + message);
}

std::string Describe(const Lexed& lexed) {
  return "'" + lexed.text + "'";
}

}  // namespace

LabelSelector LabelSelector::Parse(const std::string& text) {
  LabelSelector selector;
  auto tokens = Lex(text);
  size_t pos = 0;
  auto peek = [&]() -> const Lexed& { return tokens[pos]; };
  while (peek().token != Token::kEnd) {
    Requirement requirement;
    bool negated = false;
    if (peek().token == Token::kBang) {
      negated = true;
      ++pos;
    }
    if (peek().token != Token::kIdentifier)
      Fail("found " + Describe(peek()) + ", expected: !, identifier");
    requirement.key = tokens[pos++].text;
    if (negated) {
      requirement.op = Op::kDoesNotExist;
    } else {
      switch (peek().token) {
        case Token::kComma:
        case Token::kEnd:
          requirement.op = Op::kExists;
          break;
        case Token::kEquals:
        case Token::kDoubleEquals:
        case Token::kNotEquals: {
          requirement.op = peek().token == Token::kNotEquals ? Op::kNotEquals : Op::kEquals;
          ++pos;
          if (peek().token == Token::kIdentifier) {
            requirement.values.push_back(tokens[pos++].text);
          } else if (peek().token == Token::kComma || peek().token == Token::kEnd) {
            requirement.values.push_back("");
          } else {
            Fail("found " + Describe(peek()) + ", expected: identifier");
          }
          break;
        }
        case Token::kIn:
        case Token::kNotIn: {
          requirement.op = peek().token == Token::kIn ? Op::kIn : Op::kNotIn;
          ++pos;
          if (peek().token != Token::kOpenParen)
            Fail("found " + Describe(peek()) + ", expected: '('");
          ++pos;
          while (true) {
            if (peek().token == Token::kIdentifier) {
              requirement.values.push_back(tokens[pos++].text);
            } else if (peek().token == Token::kComma || peek().token == Token::kCloseParen) {
              requirement.values.push_back("");
            } else {
              Fail("found " + Describe(peek()) + ", expected: ',', ')' or identifier");
            }
            if (peek().token == Token::kComma) {
              ++pos;
              continue;
            }
            if (peek().token == Token::kCloseParen) {
              ++pos;
              break;
            }
            Fail("found " + Describe(peek()) + ", expected: ',' or ')'");
          }
          break;
        }
        default:
          Fail("found " + Describe(peek()) + ", expected: in, notin, =, ==, !=, gt, lt");
      }
    }
    selector.requirements_.push_back(std::move(requirement));
    if (peek().token == Token::kComma) {
      ++pos;
      if (peek().token == Token::kEnd) Fail("found '', expected: identifier after ','");
      continue;
    }
    if (peek().token != Token::kEnd) Fail("found " + Describe(peek()) + ", expected: ','");
  }
  return selector;
}

bool LabelSelector::Matches(const Json& labels) const {
  for (const auto& requirement : requirements_) {
    const Json* value = Find(labels, requirement.key);
    bool present = value && value->is_string();
    std::string actual = present ? value->get<std::string>() : "";
    auto in_values = [&] {
      return std::find(requirement.values.begin(), requirement.values.end(), actual) !=
             requirement.values.end();
    };
    switch (requirement.op) {
      case Op::kEquals:
      case Op::kIn:
        if (!present || !in_values()) return false;
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        if (present && in_values()) return false;
        break;
      case Op::kExists:
        if (!present) return false;
        break;
      case Op::kDoesNotExist:
        if (present) return false;
        break;
    }
  }
  return true;
}

FieldSelector FieldSelector::Parse(const std::string& text,
                                   const std::vector<std::string>& supported) {
  FieldSelector selector;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t comma = text.find(',', start);
    std::string term = text.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!term.empty()) {
      Requirement requirement;
      size_t op;
      if ((op = term.find("!=")) != std::string::npos) {
        requirement = {term.substr(0, op), false, term.substr(op + 2)};
      } else if ((op = term.find("==")) != std::string::npos) {
        requirement = {term.substr(0, op), true, term.substr(op + 2)};
      } else if ((op = term.find('=')) != std::string::npos) {
        requirement = {term.substr(0, op), true, term.substr(op + 1)};
      } else {
        throw BadRequest("invalid selector: '" + text + "'; can't understand '" + term + "'");
      }
      if (std::find(supported.begin(), supported.end(), requirement.field) == supported.end())
        throw BadRequest("field label not supported: " + requirement.field);
      selector.requirements_.push_back(std::move(requirement));
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return selector;
}

bool FieldSelector::Matches(
    const Json& object,
    const std::function<std::string(const Json&, const std::string&)>& field_value) const {
  for (const auto& requirement : requirements_) {
    bool equal = field_value(object, requirement.field) == requirement.value;
    if (equal != requirement.equals) return false;
  }
  return true;
}

}  // namespace numalign::test_apiserver
