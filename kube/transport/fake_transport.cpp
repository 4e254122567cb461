#include "kube/transport/fake_transport.h"

#include "kube/errors.h"

namespace numalign::kube {

namespace {

// Forwards to a stream the test keeps a shared_ptr to, so the test can keep feeding it.
class SharedStream final : public ResponseStream {
 public:
  explicit SharedStream(std::shared_ptr<ResponseStream> inner) : inner_(std::move(inner)) {}
  int Status() const override { return inner_->Status(); }
  const HttpHeaders& Headers() const override { return inner_->Headers(); }
  std::optional<std::string> Read() override { return inner_->Read(); }
  void Cancel() override { inner_->Cancel(); }

 private:
  std::shared_ptr<ResponseStream> inner_;
};

}  // namespace

FakeResponseStream::FakeResponseStream(int status, HttpHeaders headers)
    : status_(status), headers_(std::move(headers)) {}

std::optional<std::string> FakeResponseStream::Read() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !chunks_.empty() || finished_ || cancelled_ || failure_; });
  if (cancelled_) return std::nullopt;
  if (!chunks_.empty()) {
    std::string next = std::move(chunks_.front());
    chunks_.pop_front();
    return next;
  }
  if (failure_) throw TransportError(*failure_);
  return std::nullopt;
}

void FakeResponseStream::Cancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  cv_.notify_all();
}

void FakeResponseStream::Push(std::string bytes) {
  std::lock_guard lock(mu_);
  chunks_.push_back(std::move(bytes));
  cv_.notify_all();
}

void FakeResponseStream::Finish() {
  std::lock_guard lock(mu_);
  finished_ = true;
  cv_.notify_all();
}

void FakeResponseStream::Fail(std::string message) {
  std::lock_guard lock(mu_);
  failure_ = std::move(message);
  cv_.notify_all();
}

bool FakeResponseStream::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

HttpResponse FakeTransport::Send(const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!queued_.empty()) {
      HttpResponse next = std::move(queued_.front());
      queued_.pop_front();
      if (next.status == 0) throw TransportError("fake transport: connection refused");
      return next;
    }
    handler = handler_;
  }
  if (!handler) throw TransportError("fake transport: no response scripted for " + request.path);
  return handler(request);
}

std::unique_ptr<ResponseStream> FakeTransport::Stream(const HttpRequest& request) {
  StreamHandler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!queued_streams_.empty()) {
      auto next = std::move(queued_streams_.front());
      queued_streams_.pop_front();
      if (!next) throw TransportError("fake transport: connection refused");
      return std::make_unique<SharedStream>(std::move(next));
    }
    handler = stream_handler_;
  }
  if (!handler) throw TransportError("fake transport: no stream scripted for " + request.path);
  auto stream = handler(request);
  if (!stream) throw TransportError("fake transport: connection refused");
  return std::make_unique<SharedStream>(std::move(stream));
}

void FakeTransport::SetHandler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

void FakeTransport::SetStreamHandler(StreamHandler handler) {
  std::lock_guard lock(mu_);
  stream_handler_ = std::move(handler);
}

void FakeTransport::Enqueue(HttpResponse response) {
  std::lock_guard lock(mu_);
  queued_.push_back(std::move(response));
}

void FakeTransport::EnqueueJson(int status, const std::string& body, HttpHeaders headers) {
  headers.emplace("Content-Type", "application/json");
  Enqueue(HttpResponse{status, std::move(headers), body});
}

void FakeTransport::EnqueueConnectionError() {
  Enqueue(HttpResponse{});
}

void FakeTransport::EnqueueStream(std::shared_ptr<ResponseStream> stream) {
  std::lock_guard lock(mu_);
  queued_streams_.push_back(std::move(stream));
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::size_t FakeTransport::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

}  // namespace numalign::kube
