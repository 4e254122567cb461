#include "numa/cli/replay_command.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "numa/conformance/conformance_case.h"

namespace numalign::numa {

int RunReplay(const std::string& cases_path, std::ostream& out, std::ostream& err) {
  std::ifstream in(cases_path);
  if (!in) {
    err << "cannot open " << cases_path << "\n";
    return 2;
  }
  int passed = 0;
  int failed = 0;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    nlohmann::json report = nlohmann::json::object();
    std::string error;
    auto c = j.is_discarded() ? std::nullopt : ParseConformanceCase(j, &error);
    if (j.is_discarded()) error = "line " + std::to_string(line_no) + ": invalid JSON";
    std::optional<std::vector<nlohmann::json>> results;
    if (c) results = RunConformanceCase(*c, &error);
    report["id"] = c ? c->id
                   : (j.is_object() && j.contains("id") && j["id"].is_string())
                       ? j["id"].get<std::string>()
                       : "";
    bool ok = results.has_value();
    if (results) {
      report["results"] = *results;
      const auto& expect = c->expect;
      if (expect.size() != results->size()) ok = false;
      for (std::size_t i = 0; ok && i < results->size(); ++i) {
        std::string diff = CompareWithExpectation((*results)[i], expect[i]);
        if (!diff.empty()) {
          ok = false;
          report["mismatch"] = {{"step", i}, {"detail", diff}};
        }
      }
    } else {
      report["error"] = error;
    }
    report["pass"] = ok;
    (ok ? passed : failed)++;
    out << report.dump() << "\n";
  }
  out << passed << " passed, " << failed << " failed\n";
  return failed > 0 ? 1 : 0;
}

}  // namespace numalign::numa
