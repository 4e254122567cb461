#include "numa/memorymanager/static_policy.h"

#include <algorithm>
#include <array>

namespace numalign::numa {
namespace {

constexpr const char* kNoDefaultAffinity =
    "[memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough memory "
    "is available";
constexpr const char* kNoDefaultPreferred =
    "[memorymanager] failed to find the default preferred hint";
constexpr const char* kNoExtension =
    "[memorymanager] failed to find NUMA nodes to extend the current topology hint";
constexpr const char* kNoExtendedPreferred =
    "[memorymanager] failed to find the extended preferred hint";
constexpr const char* kViolation = "[memorymanager] preferred hint violates NUMA node allocation";

template <typename F>
void ForEachBit(NumaMask mask, F&& f) {
  for (std::uint64_t b = mask.value(); b != 0; b &= b - 1) f(std::countr_zero(b));
}

}  // namespace

TopologyHint FindBestMemoryHint(const std::vector<TopologyHint>& hints) {
  TopologyHint best;
  for (const auto& h : hints) {
    if (!best.affinity) {
      best = h;
      continue;
    }
    if (h.preferred && !best.preferred) {
      best = h;
      continue;
    }
    if (h.preferred == best.preferred && h.affinity && h.affinity->IsNarrowerThan(*best.affinity)) {
      best = h;
    }
  }
  return best;
}

ProviderHints RegenerateMemoryHints(const std::vector<MemoryBlock>& blocks,
                                    const MemoryRequest& request) {
  if (blocks.size() != request.size()) return {};
  ProviderHints out;
  for (const auto& [name, bytes] : request) out.by_resource[name] = std::vector<TopologyHint>{};
  for (const auto& b : blocks) {
    auto it = std::find_if(request.begin(), request.end(),
                           [&](const auto& r) { return r.first == b.type; });
    if (it == request.end() || it->second != b.size) return {};
    out.by_resource[b.type]->push_back(TopologyHint{b.affinity, true});
  }
  return out;
}

std::optional<MemoryStaticPolicy> MemoryStaticPolicy::Create(const Machine& machine,
                                                             const NumaIdMap& ids,
                                                             const SystemReservedMemory& reserved,
                                                             std::string* error) {
  std::uint64_t total = 0;
  for (const auto& [node, types] : reserved) {
    auto mem = types.find("memory");
    if (mem != types.end()) total += mem->second;
  }
  if (total == 0) {
    if (error) *error = "[memorymanager] you should specify the system reserved memory";
    return std::nullopt;
  }
  // Hint generation visits every subset of NUMA nodes, as upstream does; past this size that
  // never finishes, so refuse up front instead of hanging at the first admission.
  if (machine.numa_nodes.size() > kMaxNumaNodes) {
    if (error) {
      *error = "[memorymanager] the Static policy supports at most " +
               std::to_string(kMaxNumaNodes) + " NUMA nodes (this machine has " +
               std::to_string(machine.numa_nodes.size()) + ")";
    }
    return std::nullopt;
  }
  MemoryStaticPolicy p;
  p.reserved_ = reserved;
  p.state_ = MemoryMachineState::Default(machine, ids, reserved);
  p.default_state_ = std::make_shared<const MemoryMachineState>(p.state_);
  return p;
}

const std::vector<MemoryBlock>* MemoryStaticPolicy::Blocks(const std::string& pod_uid,
                                                           const std::string& container) const {
  auto pod = assignments_.find(pod_uid);
  if (pod == assignments_.end()) return nullptr;
  auto c = pod->second.find(container);
  return c == pod->second.end() ? nullptr : &c->second;
}

void MemoryStaticPolicy::Restore(MemoryMachineState state, MemoryAssignments assignments) {
  state_ = std::move(state);
  assignments_ = std::move(assignments);
  reusable_pod_.clear();
  reusable_.clear();
}

std::uint64_t MemoryStaticPolicy::ReusableBytes(const std::string& pod_uid, NumaMask mask,
                                                const std::string& type) const {
  return pod_uid == reusable_pod_ ? ReusableBytesOn(reusable_, mask, type) : 0;
}

std::optional<TopologyHint> MemoryStaticPolicy::NarrowestHint(const std::string& pod_uid,
                                                              const MemoryRequest& request,
                                                              NumaMask within) const {
  static const std::vector<ReusableMemory> kNone;
  return FindNarrowestMemoryHint(state_, request, within,
                                 pod_uid == reusable_pod_ ? reusable_ : kNone);
}

std::vector<TopologyHint> MemoryStaticPolicy::CalculateHintList(
    const std::string& pod_uid, const MemoryRequest& request) const {
  // The subset-sum tables hold 2 * types * 2^nodes entries; keep them bounded.
  constexpr std::size_t kMaxTableEntries = std::size_t{1} << 22;
  if (state_.mask_order() && (2 * request.size() << state_.nodes().size()) <= kMaxTableEntries) {
    return CalculateHintListOrdered(pod_uid, request);
  }
  return CalculateHintListGeneric(pod_uid, request);
}

// calculateHints on a precomputed mask order: per-resource subset sums are built once with
// sum[m] = sum[m without its lowest bit] + value[lowest bit], so each mask costs O(1) instead of
// a walk over its nodes. Unsigned addition wraps identically in any order.
std::vector<TopologyHint> MemoryStaticPolicy::CalculateHintListOrdered(
    const std::string& pod_uid, const MemoryRequest& request) const {
  const auto& order = *state_.mask_order();
  const auto& nodes = state_.nodes();
  const int n = static_cast<int>(nodes.size());
  const std::uint32_t size = 1U << n;
  const std::size_t kinds = request.size();
  // allocatable and free subset sums, per requested resource; scratch reused across calls.
  // Every entry is written below (entry 0 explicitly, the rest by the recurrence), so the
  // scratch is only grown, never cleared: clearing it cost more than filling it.
  thread_local std::vector<std::uint64_t> sums;
  if (sums.size() < 2 * kinds * size) sums.resize(2 * kinds * size);
  for (std::size_t k = 0; k < kinds; ++k) {
    const int r = state_.ResourceIndex(request[k].first);
    std::uint64_t* alloc = &sums[(2 * k) * size];
    std::uint64_t* free = &sums[(2 * k + 1) * size];
    if (r < 0) {  // an unknown type has no capacity anywhere
      std::fill(alloc, alloc + size, 0);
      std::fill(free, free + size, 0);
      continue;
    }
    alloc[0] = 0;
    free[0] = 0;
    for (std::uint32_t m = 1; m < size; ++m) {
      const int low = std::countr_zero(m);
      alloc[m] = alloc[m & (m - 1)] + nodes[low].tables[r].allocatable;
      free[m] = free[m & (m - 1)] + nodes[low].tables[r].free;
    }
  }
  // Group facts by dense node index.
  std::uint32_t used = 0;               // nodes with assignments
  std::uint32_t in_group = 0;           // nodes whose group has more than one node
  std::array<std::uint64_t, 64> cells;  // fixed: no allocation per call (n < 32 here)
  for (int i = 0; i < n; ++i) {
    if (nodes[i].number_of_assignments > 0) used |= 1U << i;
    if (nodes[i].cells.Count() > 1) in_group |= 1U << i;
    cells[i] = nodes[i].cells.value();
  }
  const bool any_reusable = pod_uid == reusable_pod_ && !reusable_.empty();
  int min_size = n;
  std::vector<TopologyHint> hints;
  hints.reserve(order.dense.size());
  for (std::size_t idx = 0; idx < order.dense.size(); ++idx) {
    const std::uint32_t m = order.dense[idx];
    bool fits = true;
    for (std::size_t k = 0; k < kinds && fits; ++k) {
      fits = sums[(2 * k) * size + m] >= request[k].second;
    }
    if (!fits) continue;
    const int count = order.counts[idx];
    min_size = std::min(min_size, count);
    if (count == 1) {
      if (m & in_group) continue;
    } else if (m & used) {
      bool ok = true;
      for (std::uint32_t u = m & used; u != 0 && ok; u &= u - 1) {
        const int i = std::countr_zero(u);
        ok = (in_group >> i & 1U) && cells[i] == order.masks[idx].value();
      }
      if (!ok) continue;
    }
    bool enough = true;
    for (std::size_t k = 0; k < kinds && enough; ++k) {
      std::uint64_t free = sums[(2 * k + 1) * size + m];
      if (any_reusable) free += ReusableBytes(pod_uid, order.masks[idx], request[k].first);
      enough = free >= request[k].second;
    }
    if (enough) hints.push_back(TopologyHint{order.masks[idx], false});
  }
  // "Preferred" is known only once every mask has updated min_size.
  for (auto& h : hints) h.preferred = h.affinity->Count() == min_size;
  return hints;
}

// The same walk for machines too large for a precomputed order.
std::vector<TopologyHint> MemoryStaticPolicy::CalculateHintListGeneric(
    const std::string& pod_uid, const MemoryRequest& request) const {
  struct Wanted {
    int resource;
    std::uint64_t bytes;
    const std::string* name;
  };
  std::vector<Wanted> wanted;
  wanted.reserve(request.size());
  for (const auto& [name, bytes] : request) {
    wanted.push_back(Wanted{state_.ResourceIndex(name), bytes, &name});
  }
  const bool any_reusable = pod_uid == reusable_pod_ && !reusable_.empty();
  int min_size = static_cast<int>(state_.positions().size());
  std::vector<NumaMask> found;
  IterateMasks(state_.positions(), [&](NumaMask mask) {
    // (1) capacity by Allocatable; unsigned sums wrap exactly like the kubelet's.
    for (const auto& w : wanted) {
      std::uint64_t allocatable = 0;
      if (w.resource >= 0) {
        ForEachBit(mask, [&](int p) {
          allocatable += state_.AtPosition(p).tables[w.resource].allocatable;
        });
      }
      if (allocatable < w.bytes) return true;
    }
    // (2) the minimal size is updated before any usage test.
    min_size = std::min(min_size, mask.Count());
    const bool single = mask.Count() == 1;
    if (single) {
      // (3) a node in a multi-node group cannot take single-node allocations.
      if (state_.AtPosition(std::countr_zero(mask.value())).cells.Count() > 1) return true;
    } else {
      // (4) multi-node masks only reuse nodes that are unused or in exactly this group.
      bool ok = true;
      ForEachBit(mask, [&](int p) {
        const auto& n = state_.AtPosition(p);
        if (n.number_of_assignments > 0 && (n.cells.Count() == 1 || n.cells != mask)) ok = false;
      });
      if (!ok) return true;
    }
    // (5) free memory, counting this pod's reusable init-container memory on this exact mask.
    for (const auto& w : wanted) {
      std::uint64_t free = 0;
      if (w.resource >= 0) {
        ForEachBit(mask, [&](int p) { free += state_.AtPosition(p).tables[w.resource].free; });
      }
      if (any_reusable) free += ReusableBytes(pod_uid, mask, *w.name);
      if (free < w.bytes) return true;
    }
    found.push_back(mask);
    return true;
  });
  std::vector<TopologyHint> hints;
  hints.reserve(found.size());
  for (auto m : found) hints.push_back(TopologyHint{m, m.Count() == min_size});
  return hints;
}

ProviderHints MemoryStaticPolicy::HintsFor(const std::string& pod_uid,
                                           const MemoryRequest& request) const {
  ProviderHints out;
  if (request.empty()) return out;
  auto list = CalculateHintList(pod_uid, request);
  if (list.empty()) return out;  // an EMPTY map: the Topology Manager reads "no preference"
  for (const auto& [name, bytes] : request) out.by_resource[name] = list;
  return out;
}

ProviderHints MemoryStaticPolicy::ContainerHints(const PodRequests& pod,
                                                 std::size_t container) const {
  if (!pod.Guaranteed()) return {};
  const auto& c = pod.containers[container];
  if (c.memory_error) return {};
  if (const auto* blocks = Blocks(pod.uid, c.name)) return RegenerateMemoryHints(*blocks, c.memory);
  return HintsFor(pod.uid, c.memory);
}

std::optional<PreferredMemoryMasks> MemoryStaticPolicy::ContainerPreferredMasks(
    const PodRequests& pod, std::size_t container) const {
  if (!pod.Guaranteed()) return std::nullopt;
  const auto& c = pod.containers[container];
  if (c.memory_error || Blocks(pod.uid, c.name)) return std::nullopt;
  if (pod.uid == reusable_pod_ && !reusable_.empty()) return std::nullopt;
  return PreferredMemoryMasks::Find(state_, c.memory);
}

ProviderHints MemoryStaticPolicy::PodHints(const PodRequests& pod) const {
  if (!pod.Guaranteed() || pod.pod_memory_error) return {};
  for (const auto& c : pod.containers) {
    if (const auto* blocks = Blocks(pod.uid, c.name)) {
      return RegenerateMemoryHints(*blocks, pod.pod_memory);
    }
  }
  return HintsFor(pod.uid, pod.pod_memory);
}

bool MemoryStaticPolicy::SatisfiesRequest(NumaMask mask, const MemoryRequest& request) const {
  for (const auto& [name, bytes] : request) {
    const int r = state_.ResourceIndex(name);
    std::uint64_t free = 0;
    if (r >= 0) {
      ForEachBit(mask, [&](int p) {
        if (state_.HasPosition(p)) free += state_.AtPosition(p).tables[r].free;
      });
    }
    if (free < bytes) return false;
  }
  return true;
}

bool MemoryStaticPolicy::ViolatesGroups(NumaMask mask) const {
  if (mask.Count() <= 1) return false;
  bool violates = false;
  ForEachBit(mask, [&](int p) {
    if (!state_.HasPosition(p)) return;
    const auto& n = state_.AtPosition(p);
    if (n.number_of_assignments == 0) return;
    if (n.cells.Count() == 1 || n.cells != mask) violates = true;
  });
  return violates;
}

void MemoryStaticPolicy::Reserve(NumaMask mask, int resource, std::uint64_t bytes) {
  ForEachBit(mask, [&](int p) {
    if (!state_.HasPosition(p)) return;
    auto& n = state_.AtPosition(p);
    ++n.number_of_assignments;
    n.cells = mask;
    if (bytes == 0 || resource < 0) return;
    auto& t = n.tables[resource];
    if (t.free == 0) return;
    const std::uint64_t take = std::min(t.free, bytes);
    t.reserved += take;
    t.free -= take;
    bytes -= take;
  });
}

std::variant<NumaMask, std::string> MemoryStaticPolicy::PlanAllocation(
    const PodRequests& pod, std::size_t container, const TopologyHint& hint) const {
  const auto& c = pod.containers[container];
  if (const auto* blocks = Blocks(pod.uid, c.name)) {
    if (!blocks->empty()) return blocks->front().affinity;
  }
  if (c.memory_error) return *c.memory_error;
  const MemoryRequest& request = c.memory;

  // Hints for all types are identical; the kubelet reads the "memory" list only, so a request
  // without `memory` finds no default hint and no extension even when other types have hints.
  const bool lists_memory = std::any_of(request.begin(), request.end(),
                                        [](const auto& r) { return r.first == "memory"; });
  TopologyHint best = hint;
  if (!best.affinity) {
    // getDefaultHint: findBestHint over every calculateHints mask.
    const auto found = request.empty() ? std::nullopt : NarrowestHint(pod.uid, request, NumaMask());
    if (!found) return std::string(kNoDefaultAffinity);
    const TopologyHint d = lists_memory ? *found : TopologyHint{};
    if (!d.preferred && best.preferred) return std::string(kNoDefaultPreferred);
    best = d;
  }
  if (!best.affinity) return std::string(kNoDefaultAffinity);  // only hugepages requested
  if (!SatisfiesRequest(*best.affinity, request)) {
    // extendTopologyManagerHint: findBestHint over the calculateHints masks holding the hint.
    const auto e = lists_memory ? NarrowestHint(pod.uid, request, *best.affinity) : std::nullopt;
    if (!e) return std::string(kNoExtension);
    if (!e->preferred && best.preferred) return std::string(kNoExtendedPreferred);
    best = *e;
  }
  if (ViolatesGroups(*best.affinity)) return std::string(kViolation);
  return *best.affinity;
}

std::optional<std::string> MemoryStaticPolicy::Allocate(const PodRequests& pod,
                                                        std::size_t container,
                                                        const TopologyHint& hint) {
  if (!pod.Guaranteed()) return std::nullopt;
  const auto& c = pod.containers[container];
  if (const auto* blocks = Blocks(pod.uid, c.name)) {
    UpdateReusable(pod, c, *blocks);
    return std::nullopt;
  }
  auto planned = PlanAllocation(pod, container, hint);
  if (auto* error = std::get_if<std::string>(&planned)) return std::move(*error);
  const NumaMask mask = std::get<NumaMask>(planned);
  const MemoryRequest& request = c.memory;
  std::vector<MemoryBlock> blocks;
  blocks.reserve(request.size());
  for (const auto& [name, bytes] : request) {
    blocks.push_back(MemoryBlock{mask, name, bytes});
    const std::uint64_t reuse = ReusableBytes(pod.uid, mask, name);
    const std::uint64_t need = reuse >= bytes ? 0 : bytes - reuse;
    Reserve(mask, state_.ResourceIndex(name), need);
  }
  UpdateReusable(pod, c, blocks);
  assignments_[pod.uid][c.name] = blocks;
  ShrinkInitBlocks(pod, c, blocks);
  return std::nullopt;
}

void MemoryStaticPolicy::UpdateReusable(const PodRequests& pod, const ContainerRequest& c,
                                        const std::vector<MemoryBlock>& blocks) {
  if (reusable_pod_ != pod.uid) {
    reusable_pod_ = pod.uid;
    reusable_.clear();
  }
  if (c.role == ContainerRole::kInit) {
    for (const auto& b : blocks) {
      auto it = std::find_if(reusable_.begin(), reusable_.end(), [&](const ReusableMemory& r) {
        return r.mask == b.affinity && r.type == b.type;
      });
      if (it == reusable_.end()) {
        reusable_.push_back(ReusableMemory{b.affinity, b.type, b.size});
      } else {
        it->bytes = std::max(it->bytes, b.size);
      }
    }
    return;
  }
  for (const auto& b : blocks) {
    for (auto& r : reusable_) {
      if (r.mask == b.affinity && r.type == b.type && r.bytes != 0) {
        r.bytes = b.size >= r.bytes ? 0 : r.bytes - b.size;
      }
    }
  }
}

void MemoryStaticPolicy::ShrinkInitBlocks(const PodRequests& pod, const ContainerRequest& c,
                                          const std::vector<MemoryBlock>& blocks) {
  for (const auto& block : blocks) {
    std::uint64_t size = block.size;
    for (std::size_t i = 0; i < pod.init_count; ++i) {
      const auto& init = pod.containers[i];
      if (init.name == c.name || size == 0) break;
      if (init.role == ContainerRole::kRestartableInit) continue;
      auto pod_it = assignments_.find(pod.uid);
      if (pod_it == assignments_.end()) continue;
      auto it = pod_it->second.find(init.name);
      if (it == pod_it->second.end()) continue;
      for (auto& ib : it->second) {
        if (ib.size == 0 || ib.type != block.type || ib.affinity != block.affinity) continue;
        if (ib.size > size) {
          ib.size -= size;
          size = 0;
        } else {
          size -= ib.size;
          ib.size = 0;
        }
      }
    }
  }
}

void MemoryStaticPolicy::RemoveContainer(const std::string& pod_uid, const std::string& container) {
  auto pod_it = assignments_.find(pod_uid);
  if (pod_it == assignments_.end()) return;
  auto it = pod_it->second.find(container);
  if (it == pod_it->second.end()) return;
  const std::vector<MemoryBlock> blocks = std::move(it->second);
  pod_it->second.erase(it);
  if (pod_it->second.empty()) assignments_.erase(pod_it);
  for (const auto& b : blocks) {
    std::uint64_t released = b.size;
    const int r = state_.ResourceIndex(b.type);
    ForEachBit(b.affinity, [&](int p) {
      if (!state_.HasPosition(p)) return;
      auto& n = state_.AtPosition(p);
      --n.number_of_assignments;
      if (n.number_of_assignments == 0) n.cells = NumaMask(std::uint64_t{1} << p);
      if (released == 0 || r < 0) return;
      auto& t = n.tables[r];
      if (t.reserved == 0) return;
      const std::uint64_t give = std::min(t.reserved, released);
      t.free += give;
      t.reserved -= give;
      released -= give;
    });
  }
}

void MemoryStaticPolicy::RemovePod(const std::string& pod_uid) {
  auto pod_it = assignments_.find(pod_uid);
  if (pod_it == assignments_.end()) return;
  std::vector<std::string> names;
  for (const auto& [name, blocks] : pod_it->second) names.push_back(name);
  for (const auto& name : names) RemoveContainer(pod_uid, name);
  if (reusable_pod_ == pod_uid) {
    reusable_pod_.clear();
    reusable_.clear();
  }
}

void MemoryStaticPolicy::ContainerStarted(const PodRequests& pod, std::size_t container) {
  const auto& c = pod.containers[container];
  for (std::size_t i = 0; i < pod.init_count; ++i) {
    const auto& init = pod.containers[i];
    if (init.name == c.name) break;
    if (init.role == ContainerRole::kRestartableInit) continue;
    RemoveContainer(pod.uid, init.name);
  }
}

}  // namespace numalign::numa
