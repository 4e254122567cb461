#pragma once

#include "numa/cpumanager/container_kind.h"
#include "numa/pod/pod_spec.h"

namespace numalign::numa {

// The CPU Manager's view of a container's role: init containers' CPUs are reusable by the
// containers after them, restartable (sidecar) ones' are not.
inline ContainerKind CpuContainerKind(ContainerRole role) {
  switch (role) {
    case ContainerRole::kInit:
      return ContainerKind::kInit;
    case ContainerRole::kRestartableInit:
      return ContainerKind::kRestartableInit;
    case ContainerRole::kApp:
      return ContainerKind::kApp;
  }
  return ContainerKind::kApp;
}

}  // namespace numalign::numa
