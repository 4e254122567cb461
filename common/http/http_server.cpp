#include "common/http/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

#include "common/logging/log.h"

namespace numalign::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// Refusals carry a JSON body with an `Error` field: the shape kube-scheduler reads from an
// extender, and plain enough for any other client of the health and metrics endpoints.
std::string ErrorBody(std::string_view message) {
  return nlohmann::json{{"Error", message}}.dump();
}

constexpr std::size_t kHeaderLimit = 16 * 1024;
// Upper bound of the read buffer reserved for a request body (see read_body).
constexpr std::size_t kMaxReadChunk = 1024 * 1024;
// How long a closing connection may keep sending before we drop it (lingering close lets the
// client read our 400 instead of a reset).
constexpr std::chrono::seconds kLingerTimeout{1};

struct SharedState {
  ServerOptions options;
  RequestHandler handler;
  HttpServerObserver* observer = nullptr;
  std::shared_ptr<ssl::context> tls;
};

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  template <class... StreamArgs>
  explicit Session(std::shared_ptr<const SharedState> state, StreamArgs&&... stream_args)
      : state_(std::move(state)), stream_(std::forward<StreamArgs>(stream_args)...) {
    if (state_->observer) state_->observer->connection_opened();
  }
  ~Session() {
    if (state_->observer) state_->observer->connection_closed();
  }

  void run() {
    // Continue on the connection's strand: its handlers then never run concurrently.
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::start, this->shared_from_this()));
  }

 private:
  auto& socket_layer() { return beast::get_lowest_layer(stream_); }

  void start() {
    if constexpr (kTls) {
      socket_layer().expires_after(state_->options.request_timeout);
      stream_.async_handshake(
          ssl::stream_base::server,
          beast::bind_front_handler(&Session::on_handshake, this->shared_from_this()));
    } else {
      read_header();
    }
  }

  void on_handshake(beast::error_code ec) {
    if (ec) {
      logging::v_info(2, "TLS handshake failed", {{"error", ec.message()}});
      if (state_->observer) state_->observer->request_rejected("tls_handshake");
      return;  // dropping the last reference closes the socket
    }
    read_header();
  }

  void read_header() {
    parser_.emplace();
    parser_->body_limit(state_->options.max_request_bytes);
    parser_->header_limit(kHeaderLimit);
    socket_layer().expires_after(state_->options.idle_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::on_header, this->shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return on_read_error(ec);
    socket_layer().expires_after(state_->options.request_timeout);
    if (parser_->is_done()) return on_request(ec, 0);
    // curl and other clients wait for "100 Continue" before sending a large body (Go's
    // client does not ask); answer it rather than let them stall for a second.
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      continue_ = {};
      continue_.version(parser_->get().version());
      continue_.result(bhttp::status::continue_);
      return bhttp::async_write(
          stream_, continue_,
          beast::bind_front_handler(&Session::on_continue_sent, this->shared_from_this()));
    }
    read_body();
  }

  void on_continue_sent(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return;
    read_body();
  }

  void read_body() {
    // A read takes at most the buffer's free capacity (at least 512 bytes): without room for
    // the announced body a 100 KB request would take a system call and a reactor round per
    // kilobyte. The body limit has already been checked against Content-Length.
    if (auto length = parser_->content_length(); length && *length > buffer_.capacity()) {
      buffer_.reserve(std::min<std::size_t>(*length, kMaxReadChunk));
    }
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_request, this->shared_from_this()));
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return shutdown();  // the client went away between requests: normal
    }
    if (ec == beast::error::timeout) {
      logging::v_info(4, "Closing connection after a read timeout");
      return;
    }
    if (ec == bhttp::error::body_limit) {
      return reject(
          "body_too_large",
          "request body exceeds " + std::to_string(state_->options.max_request_bytes) + " bytes");
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() ||
        ec == bhttp::error::header_limit) {
      return reject("malformed_http", "malformed HTTP request: " + ec.message());
    }
    logging::v_info(2, "Closing connection after a read error", {{"error", ec.message()}});
  }

  void on_request(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return on_read_error(ec);
    const auto& request = parser_->get();
    HttpReply reply;
    try {
      reply =
          state_->handler(HttpRequest{request.method_string(), request.target(), request.body()});
    } catch (const std::exception& e) {
      logging::error("Request handler threw", {{"error", e.what()}});
      reply.status = 500;
      reply.body = ErrorBody(std::string("internal error: ") + e.what());
    }
    respond(std::move(reply), request.version(), request.keep_alive());
  }

  void respond(HttpReply reply, unsigned version, bool keep_alive) {
    response_ = {};
    response_.version(version);
    response_.result(static_cast<bhttp::status>(reply.status));
    response_.set(bhttp::field::content_type, reply.content_type);
    for (auto& [name, value] : reply.extra_headers) response_.set(name, value);
    response_.body() = std::move(reply.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    close_after_write_ = !keep_alive;
    socket_layer().expires_after(state_->options.request_timeout);
    bhttp::async_write(stream_, response_,
                       beast::bind_front_handler(&Session::on_write, this->shared_from_this()));
  }

  // Answers a request we cannot read to the end with a 400 and closes the connection (its
  // remaining bytes cannot be framed).
  void reject(const std::string& reason, const std::string& message) {
    if (state_->observer) state_->observer->request_rejected(reason);
    logging::v_info(2, "Rejected request", {{"reason", reason}, {"error", message}});
    HttpReply reply;
    reply.status = 400;
    reply.body = ErrorBody(message);
    respond(std::move(reply), 11, false);
  }

  void on_write(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return;
    if (close_after_write_) return shutdown();
    read_header();
  }

  void shutdown() {
    socket_layer().expires_after(kLingerTimeout);
    if constexpr (kTls) {
      stream_.async_shutdown(
          beast::bind_front_handler(&Session::on_tls_shutdown, this->shared_from_this()));
    } else {
      beast::error_code ignored;
      socket_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain();
    }
  }

  void on_tls_shutdown(beast::error_code /*ec*/) {}

  // Reads and discards until the client closes or the linger timer fires.
  void drain() {
    socket_layer().async_read_some(
        net::buffer(drain_buffer_),
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
          if (!ec) self->drain();
        });
  }

  std::shared_ptr<const SharedState> state_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  bhttp::response<bhttp::empty_body> continue_;
  bool close_after_write_ = false;
  std::array<char, 4096> drain_buffer_{};
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::acceptor acceptor, std::shared_ptr<const SharedState> state)
      : ioc_(ioc), acceptor_(std::move(acceptor)), state_(std::move(state)), retry_timer_(ioc) {}

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_timer_.cancel();
    });
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors or similar: back off instead of spinning on the error.
      logging::warning("accept failed", {{"error", ec.message()}});
      retry_timer_.expires_after(std::chrono::milliseconds(50));
      retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->accept();
      });
      return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (state_->tls) {
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(state_, std::move(socket),
                                                                      *state_->tls)
          ->run();
    } else {
      std::make_shared<Session<beast::tcp_stream>>(state_, std::move(socket))->run();
    }
    accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<const SharedState> state_;
  net::steady_timer retry_timer_;
};

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<SharedState> state = std::make_shared<SharedState>();
  std::unique_ptr<net::io_context> ioc;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  unsigned short port = 0;
  bool running = false;
};

