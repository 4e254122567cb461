#pragma once

#include <optional>
#include <string>

namespace numalign::sim {

// The whole content of a text file; nullopt with "cannot read <what> file <path>" in `error`.
std::optional<std::string> ReadTextFile(const std::string& path, const std::string& what,
                                        std::string* error);

}  // namespace numalign::sim
