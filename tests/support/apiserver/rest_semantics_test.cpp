// Drives the test API server over HTTP and compares its answers with the kube-apiserver v1.32
// transcripts (../shared/apiserver-transcripts): exact bytes for Status bodies, shapes for
// objects (uid, timestamps and resourceVersions vary).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/apiserver/api_core.h"
#include "tests/support/apiserver/managed_fields.h"
#include "tests/support/apiserver/patch.h"
#include "tests/support/apiserver/quantity.h"
#include "tests/support/apiserver/selectors.h"
#include "tests/support/apiserver/test_api_server.h"
#include "tests/support/apiserver/testing_http_client.h"

namespace numalign::test_apiserver {
namespace {

using testing::HttpClient;
using testing::HttpResult;

const char* kPodBody =
    R"({"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.10","resources":{"requests":{"cpu":"100m","memory":"64Mi"}}}]}})";

class RestSemanticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = TestApiServer::Start({});
    client_ = std::make_unique<HttpClient>(server_->Port());
    ASSERT_EQ(
        client_
            ->Post(
                "/api/v1/namespaces",
                R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo","labels":{"team":"a"}}})")
            .status,
        201);
  }

  Json CreatePod(const std::string& name, const std::string& labels = R"({"app":"web"})") {
    std::string body =
        R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","labels":)" +
        labels + R"(},"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.10"}]}})";
    HttpResult result = client_->Post("/api/v1/namespaces/demo/pods", body);
    EXPECT_EQ(result.status, 201) << result.body;
    return result.json();
  }

  std::unique_ptr<TestApiServer> server_;
  std::unique_ptr<HttpClient> client_;
};

uint64_t Rv(const Json& object) {
  return std::stoull(object["metadata"]["resourceVersion"].get<std::string>());
}

TEST_F(RestSemanticsTest, NamespaceCreateMatchesTranscriptShape) {
  HttpResult result = client_->Get("/api/v1/namespaces/demo");
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  EXPECT_EQ(result.Header("Cache-Control"), "no-cache, private");
  EXPECT_FALSE(result.Header("Audit-Id").empty());
  EXPECT_FALSE(result.Header("X-Kubernetes-Pf-Flowschema-Uid").empty());
  ASSERT_EQ(result.body.back(), '\n');
  Json ns = result.json();
  // Key order of the transcript (Go struct order).
  std::vector<std::string> keys;
  for (const auto& [key, value] : ns.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"kind", "apiVersion", "metadata", "spec", "status"}));
  std::vector<std::string> meta_keys;
  for (const auto& [key, value] : ns["metadata"].items()) meta_keys.push_back(key);
  EXPECT_EQ(meta_keys, (std::vector<std::string>{"name", "uid", "resourceVersion",
                                                 "creationTimestamp", "labels", "managedFields"}));
  EXPECT_EQ(ns["metadata"]["labels"],
            Json::parse(R"({"kubernetes.io/metadata.name":"demo","team":"a"})"));
  EXPECT_EQ(ns["spec"], Json::parse(R"({"finalizers":["kubernetes"]})"));
  EXPECT_EQ(ns["status"], Json::parse(R"({"phase":"Active"})"));
  const Json& managed = ns["metadata"]["managedFields"][0];
  EXPECT_EQ(managed["manager"], "apiserver-test");
  EXPECT_EQ(managed["operation"], "Update");
  EXPECT_EQ(
      managed["fieldsV1"],
      Json::parse(
          R"({"f:metadata":{"f:labels":{".":{},"f:kubernetes.io/metadata.name":{},"f:team":{}}}})"));
  EXPECT_EQ(ns["metadata"]["uid"].get<std::string>().size(), 36u);
  EXPECT_EQ(ns["metadata"]["creationTimestamp"].get<std::string>().size(), 20u);
}

TEST_F(RestSemanticsTest, AlreadyExistsNotFoundAndInvalidNameAreTheTranscriptBytes) {
  HttpResult again = client_->Post(
      "/api/v1/namespaces", R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"}})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            "\"message\":"
            "\"namespaces \\\"demo\\\" already "
            "exists\",\"reason\":\"AlreadyExists\",\"details\":{\"name\":"
            "\"demo\",\"kind\":\"namespaces\"},\"code\":409}\n");
  HttpResult missing = client_->Get("/api/v1/namespaces/missing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(
      missing.body,
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
      "\"message\":"
      "\"namespaces \\\"missing\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":"
      "\"missing\",\"kind\":\"namespaces\"},\"code\":404}\n");
  EXPECT_EQ(missing.Header("Content-Length"), "194");
  HttpResult invalid =
      client_->Post("/api/v1/namespaces",
                    R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"Bad_Name"}})");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.body.size(), 814u) << invalid.body;
  EXPECT_EQ(invalid.json()["details"]["causes"][0]["field"], "metadata.name");
  HttpResult unknown = client_->Get("/api/v1/nopes");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body.size(), 174u);
  HttpResult unknown_group = client_->Get("/apis/nope.example.com/v1");
  EXPECT_EQ(unknown_group.status, 404);
  EXPECT_EQ(unknown_group.body, "404 page not found\n");
  EXPECT_EQ(unknown_group.Header("Content-Type"), "text/plain; charset=utf-8");
}

TEST_F(RestSemanticsTest, YamlBodiesAndMalformedBodies) {
  HttpResult yaml = client_->Post("/api/v1/namespaces",
                                  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: scratch\n",
                                  "application/yaml");
  EXPECT_EQ(yaml.status, 201);
  EXPECT_EQ(yaml.json()["metadata"]["name"], "scratch");
  HttpResult truncated =
      client_->Post("/api/v1/namespaces/demo/pods", R"({"apiVersion":"v1","kind":"Pod",)");
  EXPECT_EQ(truncated.status, 400);
  EXPECT_EQ(truncated.body.size(), 291u) << truncated.body;
  HttpResult wrong_kind =
      client_->Post("/api/v1/namespaces/demo/pods",
                    R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"x"}})");
  EXPECT_EQ(wrong_kind.status, 400);
  EXPECT_EQ(wrong_kind.body.size(), 220u) << wrong_kind.body;
  HttpResult garbage = client_->Post("/api/v1/namespaces/demo/pods", std::string("\x01\xff{[[", 5));
  EXPECT_EQ(garbage.status, 400);
  HttpResult bad_quantity = client_->Post(
      "/api/v1/namespaces/demo/pods",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"badq","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.10","resources":{"requests":{"cpu":"100m","memory":"5Gx"}}}]}})");
  EXPECT_EQ(bad_quantity.status, 400);
  EXPECT_EQ(bad_quantity.body.size(), 256u) << bad_quantity.body;
  HttpResult huge =
      client_->Post("/api/v1/namespaces/demo/pods", std::string(4 * 1024 * 1024, ' '));
  EXPECT_EQ(huge.status, 413);
}

