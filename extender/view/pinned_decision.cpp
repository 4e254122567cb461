#include "extender/view/pinned_decision.h"

#include <algorithm>
#include <set>

#include "extender/view/nrt_node_model.h"
#include "kube/objects/pod.h"
#include "numa/allocation/pinned_annotation.h"

namespace numalign::extender {

ZoneCpus ZoneCpus::FromNrt(const kube::NodeResourceTopology& nrt) {
  ZoneCpus out;
  numa::CpuSet seen;
  for (const auto& zone : nrt.zones) {
    const auto id = zone.NumaId();
    if (!id) continue;
    auto attribute = std::find_if(zone.attributes.begin(), zone.attributes.end(),
                                  [](const auto& a) { return a.name == kZoneCpusAttribute; });
    if (attribute == zone.attributes.end()) {
      out.problem_ = "zone " + zone.name + " publishes no " + std::string(kZoneCpusAttribute);
      break;
    }
    std::string error;
    auto cpus = numa::CpuSet::Parse(attribute->value, &error);
    if (!cpus) {
      out.problem_ = "zone " + zone.name + ": " + std::string(kZoneCpusAttribute) + ": " + error;
      break;
    }
    // A CPU on two NUMA nodes is a producer bug; trusting either zone would be a guess.
    if (cpus->Intersects(seen)) {
      out.problem_ = "zone " + zone.name + " lists CPUs another zone lists";
      break;
    }
    seen = seen.Union(*cpus);
    out.zones_.emplace_back(*id, std::move(*cpus));
  }
  if (out.problem_.empty() && out.zones_.empty()) out.problem_ = "the NRT has no node-<id> zone";
  if (!out.problem_.empty()) out.zones_.clear();
  return out;
}

std::optional<int> ZoneCpus::ZoneOf(int cpu) const {
  for (const auto& [id, cpus] : zones_) {
    if (cpus.Contains(cpu)) return id;
  }
  return std::nullopt;
}

std::optional<PinnedPlacement> ReadPinnedPlacement(const kube::Json& pod_object,
                                                   const std::string& node) {
  kube::PodView pod(pod_object);
  auto text = pod.Annotation(std::string(numa::kPinnedAnnotation));
  if (!text || text->size() > numa::kMaxAnnotationBytes) return std::nullopt;
  std::string error;
  auto record = numa::ParsePinnedRecord(*text, &error);
  if (!record || record->node != node || record->pod_uid != pod.Uid()) return std::nullopt;
  PinnedPlacement placement;
  for (auto& c : record->containers) {
    placement.containers.push_back({std::move(c.name),
                                    c.exclusive ? std::move(c.sets.cpus) : std::vector<int>{},
                                    std::move(c.sets.mems)});
  }
  return placement;
}

namespace {

const PinnedPlacement::Container* Find(const PinnedPlacement& pinned, const std::string& name) {
  for (const auto& c : pinned.containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

std::optional<numa::AllocationDecision> DecisionFromPinned(const PinnedPlacement& pinned,
                                                           const numa::PodRequests& pod,
                                                           const std::string& node,
                                                           const ZoneCpus& zones,
                                                           bool memory_pinned, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<numa::AllocationDecision> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (!zones.known()) return fail("the zones' CPU ids are unknown: " + zones.problem());
  numa::AllocationDecision decision;
  decision.node = node;
  decision.pod_uid = pod.uid;
  for (const auto& c : pod.containers) {
    const auto* p = Find(pinned, c.name);
    if (!p)
      return fail("container \"" + c.name + "\" is not in " + std::string(numa::kPinnedAnnotation));
    numa::ContainerNumaDecision out;
    out.name = c.name;
    out.exclusive_cpus = static_cast<std::int64_t>(p->exclusive_cpus.size());
    std::set<int> cpu_zones;
    for (int cpu : p->exclusive_cpus) {
      auto zone = zones.ZoneOf(cpu);
      if (!zone) {
        return fail("container \"" + c.name + "\": CPU " + std::to_string(cpu) +
                    " is in no zone's " + std::string(kZoneCpusAttribute));
      }
      cpu_zones.insert(*zone);
    }
    if (!cpu_zones.empty()) out.numa["cpu"] = {cpu_zones.begin(), cpu_zones.end()};
    if (memory_pinned && c.role != numa::ContainerRole::kInit && !p->mems.empty()) {
      for (const auto& [resource, bytes] : c.memory) out.numa[resource] = p->mems;
    }
    decision.containers.push_back(std::move(out));
  }
  if (!memory_pinned) return decision;
  // Regular init containers: their mems say nothing (memory released at start), see the header.
  const numa::ContainerNumaDecision* first_app =
      pod.init_count < decision.containers.size() ? &decision.containers[pod.init_count] : nullptr;
  const std::vector<int> app_nodes = first_app ? first_app->AllNumaNodes() : std::vector<int>{};
  for (std::size_t i = 0; i < pod.init_count && i < pod.containers.size(); ++i) {
    const auto& c = pod.containers[i];
    if (c.role != numa::ContainerRole::kInit) continue;
    auto& out = decision.containers[i];
    const std::vector<int> where = out.numa.count("cpu") ? out.numa.at("cpu") : app_nodes;
    if (where.empty()) continue;
    for (const auto& [resource, bytes] : c.memory) out.numa[resource] = where;
  }
  return decision;
}

}  // namespace numalign::extender
