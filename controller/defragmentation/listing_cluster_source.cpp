#include "controller/defragmentation/listing_cluster_source.h"

#include "kube/objects/object_meta.h"
#include "kube/rest/resource.h"

namespace numalign::controller {

namespace {

std::vector<kube::ObjectPtr> Items(kube::ApiClient& client, const kube::ResourceDescriptor& r) {
  std::vector<kube::ObjectPtr> out;
  kube::Json list = client.List(r, "");
  for (auto& item : list.value("items", kube::Json::array())) {
    out.push_back(std::make_shared<const kube::Json>(std::move(item)));
  }
  return out;
}

}  // namespace

ClusterSnapshot ListingClusterSource::Read(const std::string& scheduler_name) {
  std::set<std::string> nodes;
  for (const auto& node : Items(*client_, kube::resources::Nodes())) {
    nodes.insert(kube::NameOf(*node));
  }
  extender::NodeView view;
  for (const auto& nrt : Items(*client_, kube::resources::NodeResourceTopologies())) {
    view.UpsertNrt(*nrt);
  }
  const auto pods = Items(*client_, kube::resources::Pods());
  for (const auto& pod : pods) view.UpsertPod(*pod);
  return AssembleSnapshot(view, nodes, pods, Items(*client_, PodDisruptionBudgets()),
                          scheduler_name);
}

}  // namespace numalign::controller