TEST_F(RestSemanticsTest, PodCreateDefaultsAndAdmission) {
  HttpResult created = client_->Post("/api/v1/namespaces/demo/pods", kPodBody);
  ASSERT_EQ(created.status, 201) << created.body;
  Json pod = created.json();
  std::string name = pod["metadata"]["name"];
  EXPECT_EQ(name.size(), 9u);
  EXPECT_EQ(name.rfind("web-", 0), 0u);
  EXPECT_EQ(pod["metadata"]["generateName"], "web-");
  EXPECT_FALSE(pod["metadata"].contains("generation"));
  const Json& spec = pod["spec"];
  EXPECT_EQ(spec["containers"][0]["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(spec["containers"][0]["terminationMessagePath"], "/dev/termination-log");
  EXPECT_EQ(spec["restartPolicy"], "Always");
  EXPECT_EQ(spec["terminationGracePeriodSeconds"], 30);
  EXPECT_EQ(spec["serviceAccountName"], "default");
  EXPECT_EQ(spec["volumes"][0]["projected"]["sources"].size(), 3u);  // upstream: 3 sources
  EXPECT_EQ(spec["tolerations"].size(), 2u);
  EXPECT_EQ(spec["priority"], 0);
  EXPECT_EQ(pod["status"], Json::parse(R"({"phase":"Pending","qosClass":"Burstable"})"));
  EXPECT_EQ(pod["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]["f:containers"]
               ["k:{\"name\":\"c\"}"]["f:resources"]["f:requests"],
            Json::parse(R"({".":{},"f:cpu":{},"f:memory":{}})"));
  EXPECT_FALSE(pod["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"].contains("f:volumes"));
  HttpResult invalid = client_->Post(
      "/api/v1/namespaces/demo/pods",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad1"},"spec":{"containers":[]}})");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(
      invalid.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \"bad1\" is invalid: spec.containers: Required value","reason":"Invalid","details":{"name":"bad1","kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers"}]},"code":422})"
      "\n");
  HttpResult no_namespace = client_->Post("/api/v1/namespaces/no-such-ns/pods", kPodBody);
  EXPECT_EQ(no_namespace.status, 404);
  EXPECT_EQ(no_namespace.json()["details"]["kind"], "namespaces");
}

TEST_F(RestSemanticsTest, ResourceVersionsAreGlobalAndMonotonic) {
  Json a = CreatePod("a");
  Json b = CreatePod("b");
  EXPECT_GT(Rv(b), Rv(a));
  HttpResult list = client_->Get("/api/v1/namespaces/demo/pods");
  EXPECT_EQ(std::stoull(list.json()["metadata"]["resourceVersion"].get<std::string>()), Rv(b));
  HttpResult lease = client_->Post(
      "/apis/coordination.k8s.io/v1/namespaces/demo/leases",
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},"spec":{"holderIdentity":"x","leaseDurationSeconds":15,"acquireTime":"2026-11-22T12:00:00.123456+02:00"}})");
  ASSERT_EQ(lease.status, 201) << lease.body;
  EXPECT_GT(Rv(lease.json()), Rv(b));
  EXPECT_EQ(lease.json()["spec"]["acquireTime"], "2026-11-22T10:00:00.123456Z");
}

TEST_F(RestSemanticsTest, ListPaginationIsASnapshot) {
  for (int i = 0; i < 5; ++i) CreatePod("page-" + std::to_string(i));
  HttpResult first = client_->Get("/api/v1/namespaces/demo/pods?limit=2");
  Json page = first.json();
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["metadata"]["remainingItemCount"], 3);
  EXPECT_FALSE(page["items"][0].contains("kind"));
  std::string token = page["metadata"]["continue"];
  auto decoded = Base64UrlDecode(token);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(Json::parse(*decoded)["start"], std::string("/page-1") + '\0');
  CreatePod("page-between");
  std::vector<std::string> names;
  for (const auto& item : page["items"]) names.push_back(item["metadata"]["name"]);
  while (page["metadata"].contains("continue")) {
    page = client_
               ->Get("/api/v1/namespaces/demo/pods?limit=2&continue=" +
                     page["metadata"]["continue"].get<std::string>())
               .json();
    for (const auto& item : page["items"]) names.push_back(item["metadata"]["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"page-0", "page-1", "page-2", "page-3", "page-4"}));
  EXPECT_FALSE(page["metadata"].contains("remainingItemCount"));
  EXPECT_EQ(
      client_->Get("/api/v1/namespaces/demo/pods?limit=2&resourceVersion=0").json()["items"].size(),
      6u);
  EXPECT_EQ(client_->Get("/api/v1/namespaces/demo/pods?limit=2&continue=garbage").status, 400);
  EXPECT_EQ(
      client_->Get("/api/v1/namespaces/demo/pods?limit=2&continue=" + token + "&resourceVersion=5")
          .status,
      400);
  EXPECT_EQ(client_->Get("/api/v1/namespaces/demo/pods?resourceVersionMatch=Exact").status, 422);
  // After a compaction the old snapshot is gone: 410 for the token and for Exact lists.
  server_->CompactHistory();
  HttpResult expired = client_->Get("/api/v1/namespaces/demo/pods?limit=2&continue=" + token);
  EXPECT_EQ(expired.status, 410);
  EXPECT_EQ(expired.json()["reason"], "Expired");
  EXPECT_TRUE(expired.json()["metadata"].contains("continue"));
  HttpResult exact =
      client_->Get("/api/v1/namespaces/demo/pods?resourceVersion=101&resourceVersionMatch=Exact");
  EXPECT_EQ(exact.status, 410);
  EXPECT_EQ(
      exact.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"The resourceVersion for the provided list is too old.","reason":"Expired","code":410})"
      "\n");
}

