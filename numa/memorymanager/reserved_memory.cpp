#include "numa/memorymanager/reserved_memory.h"

#include <cstdlib>
#include <set>
#include <sstream>

#include "numa/pod/pod_requests.h"
#include "numa/topologymanager/policy_options.h"

namespace numalign::numa {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  parts.push_back(cur);
  return parts;
}

bool IsMemoryType(const std::string& name) {
  return name == "memory" || IsHugepageResource(name);
}

}  // namespace

bool ParseReservedMemoryFlag(const std::string& text, std::vector<MemoryReservation>* out,
                             std::string* error) {
  if (text.empty()) return true;
  auto fail = [&](const std::string& why) {
    if (error) *error = why;
    return false;
  };
  for (const std::string& reservation : Split(text, ';')) {
    auto node_and_limits = Split(reservation, ':');
    if (node_and_limits.size() != 2) {
      return fail(
          "the reserved memory has incorrect format, expected "
          "numaNodeID:type=quantity[,type=quantity...], got " +
          reservation);
    }
    std::string why;
    auto node = ParseGoInt(node_and_limits[0], &why);
    if (!node) {
      return fail("failed to convert the NUMA node ID, exptected integer, got " +
                  node_and_limits[0]);
    }
    MemoryReservation r;
    r.numa_node = *node;
    for (const std::string& limit : Split(node_and_limits[1], ',')) {
      auto kv = Split(limit, '=');
      if (kv.size() != 2) {
        return fail("the reserved limit has incorrect value, expected type=quantatity, got " +
                    limit);
      }
      if (!IsMemoryType(kv[0])) {
        return fail("memory type conversion error, unknown type: \"" + kv[0] + "\"");
      }
      auto q = Quantity::Parse(kv[1], &why);
      if (!q) return fail("failed to parse the quantatity, expected quantatity, got " + kv[1]);
      r.limits.emplace_back(kv[0], *q);
    }
    out->push_back(std::move(r));
  }
  return true;
}

std::vector<std::string> ValidateReservedMemoryConfig(const std::vector<MemoryReservation>& rm) {
  std::vector<std::string> errors;
  std::set<std::pair<int, std::string>> seen;
  for (const auto& r : rm) {
    for (const auto& [type, q] : r.limits) {
      const std::string node = std::to_string(r.numa_node);
      if (!IsMemoryType(type)) {
        errors.push_back("invalid configuration: the limit type \"" + type + "\" for NUMA node " +
                         node +
                         " is not supported, only [memory hugepages-<HugePageSize>] is accepted");
      }
      if (q.IsZero()) {
        errors.push_back("invalid configuration: reserved memory may not be zero for NUMA node " +
                         node + " and resource \"" + type + "\"");
      }
      if (!seen.insert({r.numa_node, type}).second) {
        errors.push_back(
            "invalid configuration: the reserved memory has a duplicate value for NUMA node " +
            node + " and resource \"" + type + "\"");
      }
    }
  }
  return errors;
}

std::string DecimalSiString(const Quantity& q) {
  // Largest power-of-1000 suffix that keeps the value whole.
  static constexpr struct {
    const char* suffix;
    int exponent;  // of 10
  } kSuffixes[] = {{"E", 18}, {"P", 15}, {"T", 12}, {"G", 9},  {"M", 6},
                   {"k", 3},  {"", 0},   {"m", -3}, {"u", -6}, {"n", -9}};
  if (q.IsZero()) return "0";
  // Work on the nano-unit integer through the public interface: milli and unit values.
  std::string nanos_text;
  {
    // ToString gives units, milli-units or nano-units exactly.
    nanos_text = q.ToString();
  }
  bool neg = nanos_text[0] == '-';
  std::string digits = neg ? nanos_text.substr(1) : nanos_text;
  int exponent = 0;
  if (!digits.empty() && digits.back() == 'm') {
    digits.pop_back();
    exponent = -3;
  } else if (!digits.empty() && digits.back() == 'n') {
    digits.pop_back();
    exponent = -9;
  }
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  for (const auto& s : kSuffixes) {
    if (exponent >= s.exponent) {
      std::string out = digits + std::string(static_cast<std::size_t>(exponent - s.exponent), '0');
      return (neg ? "-" : "") + out + s.suffix;
    }
  }
  return nanos_text;
}

