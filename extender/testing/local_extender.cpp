#include "extender/testing/local_extender.h"

namespace numalign::extender::testing {

LocalExtender::LocalExtender(Decider& decider, Options options)
    : options_(std::move(options)), metrics_(registry_) {
  options_.server.bind_address = "127.0.0.1";
  options_.server.port = 0;
  service_ = std::make_unique<ExtenderService>(decider, metrics_, options_.service);
  router_ = std::make_unique<Router>(options_.url_prefix, *service_, metrics_,
                                     [this] { return ready_.load(); });
  server_ = std::make_unique<http::HttpServer>(
      options_.server,
      [this](const http::HttpRequest& request) { return router_->handle(request); }, &metrics_);
  server_->start();
}

LocalExtender::~LocalExtender() {
  server_->stop();
}

std::string LocalExtender::url_prefix() const {
  return std::string(options_.server.tls ? "https" : "http") +
         "://127.0.0.1:" + std::to_string(port()) + router_->url_prefix();
}

}  // namespace numalign::extender::testing