TEST_F(RestSemanticsTest, LabelAndFieldSelectors) {
  CreatePod("w1", R"({"app":"web","tier":"front"})");
  CreatePod("d1", R"({"app":"db"})");
  CreatePod("x1", R"({"app":"web","tier":"x"})");
  auto names = [&](const std::string& query) {
    std::vector<std::string> found;
    HttpResult result = client_->Get("/api/v1/pods?" + query);
    EXPECT_EQ(result.status, 200) << query << " " << result.body;
    Json list = result.json();
    for (const auto& item : list["items"]) found.push_back(item["metadata"]["name"]);
    return found;
  };
  EXPECT_EQ(names("labelSelector=app%3Dweb"), (std::vector<std::string>{"w1", "x1"}));
  EXPECT_EQ(names("labelSelector=app%3D%3Dweb,tier!%3Dx"), (std::vector<std::string>{"w1"}));
  EXPECT_EQ(names("labelSelector=app+in+(web,db),tier+notin+(x)"),
            (std::vector<std::string>{"d1", "w1"}));
  EXPECT_EQ(names("labelSelector=tier"), (std::vector<std::string>{"w1", "x1"}));
  EXPECT_EQ(names("labelSelector=!tier"), (std::vector<std::string>{"d1"}));
  EXPECT_EQ(names("fieldSelector=metadata.name%3Dd1"), (std::vector<std::string>{"d1"}));
  EXPECT_EQ(names("fieldSelector=metadata.namespace%3Ddemo,status.phase!%3DRunning").size(), 3u);
  EXPECT_EQ(names("fieldSelector=spec.nodeName%3D").size(), 3u);
  HttpResult unsupported = client_->Get("/api/v1/nodes?fieldSelector=status.phase%3DRunning");
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(
      unsupported.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"field label not supported: status.phase","reason":"BadRequest","code":400})"
      "\n");
  HttpResult malformed = client_->Get("/api/v1/nodes?labelSelector=a%3D%3D%3Db");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.json()["message"],
            "unable to parse requirement: found '=', expected: identifier");
}

TEST_F(RestSemanticsTest, OptimisticConcurrencyOnUpdate) {
  Json pod = CreatePod("occ");
  Json stale = pod;
  pod["metadata"]["labels"]["touched"] = "yes";
  HttpResult updated = client_->Put("/api/v1/namespaces/demo/pods/occ", pod.dump());
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_GT(Rv(updated.json()), Rv(stale));
  stale["metadata"]["labels"]["again"] = "1";
  HttpResult conflict = client_->Put("/api/v1/namespaces/demo/pods/occ", stale.dump());
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(
      conflict.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on pods \"occ\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"occ","kind":"pods"},"code":409})"
      "\n");
  // Pods allow unconditional updates; leases do not.
  Json unconditional = updated.json();
  unconditional["metadata"].erase("resourceVersion");
  EXPECT_EQ(client_->Put("/api/v1/namespaces/demo/pods/occ", unconditional.dump()).status, 200);
  HttpResult lease = client_->Post(
      "/apis/coordination.k8s.io/v1/namespaces/demo/leases",
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"node-a"},"spec":{"holderIdentity":"node-a","leaseDurationSeconds":40}})");
  Json lease_object = lease.json();
  lease_object["metadata"].erase("resourceVersion");
  HttpResult no_rv = client_->Put("/apis/coordination.k8s.io/v1/namespaces/demo/leases/node-a",
                                  lease_object.dump());
  EXPECT_EQ(no_rv.status, 422);
  EXPECT_EQ(no_rv.json()["message"],
            "leases.coordination.k8s.io \"node-a\" is invalid: metadata.resourceVersion: Invalid "
            "value: 0x0: must be specified for an update");
  // A write that sets no field records no manager (transcript 09: the empty Lease).
  HttpResult empty = client_->Post(
      "/apis/coordination.k8s.io/v1/namespaces/demo/leases",
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"empty"},"spec":{}})");
  EXPECT_FALSE(empty.json()["metadata"].contains("managedFields")) << empty.body;
  HttpResult bad_time = client_->Post(
      "/apis/coordination.k8s.io/v1/namespaces/demo/leases",
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"micro-milli"},"spec":{"holderIdentity":"x","leaseDurationSeconds":15,"acquireTime":"2026-11-22T10:00:05.123Z"}})");
  EXPECT_EQ(bad_time.status, 400);
  EXPECT_EQ(bad_time.body.size(), 289u) << bad_time.body;
}

TEST_F(RestSemanticsTest, MergeJsonAndStrategicPatches) {
  HttpResult created = client_->Post(
      "/api/v1/namespaces/demo/pods",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"patchme","annotations":{"a":"1","keep":"k"}},"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.10"},{"name":"side","image":"registry.k8s.io/pause:3.10"}]}})");
  ASSERT_EQ(created.status, 201);
  const std::string path = "/api/v1/namespaces/demo/pods/patchme";
  HttpResult merged = client_->Patch(path, R"({"metadata":{"annotations":{"b":"2","a":null}}})",
                                     "application/merge-patch+json");
  EXPECT_EQ(merged.json()["metadata"]["annotations"], Json::parse(R"({"b":"2","keep":"k"})"));
  HttpResult json_patch = client_->Patch(
      path,
      R"([{"op":"add","path":"/metadata/annotations/example.com~1c","value":"3"},{"op":"replace","path":"/metadata/annotations/b","value":"22"},{"op":"remove","path":"/metadata/annotations/keep"}])",
      "application/json-patch+json");
  EXPECT_EQ(json_patch.json()["metadata"]["annotations"],
            Json::parse(R"({"b":"22","example.com/c":"3"})"));
  HttpResult failed_test =
      client_->Patch(path, R"([{"op":"test","path":"/metadata/annotations/b","value":"nope"}])",
                     "application/json-patch+json");
  EXPECT_EQ(failed_test.status, 422);
  EXPECT_EQ(
      failed_test.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","details":{},"code":422})"
      "\n");
  EXPECT_EQ(client_->Patch(path, R"({"op":"add"})", "application/json-patch+json").status, 400);
  HttpResult strategic = client_->Patch(
      path, R"({"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.9"}]}})",
      "application/strategic-merge-patch+json");
  ASSERT_EQ(strategic.status, 200) << strategic.body;
  EXPECT_EQ(strategic.json()["spec"]["containers"][0]["image"], "registry.k8s.io/pause:3.9");
  EXPECT_EQ(strategic.json()["spec"]["containers"][1]["image"], "registry.k8s.io/pause:3.10");
  HttpResult replace_list = client_->Patch(
      path, R"({"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.8"}]}})",
      "application/merge-patch+json");
  EXPECT_EQ(replace_list.status, 422);
  EXPECT_EQ(replace_list.json()["message"],
            "Pod \"patchme\" is invalid: spec.containers: Forbidden: pod updates may not add or "
            "remove containers");
  HttpResult unsupported = client_->Patch(path, R"({"metadata":{}})", "application/json");
  EXPECT_EQ(unsupported.status, 415);
  EXPECT_EQ(unsupported.body.size(), 165u);
  uint64_t before = Rv(strategic.json());
  HttpResult noop = client_->Patch(path, R"({"metadata":{"annotations":{"b":"22"}}})",
                                   "application/merge-patch+json");
  EXPECT_EQ(Rv(noop.json()), before);
  HttpResult stale =
      client_->Patch(path, R"({"metadata":{"resourceVersion":"1","annotations":{"g":"7"}}})",
                     "application/merge-patch+json");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(
      client_->Patch(path, R"({"metadata":)", "application/merge-patch+json").json()["message"],
      "error decoding patch: unexpected end of JSON input");
  EXPECT_EQ(
      client_->Patch("/api/v1/namespaces/demo/pods/nope", "{}", "application/merge-patch+json")
          .status,
      404);
}

