// Transport-independent request and response: the router works on these, the Beast session
// converts from and to the wire (so tests could drive the router directly, too).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace numalign::test_apiserver {

struct ApiRequest {
  std::string method;
  std::string target;                          // as received, with the query
  std::string path;                            // percent-decoded, without the query
  std::map<std::string, std::string> query;    // last value wins
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::optional<std::string> Query(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

// Where a watch writes its events: one call per chunk. Returns false once the client is gone.
class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  virtual bool WriteChunk(const std::string& data) = 0;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, in order
  // Cache-Control: no-cache, private and the priority-and-fairness headers (absent on 401s).
  bool standard_headers = true;
  // Set for watches: called after the headers were sent, streams chunks until it returns.
  std::function<void(ChunkSink&)> stream;
};

// Splits a target into its decoded path and query parameters.
void ParseTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query);

}  // namespace numalign::test_apiserver
