#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace numalign::kube {
class ApiClient;
}

namespace numalign::agent::publish {

// Where the publisher writes: the API server in production, a recorder in unit tests. Both
// calls throw (any std::exception) when the write did not happen; the publisher retries.
class NrtSink {
 public:
  virtual ~NrtSink() = default;
  // The Node's metadata.uid, for the owner reference.
  virtual std::string NodeUid(const std::string& node_name) = 0;
  // Server-side apply of the whole desired object.
  virtual void Apply(const nlohmann::json& nrt) = 0;
};

inline constexpr const char* kFieldManager = "numalign-agent";

// Applies NodeResourceTopology objects with field manager "numalign-agent" and force (the
// agent is the only owner of its node's NRT; force takes fields over from an earlier
// producer such as NFD instead of failing with a conflict).
std::unique_ptr<NrtSink> MakeApiNrtSink(std::shared_ptr<kube::ApiClient> client);

}  // namespace numalign::agent::publish
