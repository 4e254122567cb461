// A small HTTP/1.1 client for the test API server's own tests (the kube/ client is written
// separately and must not be a dependency here). Header-only, used by *_test.cpp.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it
// clang-format on

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver::testing {

struct HttpResult {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::string body;

  std::string Header(const std::string& name) const {
    for (const auto& [key, value] : headers)
      if (boost::beast::iequals(key, name)) return value;
    return "";
  }
  std::vector<std::string> Headers(const std::string& name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : headers)
      if (boost::beast::iequals(key, name)) values.push_back(value);
    return values;
  }
  Json json() const { return Json::parse(body, nullptr, false); }
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port, std::string token = "")
      : port_(port), token_(std::move(token)) {}

  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     const std::string& content_type = "application/json",
                     const std::map<std::string, std::string>& headers = {}) {
    namespace http = boost::beast::http;
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::user_agent, "apiserver-test/1.0");
    request.set(http::field::accept, "application/json");
    if (!token_.empty()) request.set(http::field::authorization, "Bearer " + token_);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      if (!content_type.empty()) request.set(http::field::content_type, content_type);
      request.body() = body;
      request.prepare_payload();
    }
    http::write(socket, request);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(socket, buffer, parser);
    HttpResult result;
    result.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get())
      result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    result.body = parser.get().body();
    boost::system::error_code ec;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    return result;
  }

  HttpResult Get(const std::string& target,
                 const std::map<std::string, std::string>& headers = {}) {
    return Request("GET", target, "", "", headers);
  }
  HttpResult Post(const std::string& target, const std::string& body,
                  const std::string& content_type = "application/json") {
    return Request("POST", target, body, content_type);
  }
  HttpResult Put(const std::string& target, const std::string& body) {
    return Request("PUT", target, body);
  }
  HttpResult Patch(const std::string& target, const std::string& body,
                   const std::string& content_type) {
    return Request("PATCH", target, body, content_type);
  }
  HttpResult Delete(const std::string& target, const std::string& body = "") {
    return Request("DELETE", target, body, body.empty() ? "" : "application/json");
  }

 private:
  uint16_t port_;
  std::string token_;
};

// A watch: the response is read on a thread; each chunk (one event line) is queued.
class WatchStream {
 public:
  WatchStream(uint16_t port, const std::string& target,
              const std::map<std::string, std::string>& headers = {})
      : socket_(io_) {
    namespace http = boost::beast::http;
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::user_agent, "apiserver-test/1.0");
    request.set(http::field::accept, "application/json");
    for (const auto& [name, value] : headers) request.set(name, value);
    http::write(socket_, request);
    reader_ = std::thread([this] { Read(); });
  }
  ~WatchStream() {
    boost::system::error_code ec;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    if (reader_.joinable()) reader_.join();
  }

  // The next event, or nullopt on timeout / end of stream.
  std::optional<Json> Next(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return !events_.empty() || ended_; });
    if (events_.empty()) return std::nullopt;
    std::string line = events_.front();
    events_.pop_front();
    return Json::parse(line, nullptr, false);
  }
  // Waits until the server ended the stream.
  bool WaitEnded(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return ready_.wait_for(lock, timeout, [&] { return ended_; });
  }
  int status() {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, std::chrono::seconds(5), [&] { return status_ != 0 || ended_; });
    return status_;
  }
  std::string Header(const std::string& name) {
    status();
    std::lock_guard lock(mutex_);
    auto it = headers_.find(name);
    return it == headers_.end() ? "" : it->second;
  }
  std::vector<std::string> raw_chunks() {
    std::lock_guard lock(mutex_);
    return chunks_;
  }

 private:
  void Read() {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    auto on_body = [this](std::uint64_t remain, boost::beast::string_view body,
                          boost::beast::error_code& ec) -> std::size_t {
      std::lock_guard lock(mutex_);
      chunk_text_.append(body.data(), body.size());
      if (remain == body.size()) Flush();  // the chunk is complete
      ec = {};
      return body.size();
    };
    auto on_header = [this](std::uint64_t, boost::beast::string_view, boost::beast::error_code&) {
      std::lock_guard lock(mutex_);
      if (!chunk_text_.empty()) Flush();
    };
    parser.on_chunk_body(on_body);
    parser.on_chunk_header(on_header);
    boost::beast::error_code ec;
    http::read_header(socket_, buffer, parser, ec);
    {
      std::lock_guard lock(mutex_);
      if (!ec) {
        status_ = static_cast<int>(parser.get().result_int());
        for (const auto& field : parser.get())
          headers_[std::string(field.name_string())] = std::string(field.value());
      }
    }
    ready_.notify_all();
    if (!ec) http::read(socket_, buffer, parser, ec);
    std::lock_guard lock(mutex_);
    if (!chunk_text_.empty()) Flush();
    if (!parser.get().chunked() && !parser.get().body().empty()) {
      chunks_.push_back(parser.get().body());
      events_.push_back(parser.get().body());
    }
    ended_ = true;
    ready_.notify_all();
  }
  void Flush() {  // mutex_ held
    chunks_.push_back(chunk_text_);
    size_t start = 0;
    while (start < chunk_text_.size()) {
      size_t newline = chunk_text_.find('\n', start);
      std::string line =
          chunk_text_.substr(start, newline == std::string::npos ? newline : newline - start);
      if (!line.empty()) events_.push_back(line);
      if (newline == std::string::npos) break;
      start = newline + 1;
    }
    chunk_text_.clear();
    ready_.notify_all();
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> events_;
  std::vector<std::string> chunks_;
  std::string chunk_text_;
  std::map<std::string, std::string> headers_;
  int status_ = 0;
  bool ended_ = false;
};

}  // namespace numalign::test_apiserver::testing
