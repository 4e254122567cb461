#include "extender/testing/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace numalign::extender::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxReplyBytes = 256 * 1024 * 1024;

}  // namespace

struct HttpClient::Impl {
  ClientOptions options;
  net::io_context ioc;
  std::optional<ssl::context> tls_context;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  int connections_opened = 0;

  bool connected() const { return plain.has_value() || secure.has_value(); }
  beast::tcp_stream& socket_layer() { return plain ? *plain : beast::get_lowest_layer(*secure); }

  // Runs one asynchronous operation to completion on this thread; returns its error.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = net::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  [[noreturn]] void fail(const char* step, beast::error_code ec) {
    const bool timed_out = ec == beast::error::timeout;
    close();
    throw TransportError(std::string(step) + " " + options.host + ":" +
                             std::to_string(options.port) + ": " +
                             (timed_out ? "Client.Timeout exceeded" : ec.message()),
                         timed_out);
  }

  void connect(Clock::time_point deadline) {
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec) fail("resolve", ec);
    beast::tcp_stream stream(ioc);
    stream.expires_at(deadline);
    ec = run([&](auto handler) { stream.async_connect(endpoints, handler); });
    if (ec) fail("connect", ec);
    stream.socket().set_option(tcp::no_delay(true), ec);
    ++connections_opened;
    buffer.clear();
    if (!options.tls.enabled) {
      plain.emplace(std::move(stream));
      return;
    }
    secure.emplace(std::move(stream), *tls_context);
    const auto& name = options.tls.server_name.empty() ? options.host : options.tls.server_name;
    SSL_set_tlsext_host_name(secure->native_handle(), name.c_str());
    if (!options.tls.ca_file.empty()) {
      secure->set_verify_callback(ssl::host_name_verification(name));
    }
    ec = run([&](auto handler) { secure->async_handshake(ssl::stream_base::client, handler); });
    if (ec) fail("TLS handshake with", ec);
  }

  void close() {
    if (plain) {
      beast::error_code ignored;
      plain->socket().shutdown(tcp::socket::shutdown_both, ignored);
    }
    plain.reset();
    secure.reset();
  }

  // Writes the request and reads the reply as one operation under one deadline timer. The
  // stream's own timeout would arm a timer for every read and write (two system calls each),
  // which on a 5,000-name reply costs the benchmark's client more than the extender's work.
  template <class Request, class Response>
  beast::error_code exchange(Request& request, Response& response, Clock::time_point deadline) {
    socket_layer().expires_never();
    beast::error_code result = net::error::would_block;
    bool timed_out = false;
    net::steady_timer timer(ioc, deadline);
    timer.async_wait([&](beast::error_code ec) {
      if (ec || result != net::error::would_block) return;
      timed_out = true;
      beast::error_code ignored;
      socket_layer().socket().cancel(ignored);
    });
    auto done = [&](beast::error_code ec, std::size_t = 0) {
      result = ec;
      timer.cancel();
    };
    auto read = [&](beast::error_code ec, std::size_t) {
      if (ec) return done(ec);
      if (plain)
        http::async_read(*plain, buffer, response, done);
      else
        http::async_read(*secure, buffer, response, done);
    };
    // Room for a large reply (a 5,000-name filter reply is ~70 KB): a read takes at most the
    // buffer's free capacity, so a small buffer means a system call per kilobyte.
    buffer.reserve(64 * 1024);
    if (plain)
      http::async_write(*plain, request, read);
    else
      http::async_write(*secure, request, read);
    ioc.restart();
    ioc.run();
    return timed_out ? beast::error_code(beast::error::timeout) : result;
  }

  ClientResponse request(http::verb verb, std::string_view target, std::string_view body,
                         std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, options.host + ":" + std::to_string(options.port));
    request.set(http::field::user_agent, "kube-scheduler/v1.32.0 (numalign scheduler driver)");
    request.set(http::field::accept_encoding, "gzip");
    if (verb == http::verb::post) {
      request.set(http::field::content_type, "application/json");
      request.body() = std::string(body);
    }
    request.prepare_payload();

    for (int attempt = 0;; ++attempt) {
      const bool reused = connected();
      if (!reused) connect(deadline);
      http::response_parser<http::string_body> parser;
      parser.body_limit(kMaxReplyBytes);
      const auto ec = exchange(request, parser, deadline);
      // A kept-alive connection the server has closed meanwhile: retry once on a new one
      // when nothing of the reply arrived, as Go's transport does.
      if (ec && reused && attempt == 0 && !parser.got_some() && ec != beast::error::timeout) {
        close();
        continue;
      }
      if (ec) fail("request to", ec);
      auto message = parser.release();
      ClientResponse response;
      response.status = message.result_int();
      response.content_type = std::string(message[http::field::content_type]);
      response.body = std::move(message.body());
      response.reused_connection = reused;
      if (!message.keep_alive()) close();
      return response;
    }
  }
};

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  if (impl_->options.tls.enabled) {
    auto& context = impl_->tls_context.emplace(ssl::context::tls_client);
    const auto& tls = impl_->options.tls;
    if (tls.ca_file.empty()) {
      context.set_verify_mode(ssl::verify_none);
    } else {
      context.load_verify_file(tls.ca_file);
      context.set_verify_mode(ssl::verify_peer);
    }
    if (!tls.cert_file.empty()) context.use_certificate_chain_file(tls.cert_file);
    if (!tls.key_file.empty()) context.use_private_key_file(tls.key_file, ssl::context::pem);
  }
}

HttpClient::~HttpClient() = default;

ClientResponse HttpClient::post(std::string_view target, std::string_view body,
                                std::chrono::milliseconds timeout) {
  return impl_->request(http::verb::post, target, body, timeout);
}

ClientResponse HttpClient::get(std::string_view target, std::chrono::milliseconds timeout) {
  return impl_->request(http::verb::get, target, {}, timeout);
}

std::string HttpClient::send_raw(std::string_view bytes, std::chrono::milliseconds timeout) {
  impl_->close();
  const auto deadline = Clock::now() + timeout;
  impl_->connect(deadline);
  auto& stream = impl_->socket_layer();
  stream.expires_at(deadline);
  auto ec = impl_->run([&](auto handler) {
    if (impl_->plain)
      net::async_write(*impl_->plain, net::buffer(bytes), handler);
    else
      net::async_write(*impl_->secure, net::buffer(bytes), handler);
  });
  std::string received;
  std::array<char, 4096> chunk{};
  while (!ec) {
    std::size_t got = 0;
    ec = impl_->run([&](auto handler) {
      auto done = [&got, handler](beast::error_code read_ec, std::size_t n) mutable {
        got = n;
        handler(read_ec);
      };
      if (impl_->plain)
        impl_->plain->async_read_some(net::buffer(chunk), done);
      else
        impl_->secure->async_read_some(net::buffer(chunk), done);
    });
    received.append(chunk.data(), got);
  }
  impl_->close();
  return received;
}

void HttpClient::close() {
  impl_->close();
}

int HttpClient::connections_opened() const {
  return impl_->connections_opened;
}

}  // namespace numalign::extender::testing
