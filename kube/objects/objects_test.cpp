#include <gtest/gtest.h>

#include "kube/clock/time_format.h"
#include "kube/errors.h"
#include "kube/objects/event.h"
#include "kube/objects/lease.h"
#include "kube/objects/node.h"
#include "kube/objects/node_resource_topology.h"
#include "kube/objects/pod.h"

namespace numalign::kube {
namespace {

numa::Quantity Q(const std::string& text) {
  return *numa::Quantity::Parse(text, nullptr);
}

TEST(PodViewTest, ReadsWhatNumalignUses) {
  const Json pod = Json::parse(R"({
    "kind":"Pod","apiVersion":"v1",
    "metadata":{"name":"web-x","namespace":"demo","uid":"u","resourceVersion":"9",
      "labels":{"app":"web"},"annotations":{"numalign.io/allocation":"{}"},
      "deletionTimestamp":"2026-11-22T10:00:00Z",
      "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"rs","controller":true}]},
    "spec":{"nodeName":"node-a","schedulerName":"numalign-scheduler",
      "initContainers":[{"name":"init","resources":{"requests":{"cpu":"1"}}},
                        {"name":"side","restartPolicy":"Always"}],
      "containers":[{"name":"app","resources":{"requests":{"cpu":"2","memory":"1Gi"},"limits":{"cpu":"2","memory":"1Gi"}}}]},
    "status":{"phase":"Running","qosClass":"Guaranteed","conditions":[{"type":"PodScheduled","status":"True"}]}})");
  PodView view(pod);
  EXPECT_EQ(view.Name(), "web-x");
  EXPECT_EQ(view.Key(), "demo/web-x");
  EXPECT_EQ(view.NodeName(), "node-a");
  EXPECT_EQ(view.SchedulerName(), "numalign-scheduler");
  EXPECT_EQ(view.Phase(), "Running");
  EXPECT_EQ(view.QosClass(), "Guaranteed");
  EXPECT_FALSE(view.IsTerminal());
  EXPECT_TRUE(view.IsBound());
  EXPECT_EQ(view.Annotation("numalign.io/allocation"), "{}");
  EXPECT_FALSE(view.Annotation("missing"));
  ASSERT_EQ(view.Containers().size(), 1u);
  EXPECT_EQ(view.Containers()[0].requests.at("memory"), "1Gi");
  ASSERT_EQ(view.InitContainers().size(), 2u);
  EXPECT_FALSE(view.InitContainers()[0].sidecar);
  EXPECT_TRUE(view.InitContainers()[1].sidecar);
  ASSERT_EQ(view.OwnerReferences().size(), 1u);
  EXPECT_TRUE(view.OwnerReferences()[0].controller);
  EXPECT_TRUE(view.DeletionTimestamp());
  EXPECT_EQ(view.ConditionStatus("PodScheduled"), "True");
}

TEST(PodViewTest, WrongShapesReadAsEmpty) {
  const Json pod =
      Json::parse(R"({"metadata":[],"spec":{"containers":{"x":1},"nodeName":5},"status":7})");
  PodView view(pod);
  EXPECT_EQ(view.Name(), "");
  EXPECT_EQ(view.NodeName(), "");
  EXPECT_TRUE(view.Containers().empty());
  EXPECT_EQ(view.Phase(), "");
  EXPECT_TRUE(view.Labels().empty());
}

TEST(NodeViewTest, ReadsStatus) {
  const Json node = Json::parse(R"({"metadata":{"name":"n"},"spec":{"unschedulable":true},
    "status":{"allocatable":{"cpu":"8"},"conditions":[{"type":"Ready","status":"True"}]}})");
  NodeView view(node);
  EXPECT_TRUE(view.IsReady());
  EXPECT_TRUE(view.Unschedulable());
  EXPECT_EQ(view.Allocatable().at("cpu"), "8");
}

TEST(LeaseTest, RoundTripsWithMicroTime) {
  LeaseRecord r;
  r.holder_identity = "a";
  r.lease_duration_seconds = 15;
  r.acquire_time = *ParseTime("2026-11-22T10:00:00.123456Z");
  r.renew_time = *ParseTime("2026-11-22T10:00:02.5Z");
  r.lease_transitions = 3;
  const Json lease = MakeLease("kube-system", "numalign", r);
  EXPECT_EQ(lease["spec"]["acquireTime"], "2026-11-22T10:00:00.123456Z");
  EXPECT_EQ(lease["spec"]["renewTime"], "2026-11-22T10:00:02.500000Z");
  EXPECT_EQ(ReadLeaseRecord(lease), r);
}

TEST(TimeFormatTest, ParsesRfc3339Variants) {
  const auto base = ParseTime("2026-11-22T10:00:00Z");
  ASSERT_TRUE(base);
  EXPECT_EQ(FormatTime(*base), "2026-11-22T10:00:00Z");
  EXPECT_EQ(ParseTime("2026-11-22T12:00:00+02:00"), base);
  EXPECT_EQ(ParseTime("2026-11-22T09:30:00-00:30"), base);
  EXPECT_EQ(FormatMicroTime(*ParseTime("2026-11-22T10:00:00.1234567Z")),
            "2026-11-22T10:00:00.123456Z");
  for (const char* bad : {"", "2026-11-22", "2026-11-22T10:00:00", "2026-13-22T10:00:00Z",
                          "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00Zjunk"}) {
    EXPECT_FALSE(ParseTime(bad)) << bad;
  }
}

TEST(NodeResourceTopologyTest, ParsesTheTranscriptObject) {
  // transcripts/07: quantities as numbers and strings, a zone with a parent and attributes.
  const Json object = Json::parse(
      R"({"apiVersion":"topology.node.k8s.io/v1alpha2","kind":"NodeResourceTopology","metadata":{"name":"node-a"},"topologyPolicies":["SingleNUMANodeContainerLevel"],"attributes":[{"name":"topologyManagerPolicy","value":"single-numa-node"},{"name":"topologyManagerScope","value":"container"}],"zones":[{"name":"node-0","type":"Node","costs":[{"name":"node-0","value":10},{"name":"node-1","value":21}],"resources":[{"name":"cpu","capacity":16,"allocatable":"15","available":"15"},{"name":"memory","capacity":"33554432Ki","allocatable":"32Gi","available":"30Gi"},{"name":"example.com/gpu","capacity":"2","allocatable":2,"available":"1"}]},{"name":"node-1","type":"Node","parent":"socket-0","costs":[{"name":"node-0","value":21},{"name":"node-1","value":10}],"attributes":[{"name":"cpu.vendor","value":"x"}],"resources":[{"name":"cpu","capacity":"16","allocatable":"16","available":"16000m"},{"name":"memory","capacity":"32Gi","allocatable":"32Gi","available":"32Gi"}]}]})");
  const NodeResourceTopology nrt = ParseNodeResourceTopology(object);
  EXPECT_EQ(nrt.name, "node-a");
  EXPECT_EQ(nrt.Attribute("topologyManagerPolicy"), "single-numa-node");
  EXPECT_EQ(nrt.topology_policies, std::vector<std::string>{"SingleNUMANodeContainerLevel"});
  ASSERT_EQ(nrt.zones.size(), 2u);
  EXPECT_EQ(nrt.zones[0].NumaId(), 0);
  EXPECT_EQ(nrt.zones[1].parent, "socket-0");
  EXPECT_EQ(nrt.zones[0].costs[1].value, 21);
  EXPECT_EQ(nrt.zones[0].FindResource("cpu")->capacity.ValueCeil(), 16);
  EXPECT_EQ(nrt.zones[0].FindResource("memory")->capacity, Q("32Gi"));
  EXPECT_EQ(nrt.zones[1].FindResource("cpu")->available.ValueCeil(), 16);
  EXPECT_EQ(nrt.FindZone("node-1")->attributes[0].value, "x");
}

TEST(NodeResourceTopologyTest, BadQuantitiesNameTheField) {
  const Json object = Json::parse(
      R"({"metadata":{"name":"n"},"zones":[{"name":"node-0","type":"Node","resources":[{"name":"cpu","capacity":"5Gx","allocatable":"1","available":"1"}]}]})");
  try {
    ParseNodeResourceTopology(object);
    FAIL();
  } catch (const DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("zones[0].resources[0].capacity"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ParseNodeResourceTopology(Json::parse(R"({"zones":5})")), DecodeError);
}

TEST(NodeResourceTopologyTest, BuilderRoundTrips) {
  NrtZone zone;
  zone.name = "node-1";
  zone.type = "Node";
  zone.costs = {{"node-0", 21}, {"node-1", 10}};
  zone.resources = {{"memory", Q("64Gi"), Q("63Gi"), Q("1536Mi")}};
  const Json object = NodeResourceTopologyBuilder("node-a")
                          .OwnedByNode("node-a", "uid-1")
                          .Attribute("topologyManagerPolicy", "single-numa-node")
                          .Attribute("numalign.io/stateGeneration", "4")
                          .Zone(zone)
                          .Build();
  EXPECT_EQ(object["apiVersion"], "topology.node.k8s.io/v1alpha2");
  EXPECT_EQ(object["metadata"]["ownerReferences"][0]["kind"], "Node");
  EXPECT_EQ(object["zones"][0]["resources"][0]["available"], "1610612736");
  const NodeResourceTopology back = ParseNodeResourceTopology(object);
  ASSERT_EQ(back.zones.size(), 1u);
  EXPECT_EQ(back.zones[0], zone);
  EXPECT_EQ(back.Attribute("numalign.io/stateGeneration"), "4");
}

TEST(EventObjectTest, ObjectReference) {
  const Json pod = {{"kind", "Pod"},
                    {"apiVersion", "v1"},
                    {"metadata", {{"name", "p"}, {"namespace", "n"}, {"uid", "u"}}}};
  const Json ref = MakeObjectReference(pod);
  EXPECT_EQ(ref["kind"], "Pod");
  EXPECT_EQ(ref["namespace"], "n");
  EXPECT_EQ(ref["uid"], "u");
}

}  // namespace
}  // namespace numalign::kube
