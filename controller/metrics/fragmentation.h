#pragma once

#include <map>
#include <string>

#include "kube/objects/node_resource_topology.h"

namespace numalign::controller {

// Fragmentation index of one node, per resource: 1 - (largest free amount in a single NUMA zone
// / total free amount over the node's NUMA zones). 0 means all free capacity sits in one zone (a
// pod as large as the free capacity fits aligned); values towards 1 mean the free capacity is
// scattered over many zones. 0 when nothing is free (nothing to fragment). Free = `available`
// clamped to [0, allocatable].
std::map<std::string, double> FragmentationIndex(const kube::NodeResourceTopology& nrt);

}  // namespace numalign::controller
