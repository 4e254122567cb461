#include "kube/transport/cpprest_transport.h"

#include <cpprest/http_client.h>
#include <cpprest/producerconsumerstream.h>

#include <atomic>
#include <boost/asio/ssl.hpp>
#include <map>
#include <mutex>

#include "kube/errors.h"

namespace numalign::kube {

namespace http = web::http;
namespace streams = concurrency::streams;

namespace {

void ConfigureTls(boost::asio::ssl::context& ctx, const TlsConfig& tls) {
  if (!tls.ca_pem.empty()) {
    ctx.add_certificate_authority(boost::asio::buffer(tls.ca_pem));
  }
  if (!tls.client_cert_pem.empty()) {
    ctx.use_certificate_chain(boost::asio::buffer(tls.client_cert_pem));
    ctx.use_private_key(boost::asio::buffer(tls.client_key_pem), boost::asio::ssl::context::pem);
  }
}

// Applies the TLS material to a scratch context so bad PEM fails loudly at construction.
void ValidateTls(const TlsConfig& tls) {
  boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
  try {
    if (!tls.ca_pem.empty()) ctx.add_certificate_authority(boost::asio::buffer(tls.ca_pem));
  } catch (const std::exception& e) {
    throw ConfigError(std::string("certificate authority is not a valid PEM certificate: ") +
                      e.what());
  }
  if (tls.client_cert_pem.empty() != tls.client_key_pem.empty()) {
    throw ConfigError("a client certificate needs both the certificate and its key");
  }
  if (tls.client_cert_pem.empty()) return;
  try {
    ctx.use_certificate_chain(boost::asio::buffer(tls.client_cert_pem));
  } catch (const std::exception& e) {
    throw ConfigError(std::string("client certificate is not a valid PEM certificate: ") +
                      e.what());
  }
  try {
    ctx.use_private_key(boost::asio::buffer(tls.client_key_pem), boost::asio::ssl::context::pem);
  } catch (const std::exception& e) {
    throw ConfigError(std::string("client key is not a valid PEM private key (or does not match "
                                  "the certificate): ") +
                      e.what());
  }
}

http::http_request ToCpprest(const HttpRequest& request) {
  http::http_request out(request.method);
  try {
    out.set_request_uri(web::uri(request.path));
  } catch (const std::exception& e) {
    throw TransportError("invalid request path " + request.path + ": " + e.what());
  }
  std::string content_type;
  for (const auto& [name, value] : request.headers) {
    if (HeaderNameLess{}(name, "Content-Type") == HeaderNameLess{}("Content-Type", name)) {
      content_type = value;  // equal ignoring case
      continue;
    }
    out.headers().add(name, value);
  }
  if (!request.body.empty() || !content_type.empty()) {
    out.set_body(request.body, content_type.empty() ? "application/json" : content_type);
  }
  return out;
}

HttpHeaders FromCpprest(const http::http_headers& headers) {
  HttpHeaders out;
  for (const auto& [name, value] : headers) out[name] = value;
  return out;
}

class CpprestStream final : public ResponseStream {
 public:
  CpprestStream(http::client::http_client& client, const HttpRequest& request) {
    http::http_request req = ToCpprest(request);
    req.set_response_stream(buffer_.create_ostream());
    try {
      response_ = client.request(req, cancel_.get_token()).get();
    } catch (const std::exception& e) {
      throw TransportError("watch " + request.path + ": " + e.what());
    }
    status_ = response_.status_code();
    headers_ = FromCpprest(response_.headers());
    // cpprestsdk does not close a caller-supplied body stream when the body ends; do it here so
    // Read() sees the end, and remember why it ended.
    auto buffer = buffer_;
    auto failure = failure_;
    response_.content_ready().then([buffer, failure](pplx::task<http::http_response> done) mutable {
      try {
        done.get();
      } catch (const std::exception& e) {
        std::lock_guard lock(failure->mu);
        failure->message = e.what();
      }
      buffer.close(std::ios_base::out).wait();
    });
  }

  ~CpprestStream() override { Cancel(); }

  int Status() const override { return status_; }
  const HttpHeaders& Headers() const override { return headers_; }

