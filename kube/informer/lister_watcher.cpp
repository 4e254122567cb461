#include "kube/informer/lister_watcher.h"

namespace numalign::kube {

ApiListerWatcher::ApiListerWatcher(std::shared_ptr<ApiClient> client, ResourceDescriptor resource,
                                   std::string ns, Selectors selectors, std::int64_t page_size)
    : client_(std::move(client)),
      resource_(std::move(resource)),
      namespace_(std::move(ns)),
      selectors_(std::move(selectors)),
      page_size_(page_size) {}

ListResult ApiListerWatcher::List() {
  ListOptions options;
  options.label_selector = selectors_.label_selector;
  options.field_selector = selectors_.field_selector;
  return ListAll(*client_, resource_, namespace_, options, page_size_);
}

std::unique_ptr<WatchStream> ApiListerWatcher::Watch(const std::string& resource_version,
                                                     int timeout_seconds) {
  WatchOptions options;
  options.label_selector = selectors_.label_selector;
  options.field_selector = selectors_.field_selector;
  options.resource_version = resource_version;
  options.allow_bookmarks = true;
  options.timeout_seconds = timeout_seconds;
  return client_->Watch(resource_, namespace_, options);
}

}  // namespace numalign::kube
