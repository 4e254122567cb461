#include <stdexcept>

#include "agent/publish/nrt_sink.h"
#include "kube/rest/api_client.h"
#include "kube/rest/resource.h"

namespace numalign::agent::publish {

namespace {

class ApiNrtSink final : public NrtSink {
 public:
  explicit ApiNrtSink(std::shared_ptr<kube::ApiClient> client) : client_(std::move(client)) {}

  std::string NodeUid(const std::string& node_name) override {
    const auto node = client_->Get(kube::resources::Nodes(), "", node_name);
    const auto uid = node.value("/metadata/uid"_json_pointer, std::string());
    if (uid.empty()) throw std::runtime_error("Node " + node_name + " has no metadata.uid");
    return uid;
  }

  void Apply(const nlohmann::json& nrt) override {
    kube::ApplyOptions options;
    options.field_manager = kFieldManager;
    options.force = true;
    client_->Apply(kube::resources::NodeResourceTopologies(), "",
                   nrt.at("metadata").at("name").get<std::string>(), nrt, options);
  }

 private:
  std::shared_ptr<kube::ApiClient> client_;
};

}  // namespace

std::unique_ptr<NrtSink> MakeApiNrtSink(std::shared_ptr<kube::ApiClient> client) {
  if (!client) throw std::invalid_argument("MakeApiNrtSink: no API client");
  return std::make_unique<ApiNrtSink>(std::move(client));
}

}  // namespace numalign::agent::publish
