#include "tests/support/apiserver/http_server.h"

#include <sys/socket.h>

// clang-format off
#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it
// clang-format on

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

#include "tests/support/apiserver/api_core.h"
#include "tests/support/apiserver/api_error.h"

namespace numalign::test_apiserver {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

struct HttpServer::State {
  HttpServerOptions options;
  ApiServerCore* core = nullptr;
  net::io_context io;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<ssl::context> tls;
  std::thread accept_thread;
  std::mutex mutex;
  std::condition_variable idle;
  std::map<int, int> open_sockets;  // connection id -> native handle
  int next_id = 0;
  int active = 0;
  bool stopping = false;
  uint16_t port = 0;
};

namespace {

std::string HttpDate() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof(buffer), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return buffer;
}

// Go's net/http switches to chunked encoding once a handler's output exceeds its buffer.
constexpr size_t kChunkedThreshold = 2000;

template <class Stream>
class StreamSink : public ChunkSink {
 public:
  explicit StreamSink(Stream& stream) : stream_(stream) {}
  bool WriteChunk(const std::string& data) override {
    beast::error_code ec;
    net::write(stream_, http::make_chunk(net::buffer(data)), ec);
    return !ec;
  }

 private:
  Stream& stream_;
};

template <class Fields>
void AddHeaders(Fields& fields, const ApiResponse& response) {
  // Order as kube-apiserver sends them: Audit-Id, Cache-Control, Content-Type, the rest, Date.
  for (const auto& [name, value] : response.headers)
    if (name == "Audit-Id") fields.insert(name, value);
  if (response.standard_headers) fields.insert("Cache-Control", "no-cache, private");
  if (!response.content_type.empty())
    fields.insert(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers)
    if (name != "Audit-Id") fields.insert(name, value);
  fields.insert(http::field::date, HttpDate());
}

ApiResponse StatusOnly(const ApiError& error) {
  ApiResponse response;
  response.status = error.code();
  response.body = EncodeWire(error.status());
  return response;
}

template <class Stream>
bool WriteResponse(Stream& stream, const ApiResponse& response, bool keep_alive) {
  beast::error_code ec;
  if (response.stream) {
    http::response<http::empty_body> head{static_cast<http::status>(response.status), 11};
    AddHeaders(head, response);
    head.chunked(true);
    head.keep_alive(keep_alive);
    http::response_serializer<http::empty_body> serializer{head};
    http::write_header(stream, serializer, ec);
    if (ec) return false;
    StreamSink<Stream> sink(stream);
    response.stream(sink);
    net::write(stream, http::make_chunk_last(), ec);
    return !ec;
  }
  http::response<http::string_body> message{static_cast<http::status>(response.status), 11};
  AddHeaders(message, response);
  message.body() = response.body;
  message.keep_alive(keep_alive);
  if (response.body.size() > kChunkedThreshold)
    message.chunked(true);
  else if (response.status != 304)
    message.content_length(response.body.size());
  http::write(stream, message, ec);
  return !ec;
}

template <class Stream>
void ServeConnection(Stream& stream, HttpServer::State& state) {
  beast::flat_buffer buffer;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(state.options.body_limit);
    parser.header_limit(1024 * 1024);
    beast::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec == http::error::body_limit) {
      // Read (and drop) the rest of the body the client is still sending, so it sees the 413
      // rather than a reset connection. Beast rejects an oversized Content-Length right after
      // the header; what it already received sits in `buffer`.
      if (auto length = parser.content_length(); length && *length <= 256u * 1024 * 1024) {
        std::vector<char> scratch(64 * 1024);
        uint64_t remaining = *length > buffer.size() ? *length - buffer.size() : 0;
        beast::error_code drain_error;
        while (remaining > 0 && !drain_error) {
          size_t want = static_cast<size_t>(std::min<uint64_t>(remaining, scratch.size()));
          remaining -= stream.read_some(net::buffer(scratch.data(), want), drain_error);
        }
      }
      WriteResponse(
          stream,
          StatusOnly(RequestEntityTooLarge("the request body is too large (limit " +
                                           std::to_string(state.options.body_limit) + " bytes)")),
          false);
      return;
    }
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted ||
        ec == net::error::bad_descriptor)
      return;
    if (ec) {
      WriteResponse(stream, StatusOnly(BadRequest("malformed HTTP request: " + ec.message())),
                    false);
      return;
    }
    const auto& incoming = parser.get();
    ApiRequest request;
    request.method = std::string(incoming.method_string());
    request.target = std::string(incoming.target());
    ParseTarget(request.target, &request.path, &request.query);
    for (const auto& field : incoming) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      request.headers[name] = std::string(field.value());
    }
    request.body = incoming.body();
    bool keep_alive = incoming.keep_alive();
    ApiResponse response = state.core->Handle(request);
    if (!WriteResponse(stream, response, keep_alive) || !keep_alive) return;
    {
      std::lock_guard lock(state.mutex);
      if (state.stopping) return;
    }
  }
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, ApiServerCore& core)
    : state_(std::make_shared<State>()) {
  state_->options = std::move(options);
  state_->core = &core;
}

