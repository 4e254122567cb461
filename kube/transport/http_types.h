#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace numalign::kube {

// HTTP header names are case-insensitive; responses keep them in one map keyed that way.
struct HeaderNameLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};
using HttpHeaders = std::map<std::string, std::string, HeaderNameLess>;

struct HttpRequest {
  std::string method = "GET";
  // Path and query relative to the server URL, e.g. "/api/v1/pods?limit=500".
  std::string path;
  HttpHeaders headers;
  std::string body;
  // Whole-request budget for plain requests; the idle budget between chunks for streams.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const;
};

}  // namespace numalign::kube
