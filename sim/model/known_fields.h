#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace numalign::sim {

// Whether every key of the YAML mapping `object` (as JSON) is one of `known`; otherwise false
// with "<field>: unknown field `<key>` (known: <known, in the order given>)" in `error`, so a
// misspelt key in a cluster or workload file is an error rather than silently ignored.
bool CheckKnownFields(const nlohmann::json& object, const std::string& field,
                      const std::vector<std::string>& known, std::string* error);

}  // namespace numalign::sim
