#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Transport-neutral request and reply, so routing and the verb handlers run (and are tested
// and benchmarked) without sockets.
namespace numalign::http {

struct HttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // path and optional query, as on the request line
  std::string_view body;
};

struct HttpReply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

}  // namespace numalign::http