  std::optional<std::string> Read() override {
    if (cancelled_) return std::nullopt;
    try {
      // One blocking byte, then whatever else has already arrived.
      const auto first = buffer_.bumpc().get();
      if (first == streams::char_traits<std::uint8_t>::eof()) return EndOfBody();
      std::string out(1, static_cast<char>(first));
      const std::size_t available = buffer_.in_avail();
      if (available > 0) {
        std::string rest(available, '\0');
        const std::size_t got =
            buffer_.getn(reinterpret_cast<std::uint8_t*>(rest.data()), available).get();
        out.append(rest.data(), got);
      }
      return out;
    } catch (const CancelledError&) {
      throw;
    } catch (const std::exception& e) {
      if (cancelled_) return std::nullopt;
      throw TransportError(std::string("watch stream failed: ") + e.what());
    }
  }

  void Cancel() override {
    if (cancelled_.exchange(true)) return;
    cancel_.cancel();
    buffer_.close(std::ios_base::out).wait();
  }

 private:
  struct Failure {
    std::mutex mu;
    std::string message;
  };

  std::optional<std::string> EndOfBody() {
    if (cancelled_) return std::nullopt;
    std::lock_guard lock(failure_->mu);
    if (!failure_->message.empty()) {
      throw TransportError("watch stream failed: " + failure_->message);
    }
    return std::nullopt;
  }

  streams::producer_consumer_buffer<std::uint8_t> buffer_;
  pplx::cancellation_token_source cancel_;
  http::http_response response_;
  int status_ = 0;
  HttpHeaders headers_;
  std::shared_ptr<Failure> failure_ = std::make_shared<Failure>();
  std::atomic<bool> cancelled_ = false;
};

class CpprestTransport final : public HttpTransport {
 public:
  CpprestTransport(std::string server, TlsConfig tls)
      : server_(std::move(server)), tls_(std::move(tls)) {
    try {
      web::uri parsed(server_);
      if (parsed.scheme() != "https" && parsed.scheme() != "http") {
        throw ConfigError("server URL " + server_ + " must start with https:// or http://");
      }
    } catch (const web::uri_exception& e) {
      throw ConfigError("server URL " + server_ + " is not a valid URL: " + e.what());
    }
    ValidateTls(tls_);
  }

  HttpResponse Send(const HttpRequest& request) override {
    http::http_request req = ToCpprest(request);
    try {
      http::http_response response = ClientFor(request.timeout).request(req).get();
      HttpResponse out;
      out.status = response.status_code();
      out.headers = FromCpprest(response.headers());
      const std::vector<unsigned char> body = response.extract_vector().get();
      out.body.assign(body.begin(), body.end());
      return out;
    } catch (const KubeError&) {
      throw;
    } catch (const std::exception& e) {
      throw TransportError(request.method + " " + request.path + ": " + e.what());
    }
  }

  std::unique_ptr<ResponseStream> Stream(const HttpRequest& request) override {
    return std::make_unique<CpprestStream>(ClientFor(request.timeout), request);
  }

 private:
  // cpprestsdk fixes the timeout per client, so keep one client (and its connection pool) per
  // distinct timeout; there are only a handful in practice.
  http::client::http_client& ClientFor(std::chrono::milliseconds timeout) {
    std::lock_guard lock(mu_);
    auto it = clients_.find(timeout.count());
    if (it != clients_.end()) return *it->second;
    http::client::http_client_config config;
    config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout));
    config.set_validate_certificates(!tls_.insecure_skip_verify);
    const TlsConfig tls = tls_;
    config.set_ssl_context_callback(
        [tls](boost::asio::ssl::context& ctx) { ConfigureTls(ctx, tls); });
    auto client = std::make_unique<http::client::http_client>(server_, config);
    return *clients_.emplace(timeout.count(), std::move(client)).first->second;
  }

  const std::string server_;
  const TlsConfig tls_;
  std::mutex mu_;
  std::map<long long, std::unique_ptr<http::client::http_client>> clients_;
};

}  // namespace

std::unique_ptr<HttpTransport> MakeCpprestTransport(const std::string& server,
                                                    const TlsConfig& tls) {
  return std::make_unique<CpprestTransport>(server, tls);
}

}  // namespace numalign::kube
