#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "kube/transport/http_transport.h"

namespace numalign::kube {

// A stream a test feeds by hand: Push() body bytes, Finish() the body, Fail() the connection.
class FakeResponseStream final : public ResponseStream {
 public:
  explicit FakeResponseStream(int status = 200, HttpHeaders headers = {});

  int Status() const override { return status_; }
  const HttpHeaders& Headers() const override { return headers_; }
  std::optional<std::string> Read() override;
  void Cancel() override;

  void Push(std::string bytes);
  void Finish();
  void Fail(std::string message);
  bool cancelled() const;

 private:
  int status_;
  HttpHeaders headers_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;
  bool finished_ = false;
  bool cancelled_ = false;
  std::optional<std::string> failure_;
};

// A scripted transport: each request goes to the handler (or the next queued response), and
// every request is recorded for assertions.
class FakeTransport final : public HttpTransport {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  using StreamHandler = std::function<std::shared_ptr<ResponseStream>(const HttpRequest&)>;

  HttpResponse Send(const HttpRequest& request) override;
  std::unique_ptr<ResponseStream> Stream(const HttpRequest& request) override;

  void SetHandler(Handler handler);
  void SetStreamHandler(StreamHandler handler);
  // Queued responses are used before the handler; a status of 0 means "throw TransportError".
  void Enqueue(HttpResponse response);
  void EnqueueJson(int status, const std::string& body, HttpHeaders headers = {});
  void EnqueueConnectionError();
  void EnqueueStream(std::shared_ptr<ResponseStream> stream);

  std::vector<HttpRequest> requests() const;
  std::size_t request_count() const;

 private:
  mutable std::mutex mu_;
  Handler handler_;
  StreamHandler stream_handler_;
  std::deque<HttpResponse> queued_;
  std::deque<std::shared_ptr<ResponseStream>> queued_streams_;
  std::vector<HttpRequest> requests_;
};

}  // namespace numalign::kube
