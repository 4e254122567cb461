#include "numa/cli/explain_command.h"

#include <ostream>

namespace numalign::numa {

int RunExplain(const ExplainOptions&, std::ostream&, std::ostream& err) {
  err << "explain: not built yet\n";
  return 2;
}

}  // namespace numalign::numa