TEST_F(RestSemanticsTest, StatusSubresourceIsolation) {
  Json pod = CreatePod("st");
  // The main endpoint ignores status.
  HttpResult main =
      client_->Patch("/api/v1/namespaces/demo/pods/st",
                     R"({"status":{"phase":"Running"},"metadata":{"labels":{"x":"y"}}})",
                     "application/merge-patch+json");
  EXPECT_EQ(main.json()["status"]["phase"], "Pending");
  EXPECT_EQ(main.json()["metadata"]["labels"]["x"], "y");
  // /status ignores spec.
  HttpResult status = client_->Patch(
      "/api/v1/namespaces/demo/pods/st/status",
      R"({"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]},"spec":{"nodeName":"n1"}})",
      "application/strategic-merge-patch+json");
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.json()["status"]["phase"], "Running");
  EXPECT_FALSE(status.json()["spec"].contains("nodeName"));
  Json status_object = status.json();
  const Json& condition = status_object["status"]["conditions"][0];
  EXPECT_TRUE(condition.contains("lastProbeTime"));
  EXPECT_TRUE(condition["lastProbeTime"].is_null());
  bool has_status_entry = false;
  for (const auto& entry : status_object["metadata"]["managedFields"])
    if (entry.value("subresource", "") == "status") has_status_entry = true;
  EXPECT_TRUE(has_status_entry);
  // Nodes keep the status sent on create; quantities are canonicalised.
  HttpResult node = client_->Post(
      "/api/v1/nodes",
      R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a"},"status":{"capacity":{"cpu":"8000m","memory":"16384Mi","hugepages-2Mi":"1.5Gi"},"allocatable":{"cpu":"7500m","memory":"15Gi","hugepages-2Mi":"0.5"}}})");
  ASSERT_EQ(node.status, 201) << node.body;
  EXPECT_EQ(node.json()["status"]["capacity"],
            Json::parse(R"({"cpu":"8","hugepages-2Mi":"1536Mi","memory":"16Gi"})"));
  EXPECT_EQ(node.json()["status"]["allocatable"]["hugepages-2Mi"], "500m");
  EXPECT_EQ(node.json()["spec"]["taints"][0]["key"], "node.kubernetes.io/not-ready");
  EXPECT_EQ(node.json()["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"], 0);
}

TEST_F(RestSemanticsTest, FinalizersAndDeletePreconditions) {
  HttpResult cm = client_->Post(
      "/api/v1/namespaces/demo/configmaps",
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/hold"]},"data":{"k":"v"}})");
  ASSERT_EQ(cm.status, 201) << cm.body;
  HttpResult precondition = client_->Delete(
      "/api/v1/namespaces/demo/configmaps/held",
      R"({"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}})");
  EXPECT_EQ(precondition.status, 409);
  EXPECT_EQ(precondition.json()["details"]["kind"], "ConfigMap");
  HttpResult deleting = client_->Delete("/api/v1/namespaces/demo/configmaps/held");
  EXPECT_EQ(deleting.status, 200);
  EXPECT_TRUE(deleting.json()["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(client_->Get("/api/v1/namespaces/demo/configmaps/held").status, 200);
  HttpResult released =
      client_->Patch("/api/v1/namespaces/demo/configmaps/held",
                     R"({"metadata":{"finalizers":null}})", "application/merge-patch+json");
  EXPECT_EQ(released.status, 200);
  EXPECT_EQ(client_->Get("/api/v1/namespaces/demo/configmaps/held").status, 404);
  // Objects without finalizers answer DELETE with a Success Status (pods with the object).
  client_->Post("/api/v1/namespaces/demo/configmaps",
                R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"plain"}})");
  HttpResult deleted = client_->Delete("/api/v1/namespaces/demo/configmaps/plain");
  EXPECT_EQ(deleted.json()["status"], "Success");
  EXPECT_EQ(deleted.json()["details"]["kind"], "configmaps");
  Json pod = CreatePod("gone");
  HttpResult rv_precondition = client_->Delete(
      "/api/v1/namespaces/demo/pods/gone",
      R"({"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"resourceVersion":"1"}})");
  EXPECT_EQ(
      rv_precondition.json()["message"],
      "Operation cannot be fulfilled on Pod \"gone\": the ResourceVersion in the precondition "
      "(1) does not match the ResourceVersion in record (" +
          pod["metadata"]["resourceVersion"].get<std::string>() +
          "). The object might have been modified");
  HttpResult pod_deleted = client_->Delete("/api/v1/namespaces/demo/pods/gone");
  EXPECT_EQ(pod_deleted.json()["kind"], "Pod");
  EXPECT_EQ(pod_deleted.json()["metadata"]["deletionGracePeriodSeconds"], 0);
  EXPECT_EQ(client_->Get("/api/v1/namespaces/demo/pods/gone").status, 404);
}

