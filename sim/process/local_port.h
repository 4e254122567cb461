#pragma once

namespace numalign::sim::process {

// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's choice for an
// ephemeral bind, released at once). The daemons take their port by flag and cannot report an
// ephemeral one back, so the harness picks it; another program could take it in between, which
// the daemon then reports as a bind error at start-up.
unsigned short FreeLocalPort();

}  // namespace numalign::sim::process
