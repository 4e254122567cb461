#include "kube/rest/pager.h"

#include "kube/rest/api_error.h"

namespace numalign::kube {

namespace {

std::string MetadataString(const Json& list, const char* key) {
  auto meta = list.find("metadata");
  if (meta == list.end() || !meta->is_object()) return "";
  auto value = meta->find(key);
  return value != meta->end() && value->is_string() ? value->get<std::string>() : "";
}

std::string ContinueOf(const Json& list) {
  return MetadataString(list, "continue");
}

}  // namespace

void ForEachPage(ApiClient& client, const ResourceDescriptor& r, std::string_view ns,
                 ListOptions options, std::int64_t page_size,
                 const std::function<void(const Json& page)>& page) {
  options.limit = page_size > 0 ? std::optional<std::int64_t>(page_size) : std::nullopt;
  options.continue_token.clear();
  while (true) {
    Json list = client.List(r, ns, options);
    page(list);
    const std::string token = ContinueOf(list);
    if (token.empty()) return;
    options.continue_token = token;
    // The API rejects continue together with resourceVersion: the token pins the snapshot.
    options.resource_version.clear();
    options.resource_version_match.clear();
  }
}

ListResult ListAll(ApiClient& client, const ResourceDescriptor& r, std::string_view ns,
                   ListOptions options, std::int64_t page_size) {
  for (int attempt = 0;; ++attempt) {
    ListResult result;
    try {
      ForEachPage(client, r, ns, options, page_size, [&](const Json& list) {
        if (result.resource_version.empty()) {
          result.resource_version = MetadataString(list, "resourceVersion");
        }
        for (const auto& item : list["items"]) result.items.push_back(item);
      });
      return result;
    } catch (const ApiError& e) {
      if (!e.IsGone() || attempt > 0 || result.items.empty()) throw;
      // The continue token expired: start over for a consistent snapshot.
    }
  }
}

}  // namespace numalign::kube
