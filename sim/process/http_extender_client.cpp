#include "sim/process/http_extender_client.h"

#include "extender/protocol/scheduler_codec.h"

namespace numalign::sim::process {
namespace {

extender::testing::ClientOptions ConnectionOptions(const HttpExtenderClient::Options& options) {
  extender::testing::ClientOptions out;
  out.host = options.host;
  out.port = options.port;
  return out;
}

}  // namespace

HttpExtenderClient::HttpExtenderClient(Options options)
    : options_(std::move(options)), http_(ConnectionOptions(options_)) {}

std::optional<std::string> HttpExtenderClient::Post(const std::string& verb,
                                                    const std::string& body, std::string* error) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<std::string> out;
  try {
    auto response = http_.post(options_.url_prefix + "/" + verb, body, options_.timeout);
    if (response.status == 200) {
      out = std::move(response.body);
    } else {
      *error = verb + ": HTTP " + std::to_string(response.status) + ": " + response.body;
    }
  } catch (const std::exception& e) {
    *error = verb + ": " + e.what();
    http_.close();
  }
  latency_us_.push_back(
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  return out;
}

extender::protocol::FilterResult HttpExtenderClient::Filter(
    const extender::protocol::ExtenderArgs& args) {
  extender::protocol::FilterResult result;
  auto body =
      Post("filter", extender::protocol::write_extender_args(args.pod, args.nodes), &result.error);
  if (!body) return result;
  try {
    auto reply = extender::protocol::parse_filter_reply(*body);
    result.node_names = reply.node_names.value_or(std::vector<std::string>{});
    result.nodes = std::move(reply.nodes);
    result.failed_nodes = std::move(reply.failed_nodes);
    result.failed_and_unresolvable_nodes = std::move(reply.failed_and_unresolvable_nodes);
    result.error = std::move(reply.error);
  } catch (const std::exception& e) {
    result.error = std::string("filter: undecodable reply: ") + e.what();
  }
  return result;
}

PrioritizeReply HttpExtenderClient::Prioritize(const extender::protocol::ExtenderArgs& args) {
  PrioritizeReply result;
  auto body = Post("prioritize", extender::protocol::write_extender_args(args.pod, args.nodes),
                   &result.error);
  if (!body) return result;
  try {
    result.scores = extender::protocol::parse_host_priority_list(*body);
  } catch (const std::exception& e) {
    result.error = std::string("prioritize: undecodable reply: ") + e.what();
  }
  return result;
}

extender::protocol::BindingResult HttpExtenderClient::Bind(
    const extender::protocol::BindingArgs& args) {
  extender::protocol::BindingResult result;
  auto body = Post("bind", extender::protocol::write_binding_args(args), &result.error);
  if (!body) return result;
  try {
    result = extender::protocol::parse_binding_result(*body);
  } catch (const std::exception& e) {
    result.error = std::string("bind: undecodable reply: ") + e.what();
  }
  return result;
}

}  // namespace numalign::sim::process