TEST_F(RestSemanticsTest, BindingAndEviction) {
  CreatePod("web");
  const std::string binding =
      R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"web","namespace":"demo"},"target":{"apiVersion":"v1","kind":"Node","name":"node-a"}})";
  HttpResult bound = client_->Post("/api/v1/namespaces/demo/pods/web/binding", binding);
  EXPECT_EQ(bound.status, 201);
  EXPECT_EQ(bound.body,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\","
            "\"code\":201}\n");
  Json pod = client_->Get("/api/v1/namespaces/demo/pods/web").json();
  EXPECT_EQ(pod["spec"]["nodeName"], "node-a");
  EXPECT_EQ(pod["status"]["conditions"][0]["type"], "PodScheduled");
  HttpResult again = client_->Post("/api/v1/namespaces/demo/pods/web/binding", binding);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body.size(), 261u) << again.body;  // transcript: 279 with 3x6 more name bytes
  HttpResult mismatch = client_->Post(
      "/api/v1/namespaces/demo/pods/web/binding",
      R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"other"},"target":{"name":"node-a"}})");
  EXPECT_EQ(mismatch.status, 400);
  CreatePod("legacy");
  EXPECT_EQ(
      client_
          ->Post(
              "/api/v1/namespaces/demo/bindings",
              R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"legacy"},"target":{"kind":"Node","name":"node-b"}})")
          .status,
      201);
  // Eviction of an unbound pod deletes it; a bound one starts graceful termination.
  CreatePod("loose");
  const std::string eviction =
      R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"loose","namespace":"demo"}})";
  EXPECT_EQ(client_->Post("/api/v1/namespaces/demo/pods/loose/eviction", eviction).status, 201);
  EXPECT_EQ(client_->Get("/api/v1/namespaces/demo/pods/loose").status, 404);
  EXPECT_EQ(client_
                ->Post("/api/v1/namespaces/demo/pods/web/eviction",
                       R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web"}})")
                .status,
            201);
  Json evicted = client_->Get("/api/v1/namespaces/demo/pods/web").json();
  EXPECT_EQ(evicted["metadata"]["deletionGracePeriodSeconds"], 30);
  EXPECT_EQ(client_
                ->Post("/api/v1/namespaces/demo/pods/nope/eviction",
                       R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"nope"}})")
                .status,
            404);
  // A PodDisruptionBudget protecting a ready pod answers 429.
  CreatePod("guarded-1", R"({"app":"guarded"})");
  client_->Post(
      "/api/v1/namespaces/demo/pods/guarded-1/binding",
      R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"guarded-1"},"target":{"name":"node-a"}})");
  client_->Patch(
      "/api/v1/namespaces/demo/pods/guarded-1/status",
      R"({"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}})",
      "application/strategic-merge-patch+json");
  ASSERT_EQ(
      client_
          ->Post(
              "/apis/policy/v1/namespaces/demo/poddisruptionbudgets",
              R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"guard"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"guarded"}}}})")
          .status,
      201);
  Json pdb = client_->Get("/apis/policy/v1/namespaces/demo/poddisruptionbudgets/guard").json();
  EXPECT_EQ(pdb["metadata"]["generation"], 1);
  EXPECT_EQ(pdb["metadata"]["managedFields"][0]["fieldsV1"],
            Json::parse(R"({"f:spec":{"f:minAvailable":{},"f:selector":{}}})"));
  EXPECT_EQ(pdb["status"]["disruptionsAllowed"], 0);
  HttpResult blocked = client_->Post(
      "/api/v1/namespaces/demo/pods/guarded-1/eviction",
      R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"guarded-1","namespace":"demo"}})");
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(
      blocked.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Cannot evict pod as it would violate the pod's disruption budget.","reason":"TooManyRequests","details":{"causes":[{"reason":"DisruptionBudget","message":"The disruption budget guard needs 1 healthy pods and has 1 currently"}]},"code":429})"
      "\n");
}

TEST_F(RestSemanticsTest, ServerSideApplyConflictsAndForce) {
  const std::string path = "/api/v1/namespaces/demo/configmaps/ssa-cm";
  const std::string config_a =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-cm\n  labels:\n    owner: "
      "a\ndata:\n  color: red\n  size: small\n";
  HttpResult created =
      client_->Patch(path + "?fieldManager=a", config_a, "application/apply-patch+yaml");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(
      created.json()["metadata"]["managedFields"][0]["fieldsV1"],
      Json::parse(
          R"({"f:data":{"f:color":{},"f:size":{}},"f:metadata":{"f:labels":{"f:owner":{}}}})"));
  EXPECT_EQ(created.json()["metadata"]["managedFields"][0]["operation"], "Apply");
  HttpResult same =
      client_->Patch(path + "?fieldManager=a", config_a, "application/apply-patch+yaml");
  EXPECT_EQ(same.status, 200);
  EXPECT_EQ(Rv(same.json()), Rv(created.json()));
  const std::string config_b =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-cm\ndata:\n  color: blue\n";
  HttpResult conflict =
      client_->Patch(path + "?fieldManager=b", config_b, "application/apply-patch+yaml");
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(
      conflict.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 1 conflict: conflict with \"a\": .data.color","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"a\"","field":".data.color"}]},"code":409})"
      "\n");
  HttpResult three = client_->Patch(path + "?fieldManager=b",
                                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-cm\n  "
                                    "labels:\n    owner: b\ndata:\n  color: blue\n  size: large\n",
                                    "application/apply-patch+yaml");
  EXPECT_EQ(three.json()["message"],
            "Apply failed with 3 conflicts: conflicts with \"a\":\n- .data.color\n- .data.size\n- "
            ".metadata.labels.owner");
  HttpResult forced =
      client_->Patch(path + "?fieldManager=b&force=true", config_b, "application/apply-patch+yaml");
  ASSERT_EQ(forced.status, 200) << forced.body;
  EXPECT_EQ(forced.json()["data"], Json::parse(R"({"color":"blue","size":"small"})"));
  Json forced_object = forced.json();
  const Json& managed = forced_object["metadata"]["managedFields"];
  ASSERT_EQ(managed.size(), 2u);
  EXPECT_EQ(managed[0]["fieldsV1"],
            Json::parse(R"({"f:data":{"f:size":{}},"f:metadata":{"f:labels":{"f:owner":{}}}})"));
  EXPECT_EQ(managed[1]["manager"], "b");
  // A second applier of the same value shares ownership: no conflict, entry first, no time.
  HttpResult shared =
      client_->Patch(path + "?fieldManager=c", config_b, "application/apply-patch+yaml");
  ASSERT_EQ(shared.status, 200);
  EXPECT_EQ(shared.json()["metadata"]["managedFields"][0]["manager"], "c");
  EXPECT_FALSE(shared.json()["metadata"]["managedFields"][0].contains("time"));
  EXPECT_GT(Rv(shared.json()), Rv(forced.json()));
  // a drops size: it was the only owner, so the field goes.
  HttpResult dropped = client_->Patch(path + "?fieldManager=a",
                                      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
                                      "ssa-cm\n  labels:\n    owner: a\ndata:\n  shape: round\n",
                                      "application/apply-patch+yaml");
  EXPECT_EQ(dropped.json()["data"], Json::parse(R"({"color":"blue","shape":"round"})"));
  // An Update manager takes fields over; a later apply conflicts "using v1".
  HttpResult update = client_->Patch(path + "?fieldManager=d", R"({"data":{"color":"green"}})",
                                     "application/merge-patch+json");
  EXPECT_EQ(update.json()["metadata"]["managedFields"].size(), 2u);
  HttpResult using_v1 =
      client_->Patch(path + "?fieldManager=b", config_b, "application/apply-patch+yaml");
  EXPECT_EQ(using_v1.json()["message"],
            "Apply failed with 1 conflict: conflict with \"d\" using v1: .data.color");
  EXPECT_EQ(
      client_->Patch(path + "?fieldManager=b&force=yes", config_b, "application/apply-patch+yaml")
          .status,
      200);
  HttpResult no_manager = client_->Patch(path, config_b, "application/apply-patch+yaml");
  EXPECT_EQ(no_manager.status, 422);
  EXPECT_EQ(no_manager.body.size(), 389u) << no_manager.body;
  EXPECT_EQ(client_
                ->Patch(path + "?fieldManager=a", "metadata:\n  name: ssa-cm\n",
                        "application/apply-patch+yaml")
                .json()["message"],
            "invalid object type: /, Kind=");
}

