#include "tests/support/apiserver/http_types.h"

namespace numalign::test_apiserver {
namespace {

std::string PercentDecode(const std::string& text, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void ParseTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query) {
  size_t question = target.find('?');
  *path = PercentDecode(target.substr(0, question), false);
  if (question == std::string::npos) return;
  std::string rest = target.substr(question + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t amp = rest.find('&', start);
    std::string pair = rest.substr(start, amp == std::string::npos ? amp : amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key = PercentDecode(pair.substr(0, eq), true);
      std::string value = eq == std::string::npos ? "" : PercentDecode(pair.substr(eq + 1), true);
      (*query)[key] = value;
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
}

}  // namespace numalign::test_apiserver
