#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kube/objects/lease.h"
#include "kube/rest/api_client.h"

namespace numalign::kube {

// Where the leader election record lives (client-go's resourcelock.Interface). Get/Create/Update
// throw ApiError (404 from Get when absent, 409 on a lost race) or TransportError.
class LeaseLock {
 public:
  virtual ~LeaseLock() = default;
  // nullopt when the lock object does not exist.
  virtual std::optional<LeaseRecord> Get() = 0;
  virtual void Create(const LeaseRecord& record) = 0;
  // Conditional on the version last read or written: fails with a Conflict if someone else
  // wrote in between.
  virtual void Update(const LeaseRecord& record) = 0;
  // "namespace/name", for logs.
  virtual std::string Describe() const = 0;
};

// The lock on a coordination.k8s.io/v1 Lease.
class ApiLeaseLock final : public LeaseLock {
 public:
  ApiLeaseLock(std::shared_ptr<ApiClient> client, std::string ns, std::string name);

  std::optional<LeaseRecord> Get() override;
  void Create(const LeaseRecord& record) override;
  void Update(const LeaseRecord& record) override;
  std::string Describe() const override { return namespace_ + "/" + name_; }

 private:
  std::shared_ptr<ApiClient> client_;
  std::string namespace_;
  std::string name_;
  Json last_;  // the Lease as last seen, carrying its resourceVersion
};

}  // namespace numalign::kube
