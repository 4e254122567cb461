#include "tests/support/apiserver/faults.h"

namespace numalign::test_apiserver {

FaultSpec FaultSpec::FromJson(const Json& json) {
  FaultSpec spec;
  spec.path_prefix = GetString(json, "path");
  spec.method = GetString(json, "method");
  if (const Json* v = Find(json, "status"); v && v->is_number_integer())
    spec.status = v->get<int>();
  if (const Json* v = Find(json, "retryAfterSeconds"); v && v->is_number_integer())
    spec.retry_after_seconds = v->get<int>();
  if (const Json* v = Find(json, "latencyMs"); v && v->is_number_integer())
    spec.latency = std::chrono::milliseconds(v->get<int>());
  if (const Json* v = Find(json, "count"); v && v->is_number_integer()) spec.count = v->get<int>();
  return spec;
}

void FaultInjector::Add(FaultSpec spec) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(spec));
}

void FaultInjector::Clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

std::optional<FaultSpec> FaultInjector::Take(const std::string& method, const std::string& path) {
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->method.empty() && it->method != method) continue;
    if (path.compare(0, it->path_prefix.size(), it->path_prefix) != 0) continue;
    FaultSpec taken = *it;
    if (it->count > 0 && --it->count == 0) faults_.erase(it);
    return taken;
  }
  return std::nullopt;
}

}  // namespace numalign::test_apiserver
