#include "controller/defragmentation/informer_cluster_source.h"

#include <stdexcept>

#include "kube/informer/lister_watcher.h"
#include "kube/objects/object_meta.h"
#include "kube/rest/resource.h"

namespace numalign::controller {

InformerClusterSource::InformerClusterSource(std::shared_ptr<kube::ApiClient> client) {
  auto informer = [&](const kube::ResourceDescriptor& r) {
    return std::make_unique<kube::Informer>(std::make_shared<kube::ApiListerWatcher>(client, r));
  };
  nodes_ = informer(kube::resources::Nodes());
  nrts_ = informer(kube::resources::NodeResourceTopologies());
  pods_ = informer(kube::resources::Pods());
  pdbs_ = informer(PodDisruptionBudgets());
  extender::NodeView* view = view_.get();
  nrts_->AddEventHandler({
      .on_add = [view](const kube::ObjectPtr& o) { view->UpsertNrt(*o); },
      .on_update = [view](const kube::ObjectPtr&,
                          const kube::ObjectPtr& o) { view->UpsertNrt(*o); },
      .on_delete = [view](const kube::ObjectPtr& o) { view->DeleteNrt(kube::NameOf(*o)); },
  });
  pods_->AddEventHandler({
      .on_add = [view](const kube::ObjectPtr& o) { view->UpsertPod(*o); },
      .on_update = [view](const kube::ObjectPtr&,
                          const kube::ObjectPtr& o) { view->UpsertPod(*o); },
      .on_delete = [view](const kube::ObjectPtr& o) { view->DeletePod(*o); },
  });
}

InformerClusterSource::~InformerClusterSource() {
  Stop();
}

void InformerClusterSource::Start() {
  for (auto* i : {nodes_.get(), nrts_.get(), pods_.get(), pdbs_.get()}) i->Start();
}

void InformerClusterSource::Stop() {
  for (auto* i : {nodes_.get(), nrts_.get(), pods_.get(), pdbs_.get()}) i->Stop();
}

std::string InformerClusterSource::NotReadyReason() const {
  std::string missing;
  const std::pair<const char*, const kube::Informer*> caches[] = {
      {"nodes", nodes_.get()},
      {"noderesourcetopologies", nrts_.get()},
      {"pods", pods_.get()},
      {"poddisruptionbudgets", pdbs_.get()}};
  for (const auto& [name, informer] : caches) {
    if (!informer->HasSynced()) missing += (missing.empty() ? "" : ", ") + std::string(name);
  }
  return missing.empty() ? "" : "caches not synced: " + missing;
}

ClusterSnapshot InformerClusterSource::Read(const std::string& scheduler_name) {
  if (auto reason = NotReadyReason(); !reason.empty()) throw std::runtime_error(reason);
  std::set<std::string> nodes;
  for (const auto& node : nodes_->store().List()) nodes.insert(kube::NameOf(*node));
  return AssembleSnapshot(*view_, nodes, pods_->store().List(), pdbs_->store().List(),
                          scheduler_name);
}

}  // namespace numalign::controller
