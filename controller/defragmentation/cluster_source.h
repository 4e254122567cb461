#pragma once

#include <string>

#include "controller/defragmentation/cluster_snapshot.h"

namespace numalign::controller {

// Where the defragmenter's picture of the cluster comes from: informer caches in the daemon,
// plain lists where no watch is available (unit tests' fake API).
class ClusterSource {
 public:
  virtual ~ClusterSource() = default;
  // Throws when the cluster cannot be read (the pass is then retried next sync).
  virtual ClusterSnapshot Read(const std::string& scheduler_name) = 0;
  // Empty when Read answers from complete data; otherwise why not (for /readyz).
  virtual std::string NotReadyReason() const = 0;
};

}  // namespace numalign::controller
