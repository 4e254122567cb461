#pragma once

#include <iosfwd>
#include <string>

namespace numalign::numa {

// `numalign-hints replay --cases FILE.jsonl`: one JSON line per case with the results shaped
// like `expect`, then "N passed, M failed". Returns the process exit code (1 if any failed).
int RunReplay(const std::string& cases_path, std::ostream& out, std::ostream& err);

}  // namespace numalign::numa