HttpServer::~HttpServer() {
  Stop();
}

uint16_t HttpServer::port() const {
  return state_->port;
}
bool HttpServer::tls() const {
  return state_->tls != nullptr;
}

void HttpServer::Start() {
  auto& state = *state_;
  if (!state.options.tls_cert_file.empty()) {
    state.tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    state.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1);
    state.tls->use_certificate_chain_file(state.options.tls_cert_file);
    state.tls->use_private_key_file(state.options.tls_key_file, ssl::context::pem);
    // kubectl offers h2 and http/1.1 via ALPN; select http/1.1.
    SSL_CTX_set_alpn_select_cb(
        state.tls->native_handle(),
        [](SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
           unsigned int inlen, void*) -> int {
          static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
          if (SSL_select_next_proto(const_cast<unsigned char**>(out), outlen, kHttp11,
                                    sizeof(kHttp11), in, inlen) == OPENSSL_NPN_NEGOTIATED)
            return SSL_TLSEXT_ERR_OK;
          return SSL_TLSEXT_ERR_NOACK;
        },
        nullptr);
  }
  tcp::endpoint endpoint(net::ip::make_address(state.options.bind_address), state.options.port);
  state.acceptor = std::make_unique<tcp::acceptor>(state.io);
  state.acceptor->open(endpoint.protocol());
  state.acceptor->set_option(net::socket_base::reuse_address(true));
  state.acceptor->bind(endpoint);
  state.acceptor->listen();
  state.port = state.acceptor->local_endpoint().port();

  auto shared = state_;
  state.accept_thread = std::thread([shared] {
    while (true) {
      tcp::socket socket(shared->io);
      beast::error_code ec;
      shared->acceptor->accept(socket, ec);
      if (ec) {
        std::lock_guard lock(shared->mutex);
        if (shared->stopping) return;
        continue;
      }
      int id;
      {
        std::lock_guard lock(shared->mutex);
        if (shared->stopping) return;
        id = shared->next_id++;
        shared->open_sockets[id] = socket.native_handle();
        ++shared->active;
      }
      std::thread([shared, id, socket = std::move(socket)]() mutable {
        try {
          socket.set_option(tcp::no_delay(true));
          if (shared->tls) {
            ssl::stream<tcp::socket> stream(std::move(socket), *shared->tls);
            beast::error_code handshake_error;
            stream.handshake(ssl::stream_base::server, handshake_error);
            if (!handshake_error) ServeConnection(stream, *shared);
            stream.shutdown(handshake_error);
          } else {
            ServeConnection(socket, *shared);
            beast::error_code shutdown_error;
            socket.shutdown(tcp::socket::shutdown_send, shutdown_error);
          }
        } catch (const std::exception&) {
          // A broken connection never takes the server down.
        }
        std::lock_guard lock(shared->mutex);
        shared->open_sockets.erase(id);
        --shared->active;
        shared->idle.notify_all();
      }).detach();
    }
  });
}

void HttpServer::Stop() {
  auto& state = *state_;
  {
    std::lock_guard lock(state.mutex);
    if (state.stopping) return;
    state.stopping = true;
    // Unblock reads of idle keep-alive connections.
    for (const auto& [id, handle] : state.open_sockets) ::shutdown(handle, SHUT_RDWR);
  }
  if (state.acceptor) {
    beast::error_code ec;
    ::shutdown(state.acceptor->native_handle(), SHUT_RDWR);
    state.acceptor->close(ec);
  }
  if (state.accept_thread.joinable()) state.accept_thread.join();
  state.core->Shutdown();
  std::unique_lock lock(state.mutex);
  state.idle.wait_for(lock, std::chrono::seconds(10), [&] { return state.active == 0; });
}

}  // namespace numalign::test_apiserver