TEST_F(RestSemanticsTest, CustomResourceDefinitionServesNodeResourceTopology) {
  std::ifstream file(std::string(NUMALIGN_TEST_FIXTURES_DIR) + "/noderesourcetopology-crd.yaml");
  std::stringstream crd;
  crd << file.rdbuf();
  HttpResult created = client_->Post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                     crd.str(), "application/yaml");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(created.json()["status"]["conditions"].is_null());
  HttpResult established = client_->Get(
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
      "noderesourcetopologies.topology.node.k8s.io");
  EXPECT_EQ(established.json()["status"]["conditions"][1]["type"], "Established");
  HttpResult group = client_->Get("/apis/topology.node.k8s.io");
  EXPECT_EQ(
      group.body,
      R"({"kind":"APIGroup","apiVersion":"v1","name":"topology.node.k8s.io","versions":[{"groupVersion":"topology.node.k8s.io/v1alpha2","version":"v1alpha2"},{"groupVersion":"topology.node.k8s.io/v1alpha1","version":"v1alpha1"}],"preferredVersion":{"groupVersion":"topology.node.k8s.io/v1alpha2","version":"v1alpha2"}})"
      "\n");
  const std::string nrt =
      R"({"apiVersion":"topology.node.k8s.io/v1alpha2","kind":"NodeResourceTopology","metadata":{"name":"node-a"},"topologyPolicies":["SingleNUMANodeContainerLevel"],"zones":[{"name":"node-0","type":"Node","costs":[{"name":"node-0","value":10}],"resources":[{"name":"cpu","capacity":16,"allocatable":"15","available":"16000m"}]}]})";
  HttpResult cr = client_->Post("/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies", nrt);
  ASSERT_EQ(cr.status, 201) << cr.body;
  EXPECT_EQ(cr.body.substr(0, 57), R"({"apiVersion":"topology.node.k8s.io/v1alpha2","kind":"Nod)");
  EXPECT_EQ(cr.json()["metadata"]["generation"], 1);
  EXPECT_EQ(cr.json()["zones"][0]["resources"][0]["capacity"], 16);  // not canonicalised
  EXPECT_EQ(cr.json()["metadata"]["managedFields"][0]["fieldsV1"],
            Json::parse(R"({"f:topologyPolicies":{},"f:zones":{}})"));
  HttpResult through_v1alpha1 =
      client_->Get("/apis/topology.node.k8s.io/v1alpha1/noderesourcetopologies/node-a");
  EXPECT_EQ(through_v1alpha1.json()["apiVersion"], "topology.node.k8s.io/v1alpha1");
  HttpResult list = client_->Get("/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies");
  EXPECT_EQ(list.json()["metadata"]["continue"], "");
  EXPECT_EQ(list.json()["items"][0]["kind"], "NodeResourceTopology");
  HttpResult missing =
      client_->Get("/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies/nope");
  EXPECT_EQ(
      missing.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"noderesourcetopologies.topology.node.k8s.io \"nope\" not found","reason":"NotFound","details":{"name":"nope","group":"topology.node.k8s.io","kind":"noderesourcetopologies"},"code":404})"
      "\n");
  HttpResult smp = client_->Patch(
      "/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies/node-a",
      R"({"metadata":{"labels":{"x":"z"}}})", "application/strategic-merge-patch+json");
  EXPECT_EQ(smp.status, 415);
  EXPECT_EQ(smp.body.size(), 293u);
  HttpResult labels =
      client_->Patch("/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies/node-a",
                     R"({"metadata":{"labels":{"x":"y"}}})", "application/merge-patch+json");
  EXPECT_EQ(labels.json()["metadata"]["generation"], 1);
  HttpResult spec_change =
      client_->Patch("/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies/node-a",
                     R"({"attributes":[{"name":"topologyManagerPolicy","value":"restricted"}]})",
                     "application/merge-patch+json");
  EXPECT_EQ(spec_change.json()["metadata"]["generation"], 2);
  HttpResult missing_zones = client_->Post(
      "/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies",
      R"({"apiVersion":"topology.node.k8s.io/v1alpha2","kind":"NodeResourceTopology","metadata":{"name":"bad-1"}})");
  EXPECT_EQ(
      missing_zones.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"NodeResourceTopology.topology.node.k8s.io \"bad-1\" is invalid: zones: Required value","reason":"Invalid","details":{"name":"bad-1","group":"topology.node.k8s.io","kind":"NodeResourceTopology","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"zones"}]},"code":422})"
      "\n");
  HttpResult bad_2 = client_->Post(
      "/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies",
      R"({"apiVersion":"topology.node.k8s.io/v1alpha2","kind":"NodeResourceTopology","metadata":{"name":"bad-2"},"topologyPolicies":["SingleNUMANodeContainerLevel"],"attributes":[{"name":"topologyManagerPolicy","value":"single-numa-node"},{"name":"topologyManagerScope","value":"container"}],"zones":[{"name":"node-0","type":"Node","costs":[{"name":"node-0","value":"ten"},{"name":"node-1","value":21}],"resources":[{"name":"cpu","capacity":16,"allocatable":"15","available":"15"},{"name":"memory","capacity":"5Gx","allocatable":"32Gi","available":"30Gi"},{"name":"example.com/gpu","capacity":"2","allocatable":2,"available":"1"}]},{"name":"node-1","parent":"socket-0","costs":[{"name":"node-0","value":21},{"name":"node-1","value":10}],"attributes":[{"name":"cpu.vendor","value":"x"}],"resources":[{"name":"cpu","capacity":"16"},{"name":"memory","capacity":"32Gi","allocatable":"32Gi","available":"32Gi"}]}]})");
  EXPECT_EQ(
      bad_2.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"NodeResourceTopology.topology.node.k8s.io \"bad-2\" is invalid: [zones[0].costs[0].value: Invalid value: \"string\": zones[0].costs[0].value in body must be of type integer: \"string\", zones[0].resources[1].capacity: Invalid value: \"5Gx\": zones[0].resources[1].capacity in body should match '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$', zones[1].resources[0].allocatable: Required value, zones[1].resources[0].available: Required value, zones[1].type: Required value]","reason":"Invalid","details":{"name":"bad-2","group":"topology.node.k8s.io","kind":"NodeResourceTopology","causes":[{"reason":"FieldValueTypeInvalid","message":"Invalid value: \"string\": zones[0].costs[0].value in body must be of type integer: \"string\"","field":"zones[0].costs[0].value"},{"reason":"FieldValueInvalid","message":"Invalid value: \"5Gx\": zones[0].resources[1].capacity in body should match '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$'","field":"zones[0].resources[1].capacity"},{"reason":"FieldValueRequired","message":"Required value","field":"zones[1].resources[0].allocatable"},{"reason":"FieldValueRequired","message":"Required value","field":"zones[1].resources[0].available"},{"reason":"FieldValueRequired","message":"Required value","field":"zones[1].type"}]},"code":422})"
      "\n");
  HttpResult pruned = client_->Post(
      "/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies",
      R"({"apiVersion":"topology.node.k8s.io/v1alpha2","kind":"NodeResourceTopology","metadata":{"name":"unk"},"zones":[],"bogus":1,"spec":{"x":1}})");
  EXPECT_EQ(pruned.status, 201);
  EXPECT_EQ(pruned.Headers("Warning"),
            (std::vector<std::string>{"299 - \"unknown field \\\"bogus\\\"\"",
                                      "299 - \"unknown field \\\"spec\\\"\""}));
  EXPECT_FALSE(pruned.json().contains("bogus"));
  // Deleting the CRD stops serving its resources.
  client_->Delete(
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
      "noderesourcetopologies.topology.node.k8s.io");
  EXPECT_EQ(client_->Get("/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies").status, 404);
}

