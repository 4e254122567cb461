#pragma once

#include <functional>
#include <string>

#include "kube/rest/api_client.h"

namespace numalign::kube {

struct ListResult {
  Json items = Json::array();
  // The resourceVersion of the (first page's) snapshot: watch from here.
  std::string resource_version;
};

// Lists every page (limit/continue) of a collection. A 410 on a continue token (the snapshot
// was compacted mid-listing) restarts the listing once from the beginning, as client-go's pager
// falls back to a full list.
ListResult ListAll(ApiClient& client, const ResourceDescriptor& r, std::string_view ns,
                   ListOptions options = {}, std::int64_t page_size = 500);

// Calls `page` for each page as it arrives instead of holding every item.
void ForEachPage(ApiClient& client, const ResourceDescriptor& r, std::string_view ns,
                 ListOptions options, std::int64_t page_size,
                 const std::function<void(const Json& page)>& page);

}  // namespace numalign::kube
