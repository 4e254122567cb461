#include "controller/defragmentation/pod_footprint.h"

#include "kube/objects/object_meta.h"

namespace numalign::controller {

PodFootprint MakeFootprint(const kube::PodView& pod) {
  PodFootprint f;
  f.ns = pod.Namespace();
  f.name = pod.Name();
  f.uid = pod.Uid();
  f.node = pod.NodeName();
  f.priority = static_cast<std::int32_t>(kube::IntAt(pod.json(), "/spec/priority").value_or(0));
  f.labels = pod.Labels();
  f.movable = (f.labels.contains(kMovableKey) && f.labels.at(kMovableKey) == "true") ||
              pod.Annotation(kMovableKey).value_or("") == "true";
  return f;
}

}  // namespace numalign::controller
