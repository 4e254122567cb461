#pragma once

#include <chrono>
#include <string>

#include "sim/process/child_process.h"

namespace numalign::sim::process {

// Polls http://127.0.0.1:<port><path> until it answers 200. Throws std::runtime_error naming the
// process, with the tail of its log, when it exits first or `timeout` passes.
void WaitUntilReady(ChildProcess& process, unsigned short port, const std::string& path,
                    std::chrono::milliseconds timeout);

}  // namespace numalign::sim::process
