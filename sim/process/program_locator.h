#pragma once

#include <string>

namespace numalign::sim::process {

// The path of one of numalign's programs ("numalign-agent"...): `given` when set (it must be
// executable), else the first executable of: the directory of the running executable, the
// program's directory in the build tree this library was built in, PATH. Throws
// std::runtime_error listing the places tried.
std::string LocateProgram(const std::string& program, const std::string& given);

}  // namespace numalign::sim::process