TEST_F(RestSemanticsTest, DiscoveryDocuments) {
  EXPECT_EQ(client_->Get("/api").json()["kind"], "APIVersions");
  HttpResult coordination = client_->Get("/apis/coordination.k8s.io/v1");
  EXPECT_EQ(
      coordination.body,
      R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"coordination.k8s.io/v1","resources":[{"name":"leases","singularName":"lease","namespaced":true,"kind":"Lease","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"storageVersionHash":")" +
          coordination.json()["resources"][0]["storageVersionHash"].get<std::string>() + "\"}]}\n");
  Json core = client_->Get("/api/v1").json();
  bool eviction = false;
  for (const auto& resource : core["resources"])
    if (resource["name"] == "pods/eviction") eviction = resource["group"] == "policy";
  EXPECT_TRUE(eviction);
  const std::map<std::string, std::string> aggregated = {
      {"Accept",
       "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/"
       "json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"}};
  HttpResult apis = client_->Get("/apis", aggregated);
  EXPECT_EQ(apis.Header("Content-Type"),
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  EXPECT_EQ(apis.json()["kind"], "APIGroupDiscoveryList");
  auto conditional = aggregated;
  conditional["If-None-Match"] = apis.Header("Etag");
  EXPECT_EQ(client_->Get("/apis", conditional).status, 304);
  HttpResult api = client_->Get("/api", aggregated);
  EXPECT_FALSE(api.json()["items"][0]["metadata"].contains("name"));
  HttpResult version = client_->Get("/version");
  EXPECT_EQ(version.body.back(), '}');
  EXPECT_EQ(version.json()["gitVersion"], "v1.32.13");
  HttpResult table = client_->Get("/api/v1/namespaces?limit=500",
                                  {{"Accept",
                                    "application/json;as=Table;v=v1;g=meta.k8s.io,application/"
                                    "json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"}});
  EXPECT_EQ(table.json()["kind"], "Table");
  EXPECT_EQ(table.Header("Content-Type"), "application/json");
  client_->Post(
      "/apis/coordination.k8s.io/v1/namespaces/demo/leases",
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},"spec":{"holderIdentity":"me"}})");
  Json leases = client_
                    ->Get("/apis/coordination.k8s.io/v1/namespaces/demo/leases",
                          {{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}})
                    .json();
  EXPECT_EQ(leases["columnDefinitions"][1]["name"], "Holder");
  EXPECT_EQ(leases["rows"][0]["cells"][1], "me");
  HttpResult not_acceptable = client_->Get("/api/v1/nodes", {{"Accept", "application/xml"}});
  EXPECT_EQ(not_acceptable.status, 406);
  EXPECT_EQ(not_acceptable.body.size(), 365u);
}

TEST_F(RestSemanticsTest, EventsThroughBothApis) {
  HttpResult v1 = client_->Post(
      "/apis/events.k8s.io/v1/namespaces/demo/events",
      R"({"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"web-1.17f0a1b2c3d4e5aa","namespace":"demo"},"eventTime":"2026-11-22T10:00:00.123456Z","reportingController":"example.com/fake-scheduler","reportingInstance":"fake-scheduler-node-x","action":"Binding","reason":"Scheduled","regarding":{"kind":"Pod","namespace":"demo","name":"web-1","uid":"11111111-2222-3333-4444-555555555555","apiVersion":"v1"},"note":"Successfully assigned demo/web-1 to node-a","type":"Normal"})");
  ASSERT_EQ(v1.status, 201) << v1.body;
  EXPECT_EQ(v1.json()["deprecatedSource"], Json::object());
  EXPECT_TRUE(v1.json()["deprecatedFirstTimestamp"].is_null());
  EXPECT_TRUE(v1.json()["metadata"]["managedFields"][0]["fieldsV1"].contains("f:regarding"));
  HttpResult core = client_->Get("/api/v1/namespaces/demo/events/web-1.17f0a1b2c3d4e5aa");
  EXPECT_EQ(core.json()["involvedObject"]["name"], "web-1");
  EXPECT_EQ(core.json()["message"], "Successfully assigned demo/web-1 to node-a");
  EXPECT_EQ(core.json()["reportingComponent"], "example.com/fake-scheduler");
  HttpResult minimal = client_->Post(
      "/api/v1/namespaces/demo/events",
      R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"minimal"},"involvedObject":{"namespace":"demo"}})");
  EXPECT_EQ(minimal.status, 201);
  EXPECT_EQ(minimal.json()["metadata"]["managedFields"][0]["fieldsV1"],
            Json::parse(R"({"f:involvedObject":{}})"));
  HttpResult bad =
      client_->Post("/api/v1/namespaces/demo/events",
                    R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"noinv"}})");
  EXPECT_EQ(bad.body.size(), 400u) << bad.body;
  HttpResult empty = client_->Post(
      "/apis/events.k8s.io/v1/namespaces/demo/events",
      R"({"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"empty"}})");
  EXPECT_EQ(empty.body.size(), 655u) << empty.body;
  // Rules both event APIs share: the involved object's namespace, the message length and, for
  // new-style events, the type.
  HttpResult foreign = client_->Post(
      "/api/v1/namespaces/demo/events",
      R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"foreign"},"involvedObject":{"namespace":"other"},"message":")" +
          std::string(1025, 'x') + R"("})");
  ASSERT_EQ(foreign.status, 422) << foreign.body;
  Json causes = foreign.json()["details"]["causes"];
  ASSERT_EQ(causes.size(), 2u) << foreign.body;
  EXPECT_EQ(causes[0]["field"], "involvedObject.namespace");
  EXPECT_EQ(causes[1]["field"], "message");
  HttpResult odd_type = client_->Post(
      "/api/v1/namespaces/demo/events",
      R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"odd"},"involvedObject":{"namespace":"demo"},"eventTime":"2026-11-22T10:00:00.000000Z","reportingComponent":"c","reportingInstance":"i","action":"a","type":"Fatal"})");
  ASSERT_EQ(odd_type.status, 422) << odd_type.body;
  EXPECT_EQ(odd_type.json()["details"]["causes"][0]["field"], "type");
}

