#include "kube/leaderelection/lease_lock.h"

#include "kube/rest/api_error.h"

namespace numalign::kube {

ApiLeaseLock::ApiLeaseLock(std::shared_ptr<ApiClient> client, std::string ns, std::string name)
    : client_(std::move(client)), namespace_(std::move(ns)), name_(std::move(name)) {}

std::optional<LeaseRecord> ApiLeaseLock::Get() {
  try {
    last_ = client_->Get(resources::Leases(), namespace_, name_);
  } catch (const ApiError& e) {
    if (e.IsNotFound()) {
      last_ = Json();
      return std::nullopt;
    }
    throw;
  }
  return ReadLeaseRecord(last_);
}

void ApiLeaseLock::Create(const LeaseRecord& record) {
  last_ = client_->Create(resources::Leases(), namespace_, MakeLease(namespace_, name_, record));
}

void ApiLeaseLock::Update(const LeaseRecord& record) {
  if (!last_.is_object()) {
    throw ApiError(409, "Conflict", "lease " + Describe() + " must be read before it is updated");
  }
  Json lease = last_;
  WriteLeaseRecord(lease, record);
  last_ = client_->Update(resources::Leases(), namespace_, lease);
}

}  // namespace numalign::kube
