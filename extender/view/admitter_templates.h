#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "extender/view/nrt_node_model.h"

namespace numalign::extender {

// The empty admitter of every distinct NodeResourceTopology shape, created once and copied for
// each node state that needs it.
//
// Why: a cluster has few machine models and kubelet configurations, but a node state is rebuilt
// on every pod change of its node. Creating the admitter from scratch each time repeats the
// kubelet's start-up validation and the machine-derived tables (CPU topology, NUMA mask order),
// and every node ends up with its own copy of them. A copy of the template shares them (see
// NodeAdmitter), so 5,000 nodes of a dozen models hold a dozen sets of tables, and a rebuild
// starts from a copy. The shape is everything BuildNodeModel reads: zones with their costs,
// attributes, capacity and allocatable, and the NRT's attributes; never `available`, the node
// name or the resourceVersion. Thread-safe.
class AdmitterTemplates {
 public:
  // Bounded: past this many shapes (nodes whose NRT changes shape all the time, like a foreign
  // producer's allocatable = available) the table forgets all; node states keep their copies.
  static constexpr std::size_t kMaxShapes = 1024;

  struct Template {
    std::optional<numa::NodeAdmitter> admitter;  // empty: unusable, see error
    std::string error;                           // BuildNodeModel's or the kubelet's reason
    bool agent_mode = false;
  };

  // The template for the NRT (built on first use). The result stays valid while the caller
  // holds it, whatever the table does meanwhile. With `keep` false it is built and not kept:
  // for NRTs whose shape changes with every pod (another producer's, whose allocatable the view
  // sets from `available`), where keeping them would only churn the table.
  std::shared_ptr<const Template> For(const kube::NodeResourceTopology& nrt, bool keep = true);

  std::size_t size() const;

  // The cache key: the NRT with everything BuildNodeModel ignores left out.
  static std::string ShapeKey(const kube::NodeResourceTopology& nrt);

 private:
  static std::shared_ptr<const Template> Build(const kube::NodeResourceTopology& nrt);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Template>> by_shape_;
};

}  // namespace numalign::extender
