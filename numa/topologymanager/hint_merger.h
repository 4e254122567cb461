#pragma once

#include <vector>

#include "numa/topologymanager/hint.h"
#include "numa/topologymanager/mask_fitness.h"

namespace numalign::numa {

// One list per (provider, resource) after the Topology Manager's normalisation.
using HintLists = std::vector<std::vector<TopologyHint>>;

// Turns the providers' answers into the lists the merge works on (filterProvidersHints): a
// provider with no keys, or a resource with a nil list, gives [(nil,T)]; an empty list gives
// [(nil,F)]; any other list is kept as is.
HintLists NormalizeProviderHints(const std::vector<ProviderHints>& providers);
// The same, moving the lists out of `providers` (no copies on the admission hot path).
HintLists NormalizeProviderHints(std::vector<ProviderHints>&& providers);

// The kubelet's HintMerger.Merge: the best merged hint of the cross product of `lists` under
// the preferred / BestNonPreferredAffinityCount / fitter rules. It returns exactly what the
// kubelet's permutation walk returns, without walking the cross product: the preferred
// candidates are found by intersection, and the set of non-preferred AND results by iterated
// subset convolution, so machines with more than 8 NUMA nodes stay cheap.
TopologyHint MergeHints(const HintLists& lists, NumaMask default_mask, const MaskFitness& fitness);

// max over lists of the count of its narrowest non-nil hint; 0 when every list is all nil.
int BestNonPreferredAffinityCount(const HintLists& lists);

}  // namespace numalign::numa
