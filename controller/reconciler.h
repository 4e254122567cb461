#pragma once

#include <string_view>

namespace numalign::controller {

// One unit of the controller's work, run by the leader on every sync: reads the cluster, acts,
// returns. Implementations catch what the API throws for single objects and carry on with the
// others; an exception escaping ReconcileOnce means the whole pass failed (e.g. a list failed)
// and the loop logs it and retries on the next sync.
class Reconciler {
 public:
  virtual ~Reconciler() = default;
  virtual std::string_view Name() const = 0;
  virtual void ReconcileOnce() = 0;
};

}  // namespace numalign::controller