std::optional<SystemReservedMemory> ComputeSystemReservedMemory(
    const Machine& machine, const std::vector<MemoryReservation>& reservations,
    const NodeAllocatableReservation& allocatable, std::string* error) {
  std::map<std::string, Quantity> totals;
  SystemReservedMemory out;
  for (const auto& r : reservations) {
    if (!machine.node(r.numa_node)) {
      if (error) {
        *error = "the reserved memory configuration references a NUMA node " +
                 std::to_string(r.numa_node) + " that does not exist on this machine";
      }
      return std::nullopt;
    }
    for (const auto& [type, q] : r.limits) {
      auto [it, inserted] = totals.emplace(type, q);
      if (!inserted) it->second = it->second + q;
      auto bytes = q.AsInt64();
      out[r.numa_node][type] =
          bytes ? static_cast<std::uint64_t>(*bytes) : static_cast<std::uint64_t>(q.ValueCeil());
    }
  }
  // Node-allocatable reservation per memory type.
  std::map<std::string, Quantity> node_allocatable;
  auto add = [&](const std::string& type, const Quantity& q) {
    auto [it, inserted] = node_allocatable.emplace(type, q);
    if (!inserted) it->second = it->second + q;
  };
  for (const auto* list : {&allocatable.system_reserved, &allocatable.kube_reserved}) {
    for (const auto& [type, q] : *list) {
      if (IsMemoryType(type)) add(type, q);
    }
  }
  std::string eviction = "100Mi";
  if (allocatable.eviction_hard) {
    auto it = allocatable.eviction_hard->find("memory.available");
    eviction = it == allocatable.eviction_hard->end() ? "" : it->second;
  }
  if (!eviction.empty()) {
    if (eviction.back() == '%') {
      // Percentages are of the machine's memory capacity (float32 percentage, as the kubelet).
      std::uint64_t capacity = 0;
      for (const auto& n : machine.numa_nodes) capacity += n.memory;
      const std::string number = eviction.substr(0, eviction.size() - 1);
      char* end = nullptr;
      const float parsed = std::strtof(number.c_str(), &end);
      if (number.empty() || end != number.c_str() + number.size() || parsed < 0 || parsed > 100) {
        if (error)
          *error = "evictionHard memory.available: invalid percentage \"" + eviction + "\"";
        return std::nullopt;
      }
      const float pct = parsed / 100.0f;
      add("memory", Quantity::FromInt(static_cast<std::int64_t>(static_cast<double>(capacity) *
                                                                static_cast<double>(pct))));
    } else {
      std::string why;
      auto q = Quantity::Parse(eviction, &why);
      if (!q) {
        if (error) *error = "evictionHard memory.available: " + why;
        return std::nullopt;
      }
      add("memory", *q);
    }
  }
  std::set<std::string> types;
  for (const auto& [t, q] : totals) types.insert(t);
  for (const auto& [t, q] : node_allocatable) types.insert(t);
  for (const auto& t : types) {
    Quantity expected = node_allocatable.count(t) ? node_allocatable.at(t) : Quantity();
    Quantity reserved = totals.count(t) ? totals.at(t) : Quantity();
    if (!(expected == reserved)) {
      if (error) {
        *error = "the total amount \"" + DecimalSiString(reserved) + "\" of type \"" + t +
                 "\" is not equal to the value \"" + DecimalSiString(expected) +
                 "\" determined by Node Allocatable feature";
      }
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace numalign::numa
