#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "extender/protocol/types.h"
#include "extender/testing/http_client.h"

// A stand-in for kube-scheduler v1.32's extender client and the parts of its scheduling cycle
// that involve extenders (pkg/scheduler/extender.go, schedule_one.go, preemption.go), for tests
// and benchmarks. It speaks the wire protocol as the scheduler does and applies the same rules
// to the replies; in-tree filtering is represented by the node list the caller passes in (the
// nodes that passed the in-tree filters) and in-tree scoring by each node's in_tree_score.
namespace numalign::extender::testing {

// One entry of KubeSchedulerConfiguration.extenders.
struct ExtenderConfig {
  std::string url_prefix = "http://127.0.0.1:8888/numalign";  // http(s)://host:port[/path]
  std::string filter_verb = "filter";
  std::string prioritize_verb = "prioritize";
  std::string preempt_verb;  // empty: not configured
  std::string bind_verb;     // empty: not configured
  std::int64_t weight = 1;
  bool node_cache_capable = true;
  std::chrono::milliseconds http_timeout{0};  // 0 means the scheduler's default, 5 s
  bool ignorable = false;
  ClientTlsOptions tls;  // tls.enabled follows an https:// url_prefix
};

// A node as the scheduler's snapshot holds it.
struct DriverNode {
  std::string name;
  nlohmann::json object;             // the Node (sent when node_cache_capable is false)
  std::int64_t in_tree_score = 0;    // weighted sum of the in-tree score plugins
  std::vector<nlohmann::json> pods;  // pods on the node (preemption resolves UIDs here)
};

enum class StatusCode { kUnschedulable, kUnschedulableAndUnresolvable };
struct NodeStatus {
  StatusCode code = StatusCode::kUnschedulable;
  std::string reason;
};

struct FilterCall {
  std::vector<std::string> feasible;
  std::map<std::string, NodeStatus> statuses;  // the rejected nodes
  std::string error;                           // transport, status, decode or reply Error
};

struct PrioritizeCall {
  // Host -> score * weight * (MaxNodeScore / MaxExtenderPriority), only for input hosts;
  // scores are not clamped (the scheduler does not clamp).
  std::map<std::string, std::int64_t> weighted_scores;
  protocol::HostPriorityList raw;  // as returned
  std::string error;
};

struct PreemptCall {
  // The candidates after this extender, UIDs resolved to the nodes' pods. When an ignorable
  // extender fails it is skipped and the input candidates stand.
  std::map<std::string, protocol::Victims> victims;
  std::string error;
  bool skipped = false;
};

struct ScheduleOutcome {
  enum class Result { kScheduled, kUnschedulable, kError };
  Result result = Result::kError;
  std::string node;                            // kScheduled
  std::string error;                           // kError
  std::map<std::string, NodeStatus> statuses;  // why nodes were rejected
  int filter_calls = 0;
  bool nominated_node_evaluated = false;
  bool prioritize_called = false;
  bool extender_skipped = false;                     // an ignorable extender failed and was skipped
  std::map<std::string, std::int64_t> total_scores;  // in-tree + extender, per feasible node
};

struct BindOutcome {
  bool bound = false;
  bool bound_by_default_binder = false;  // ignorable extender failed; DefaultBinder took over
  int attempts = 0;
  std::vector<std::string> errors;  // one per failed attempt
};

class SchedulerDriver {
 public:
  explicit SchedulerDriver(ExtenderConfig config);
  ~SchedulerDriver();

  const ExtenderConfig& config() const { return config_; }
  // The URL path of a verb: trimRight(path of url_prefix, "/") + "/" + verb.
  std::string verb_path(const std::string& verb) const;

  // One extender call each, with the scheduler's reply checks.
  FilterCall filter(const nlohmann::json& pod, const std::vector<const DriverNode*>& nodes);
  PrioritizeCall prioritize(const nlohmann::json& pod, const std::vector<const DriverNode*>& nodes);
  // Returns "" on success, else the error the scheduler would log.
  std::string bind(const protocol::BindingArgs& args);
  // `candidates`: node -> victims of the scheduler's dry run; nodes are looked up in `nodes`.
  PreemptCall preempt(const nlohmann::json& pod,
                      const std::map<std::string, protocol::Victims>& candidates,
                      const std::vector<DriverNode>& nodes);

  // The scheduling algorithm for one pod over the in-tree-feasible `nodes`: nominated node
  // first (pod.status.nominatedNodeName), extender filter, the one-feasible-node shortcut
  // (no prioritize), weighted scoring and selection. Ties go to the earliest node in `nodes`
  // (the scheduler picks at random among ties; tests want determinism).
  ScheduleOutcome schedule(const nlohmann::json& pod, const std::vector<DriverNode>& nodes);

  // The binding cycle: bind through the extender (DefaultBinder when no bind verb). A failed
  // bind requeues the pod; here the retry is the same binding again, up to `max_attempts`,
  // which is what the extender sees when the pod lands on the same node after requeueing.
  BindOutcome bind_pod(const nlohmann::json& pod, const std::string& node, int max_attempts = 1);
  // Binding runs in its own goroutine in the scheduler, concurrently with later cycles.
  std::future<BindOutcome> bind_pod_async(nlohmann::json pod, std::string node,
                                          int max_attempts = 1);

  // Raw access for tests and benchmarks: POST `body` to a verb, with the configured timeout.
  ClientResponse post(const std::string& verb, const std::string& body);
  int connections_opened() const;

 private:
  class ClientPool;

  std::chrono::milliseconds timeout() const;

  ExtenderConfig config_;
  std::string host_;
  unsigned short port_ = 0;
  std::string path_prefix_;
  std::unique_ptr<ClientPool> clients_;
};

// metadata.uid / namespace / name of a pod object ("" when missing).
std::string pod_uid(const nlohmann::json& pod);
std::string pod_namespace(const nlohmann::json& pod);
std::string pod_name(const nlohmann::json& pod);

}  // namespace numalign::extender::testing
