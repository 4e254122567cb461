#pragma once

namespace numalign::numa {

// How the kubelet classifies a container for CPU reuse: the exclusive CPUs of a regular init
// container become reusable by the pod's later containers, while a restartable init container
// (a sidecar, restartPolicy: Always) keeps running next to the app containers and so is treated
// like an app container.
enum class ContainerKind { kInit, kRestartableInit, kApp };

}  // namespace numalign::numa
