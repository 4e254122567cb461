#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kube/rest/api_client.h"
#include "kube/rest/pager.h"

namespace numalign::kube {

// The two calls a reflector needs from the API, for one collection with fixed selectors.
class ListerWatcher {
 public:
  virtual ~ListerWatcher() = default;
  // A consistent snapshot of every item (all pages), with kind/apiVersion on each item.
  virtual ListResult List() = 0;
  // Events after `resource_version`, with bookmarks, ending after about `timeout_seconds`.
  virtual std::unique_ptr<WatchStream> Watch(const std::string& resource_version,
                                             int timeout_seconds) = 0;
};

struct Selectors {
  std::string label_selector;
  std::string field_selector;  // e.g. "spec.nodeName=node-1"
};

class ApiListerWatcher final : public ListerWatcher {
 public:
  // `ns` empty: all namespaces (or a cluster-scoped resource).
  ApiListerWatcher(std::shared_ptr<ApiClient> client, ResourceDescriptor resource,
                   std::string ns = {}, Selectors selectors = {}, std::int64_t page_size = 500);

  ListResult List() override;
  std::unique_ptr<WatchStream> Watch(const std::string& resource_version,
                                     int timeout_seconds) override;

 private:
  std::shared_ptr<ApiClient> client_;
  ResourceDescriptor resource_;
  std::string namespace_;
  Selectors selectors_;
  std::int64_t page_size_;
};

}  // namespace numalign::kube
