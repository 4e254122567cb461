#include "extender/view/view_feeder.h"

#include "kube/informer/lister_watcher.h"
#include "kube/objects/object_meta.h"
#include "kube/rest/resource.h"

namespace numalign::extender {

ViewFeeder::ViewFeeder(std::shared_ptr<kube::ApiClient> api, std::shared_ptr<NodeView> view)
    : view_(std::move(view)) {
  auto informer = [&](const kube::ResourceDescriptor& r) {
    return std::make_unique<kube::Informer>(std::make_shared<kube::ApiListerWatcher>(api, r));
  };
  nrts_ = informer(kube::resources::NodeResourceTopologies());
  pods_ = informer(kube::resources::Pods());
  nodes_ = informer(kube::resources::Nodes());
  NodeView* v = view_.get();
  nrts_->AddEventHandler({
      .on_add = [v](const kube::ObjectPtr& o) { v->UpsertNrt(*o); },
      .on_update = [v](const kube::ObjectPtr&, const kube::ObjectPtr& o) { v->UpsertNrt(*o); },
      .on_delete = [v](const kube::ObjectPtr& o) { v->DeleteNrt(kube::NameOf(*o)); },
  });
  pods_->AddEventHandler({
      .on_add = [v](const kube::ObjectPtr& o) { v->UpsertPod(*o); },
      .on_update = [v](const kube::ObjectPtr&, const kube::ObjectPtr& o) { v->UpsertPod(*o); },
      .on_delete = [v](const kube::ObjectPtr& o) { v->DeletePod(*o); },
  });
  // Node objects matter only for their removal: a deleted node's NRT may linger until GC.
  kube::EventHandler node_handler;
  node_handler.on_delete = [v](const kube::ObjectPtr& o) { v->DeleteNode(kube::NameOf(*o)); };
  nodes_->AddEventHandler(node_handler);
}

ViewFeeder::~ViewFeeder() {
  Stop();
}

void ViewFeeder::Start() {
  nrts_->Start();
  pods_->Start();
  nodes_->Start();
}

void ViewFeeder::Stop() {
  nrts_->Stop();
  pods_->Stop();
  nodes_->Stop();
}

bool ViewFeeder::Synced() const {
  return nrts_->HasSynced() && pods_->HasSynced() && nodes_->HasSynced();
}

bool ViewFeeder::WaitForSync(std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto* i : {nrts_.get(), pods_.get(), nodes_.get()}) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0 || !i->WaitForSync(left)) return false;
  }
  return true;
}

}  // namespace numalign::extender