HttpServer::HttpServer(ServerOptions options, RequestHandler handler, HttpServerObserver* observer)
    : impl_(std::make_unique<Impl>()) {
  impl_->state->options = std::move(options);
  impl_->state->handler = std::move(handler);
  impl_->state->observer = observer;
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  if (impl_->running) return;
  auto& options = impl_->state->options;
  if (options.tls) impl_->state->tls = make_server_tls_context(*options.tls);
  const int threads = std::max(1, options.threads);
  impl_->ioc = std::make_unique<net::io_context>(threads);

  beast::error_code ec;
  const auto address = net::ip::make_address(options.bind_address, ec);
  if (ec) throw std::runtime_error("invalid bind address " + options.bind_address);
  const tcp::endpoint endpoint(address, options.port);
  tcp::acceptor acceptor(*impl_->ioc);
  auto check = [&](const char* step) {
    if (ec) {
      throw std::runtime_error(std::string("cannot ") + step + " " + options.bind_address + ":" +
                               std::to_string(options.port) + ": " + ec.message());
    }
  };
  acceptor.open(endpoint.protocol(), ec);
  check("open");
  acceptor.set_option(net::socket_base::reuse_address(true), ec);
  check("configure");
  acceptor.bind(endpoint, ec);
  check("bind");
  acceptor.listen(net::socket_base::max_listen_connections, ec);
  check("listen on");
  impl_->port = acceptor.local_endpoint().port();

  impl_->listener = std::make_shared<Listener>(*impl_->ioc, std::move(acceptor), impl_->state);
  impl_->listener->accept();
  for (int i = 0; i < threads; ++i) {
    impl_->threads.emplace_back([ioc = impl_->ioc.get()] { ioc->run(); });
  }
  impl_->running = true;
}

void HttpServer::stop() {
  if (!impl_->running) return;
  impl_->listener->close();
  impl_->ioc->stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  impl_->listener.reset();
  impl_->ioc.reset();  // destroys the pending handlers, and with them every open session
  impl_->running = false;
}

unsigned short HttpServer::port() const {
  return impl_->port;
}

}  // namespace numalign::http
