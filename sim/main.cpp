// numalign-sim: see sim/cli/sim_options.cpp (--help) and README.md.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "sim/cli/sim_options.h"
#include "sim/cli/sim_run.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string error;
  auto options = numalign::sim::ParseSimOptions(args, &error);
  if (!options) {
    std::fprintf(stderr, "numalign-sim: %s\n", error.c_str());
    return 2;
  }
  if (options->help) {
    std::fputs(numalign::sim::SimUsage().c_str(), stdout);
    return 0;
  }
  return numalign::sim::RunSim(*options, stdout, stderr, isatty(STDOUT_FILENO) != 0);
}
