#include "sim/model/known_fields.h"

#include <algorithm>

namespace numalign::sim {

bool CheckKnownFields(const nlohmann::json& object, const std::string& field,
                      const std::vector<std::string>& known, std::string* error) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      *error = field + ": unknown field `" + key + "` (known: " + list + ")";
      return false;
    }
  }
  return true;
}

}  // namespace numalign::sim
