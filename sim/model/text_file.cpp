#include "sim/model/text_file.h"

#include <fstream>
#include <sstream>

namespace numalign::sim {

std::optional<std::string> ReadTextFile(const std::string& path, const std::string& what,
                                        std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + what + " file " + path;
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace numalign::sim
