#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/model/workload.h"

namespace numalign::sim {

// An out-of-tree plugin in the scheduler profile beside the in-tree ones (the
// NodeResourceTopologyMatch plugin of scheduler-plugins is the one modelled), with the
// extension points that matter for placement.
class TopologyPlugin {
 public:
  virtual ~TopologyPlugin() = default;
  virtual std::string Name() const = 0;
  // nullopt = the node passes; else the Unschedulable reason.
  virtual std::optional<std::string> Filter(const SimPod& pod, const std::string& node) = 0;
  // 0..100 (MaxNodeScore).
  virtual std::int64_t Score(const SimPod& pod, const std::string& node) = 0;
  virtual std::int64_t Weight() const { return 1; }
  // The pod was assumed on the node (Reserve) / the binding failed (Unreserve).
  virtual void Reserve(const SimPod& pod, const std::string& node) = 0;
  virtual void Unreserve(const SimPod& pod, const std::string& node) = 0;
};

}  // namespace numalign::sim