TEST_F(RestSemanticsTest, HostileInputNeverTakesTheServerDown) {
  EXPECT_EQ(client_->Post("/api/v1/namespaces/demo/pods", std::string(200000, '[')).status, 400);
  EXPECT_EQ(client_
                ->Patch("/api/v1/namespaces/demo", std::string(200000, '{'),
                        "application/merge-patch+json")
                .status,
            400);
  EXPECT_EQ(client_->Post("/api/v1/namespaces", "- [a, b\n  : {", "application/yaml").status, 400);
  EXPECT_EQ(client_->Post("/api/v1/namespaces", R"({"metadata":"nope"})").status, 400);
  EXPECT_EQ(client_->Post("/api/v1/namespaces", R"([1,2,3])").status, 400);
  for (const char* path :
       {"/api/v1/namespaces//pods", "/apis/", "/api/v1/namespaces/demo/pods/x/y/z", "/%zz%",
        "/api/v1/namespaces/demo/pods?limit=-1&watch=maybe", "/apis/apps/v1/deployments"})
    EXPECT_LT(client_->Get(path).status, 500) << path;
  EXPECT_EQ(client_->Request("PUT", "/api/v1/namespaces", "{}").status, 405);
  EXPECT_EQ(client_->Get("/api/v1/namespaces/demo/pods?timeoutSeconds=x&watch=1").status, 400);
  EXPECT_EQ(client_->Get("/version").status, 200);
}

TEST(TestApiServerAuth, BearerTokenAndAnonymous) {
  TestApiServer::Options options;
  options.bearer_token = "s3cret";
  auto server = TestApiServer::Start(options);
  HttpClient anonymous(server->Port());
  HttpResult forbidden = anonymous.Get("/api/v1/namespaces/demo/pods");
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(
      forbidden.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" in the namespace \"demo\"","reason":"Forbidden","details":{"kind":"pods"},"code":403})"
      "\n");
  EXPECT_EQ(anonymous.Get("/version").status, 200);
  EXPECT_EQ(anonymous.Get("/api").body.size(), 188u);
  HttpClient wrong(server->Port(), "nope");
  HttpResult unauthorized = wrong.Get("/api/v1/namespaces/demo/pods");
  EXPECT_EQ(unauthorized.status, 401);
  EXPECT_EQ(
      unauthorized.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})"
      "\n");
  EXPECT_TRUE(unauthorized.Header("X-Kubernetes-Pf-Flowschema-Uid").empty());
  HttpClient good(server->Port(), "s3cret");
  EXPECT_EQ(good.Get("/api/v1/namespaces").status, 200);
  EXPECT_NE(server->Kubeconfig().find("token: s3cret"), std::string::npos);
}

TEST(TestApiServerFaults, ThrottleErrorsAndLatency) {
  auto server = TestApiServer::Start({});
  HttpClient client(server->Port());
  FaultSpec throttle;
  throttle.path_prefix = "/api/v1/namespaces";
  throttle.status = 429;
  throttle.retry_after_seconds = 2;
  throttle.count = 2;
  server->InjectFaults(throttle);
  HttpResult first = client.Get("/api/v1/namespaces");
  EXPECT_EQ(first.status, 429);
  EXPECT_EQ(first.Header("Retry-After"), "2");
  EXPECT_EQ(first.json()["reason"], "TooManyRequests");
  EXPECT_EQ(client.Get("/api/v1/namespaces").status, 429);
  EXPECT_EQ(client.Get("/api/v1/namespaces").status, 200);
  // The same through the HTTP control endpoint.
  EXPECT_EQ(
      client.Post("/__testing/faults", R"({"path":"/api/v1/nodes","status":500,"count":1})").status,
      200);
  EXPECT_EQ(client.Get("/api/v1/nodes").status, 500);
  EXPECT_EQ(client.Get("/api/v1/nodes").status, 200);
  EXPECT_EQ(client.Post("/__testing/faults", R"({"latencyMs":300,"count":1})").status, 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.Get("/api/v1/nodes").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST(TestApiServerUnits, QuantitiesSelectorsAndPatches) {
  auto canonical = [](const std::string& text) { return CanonicalQuantity(*ParseQuantity(text)); };
  EXPECT_EQ(canonical("8000m"), "8");
  EXPECT_EQ(canonical("16384Mi"), "16Gi");
  EXPECT_EQ(canonical("1.5Gi"), "1536Mi");
  EXPECT_EQ(canonical("0.5"), "500m");
  EXPECT_EQ(canonical("100G"), "100G");
  EXPECT_EQ(canonical("7500m"), "7500m");
  EXPECT_FALSE(ParseQuantity("5Gx"));
  auto selector = LabelSelector::Parse("a in (x,y),!b,c!=d");
  EXPECT_TRUE(selector.Matches(Json::parse(R"({"a":"x","c":"e"})")));
  EXPECT_FALSE(selector.Matches(Json::parse(R"({"a":"x","b":"1"})")));
  EXPECT_EQ(ApplyMergePatch(Json::parse(R"({"a":{"b":1,"c":2}})"),
                            Json::parse(R"({"a":{"b":null,"d":3}})")),
            Json::parse(R"({"a":{"c":2,"d":3}})"));
  EXPECT_EQ(
      ApplyStrategicMergePatch(
          Json::parse(
              R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}})"),
          Json::parse(
              R"({"spec":{"containers":[{"name":"b","$patch":"delete"}],"$setElementOrder/containers":[{"name":"a"}]}})")),
      Json::parse(R"({"spec":{"containers":[{"name":"a","image":"1"}]}})"));
  EXPECT_EQ(FieldPathString({"f:spec", "f:containers", "k:{\"name\":\"c\"}", "f:image"}),
            ".spec.containers[name=\"c\"].image");
}

}  // namespace
}  // namespace numalign::test_apiserver
