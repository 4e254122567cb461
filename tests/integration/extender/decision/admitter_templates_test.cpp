#include "extender/view/admitter_templates.h"

#include <gtest/gtest.h>

#include "extender/decider/numa_decider.h"
#include "kube/testing/fake_api_client.h"
#include "numa/pod/pod_spec.h"
#include "test_cluster.h"

namespace numalign::extender {
namespace {

using testing::MakeNrt;
using testing::MakePod;
using testing::SetAttribute;

kube::NodeResourceTopology Parsed(const kube::Json& nrt) {
  return kube::ParseNodeResourceTopology(nrt);
}

numa::PodRequests Requests(const kube::Json& pod) {
  std::string error;
  return numa::ComputePodRequests(*numa::ParsePodJson(pod, &error));
}

TEST(AdmitterTemplatesTest, NodesOfOneShapeShareOneTemplate) {
  AdmitterTemplates templates;
  auto a = templates.For(Parsed(MakeNrt("a", "single-numa-node")));
  auto b = templates.For(Parsed(MakeNrt("b", "single-numa-node")));
  EXPECT_EQ(a, b);
  ASSERT_TRUE(a->admitter) << a->error;
  EXPECT_TRUE(a->agent_mode);
  // What changes all the time and BuildNodeModel ignores does not make a new shape.
  kube::Json beating = MakeNrt("c", "single-numa-node");
  SetAttribute(beating, "numalign.io/heartbeat", "2026-11-22T18:00:00Z");
  SetAttribute(beating, "numalign.io/stateGeneration", "42");
  SetAttribute(beating, "nodeTopologyPodsFingerprint", "pfp0v0010123456789abcdef");
  beating["zones"][0]["resources"][0]["available"] = "1";
  EXPECT_EQ(templates.For(Parsed(beating)), a);
  EXPECT_EQ(templates.size(), 1u);
}

TEST(AdmitterTemplatesTest, WhatTheModelReadsMakesAnotherShape) {
  AdmitterTemplates templates;
  auto base = templates.For(Parsed(MakeNrt("a", "single-numa-node")));
  EXPECT_NE(templates.For(Parsed(MakeNrt("a", "restricted"))), base);
  EXPECT_NE(templates.For(Parsed(MakeNrt("a", "single-numa-node", 2, 16))), base);
  EXPECT_NE(templates.For(Parsed(MakeNrt("a", "single-numa-node", 2, 8, false))), base);
  EXPECT_NE(templates.For(Parsed(MakeNrt("a", "single-numa-node", 2, 8, true, "pod"))), base);
  kube::Json reserved = MakeNrt("a", "single-numa-node");
  reserved["zones"][1]["resources"][1]["allocatable"] = "6Gi";
  auto other = templates.For(Parsed(reserved));
  EXPECT_NE(other, base);
  EXPECT_EQ(templates.size(), 6u);
  // The templates really differ where their NRTs do.
  std::string error;
  const auto want_8_gi = Requests(MakePod("p", "1", "8Gi"));
  EXPECT_TRUE(base->admitter->Evaluate(want_8_gi).admit);
  EXPECT_FALSE(other->admitter->Evaluate(want_8_gi).admit);
}

TEST(AdmitterTemplatesTest, AShapeNotKeptIsBuiltAndForgotten) {
  AdmitterTemplates templates;
  auto once = templates.For(Parsed(MakeNrt("a", "single-numa-node", 2, 8, false)), false);
  ASSERT_TRUE(once->admitter) << once->error;
  EXPECT_EQ(templates.size(), 0u);
  // A foreign producer's node in the view: its shape changes with every pod, so none is kept.
  NodeView view;
  view.UpsertNrt(MakeNrt("f", "single-numa-node", 2, 8, false));
  view.RecordDecision("f", MakePod("x", "2", "1Gi"));
  ASSERT_TRUE(view.Get("f")->admitter);
  EXPECT_EQ(view.Sizes().admitter_templates, 0u);
  view.UpsertNrt(MakeNrt("n", "single-numa-node"));
  EXPECT_EQ(view.Sizes().admitter_templates, 1u);
}

TEST(AdmitterTemplatesTest, AnUnusableShapeKeepsItsReason) {
  AdmitterTemplates templates;
  kube::Json nrt = MakeNrt("a", "single-numa-node");
  nrt["zones"] = kube::Json::array();
  auto shape = templates.For(Parsed(nrt));
  EXPECT_FALSE(shape->admitter);
  EXPECT_FALSE(shape->error.empty());
}

// The view's node states are copies of one template: they share the machine-derived tables, and
// decide exactly like an admitter created from scratch for the node.
TEST(AdmitterTemplatesTest, NodeStatesShareTheMachineAndDecideAsAFreshAdmitter) {
  NodeView view;
  view.UpsertNrt(MakeNrt("n1", "single-numa-node"));
  view.UpsertNrt(MakeNrt("n2", "single-numa-node"));
  view.RecordDecision("n1", MakePod("x", "5", "2Gi"));
  auto n1 = view.Get("n1");
  auto n2 = view.Get("n2");
  ASSERT_TRUE(n1->admitter && n2->admitter);
  EXPECT_EQ(&n1->admitter->machine(), &n2->admitter->machine());

  std::string error;
  auto model = BuildNodeModel(Parsed(MakeNrt("n1", "single-numa-node")), &error);
  ASSERT_TRUE(model) << error;
  auto fresh = CreateAdmitter(*model, &error);
  ASSERT_TRUE(fresh) << error;
  ASSERT_TRUE(fresh->Admit(Requests(MakePod("x", "5", "2Gi"))).admit);
  for (const char* cpus : {"1", "2", "3", "4", "7", "8"}) {
    const auto pod = Requests(MakePod(std::string("p") + cpus, cpus, "1Gi"));
    const auto expected = fresh->Evaluate(pod);
    const auto got = n1->admitter->Evaluate(pod);
    EXPECT_EQ(got.admit, expected.admit) << cpus;
    EXPECT_EQ(got.reason, expected.reason) << cpus;
    ASSERT_EQ(got.containers.size(), expected.containers.size()) << cpus;
    // n2 is empty: the template itself was not changed by n1's pod.
    EXPECT_TRUE(n2->admitter->Evaluate(pod).admit || std::string(cpus) == "8") << cpus;
  }
}

TEST(AdmitterTemplatesTest, APodAlreadyAccountedOnANodeIsNeverMemoizedThere) {
  auto view = std::make_shared<NodeView>();
  kube::FakeApiClient api;
  view->UpsertNrt(MakeNrt("n1", "single-numa-node"));
  view->RecordDecision("n1", MakePod("mine", "2", "1Gi"));
  NumaDecider decider(view, api, DecisionOptions{});
  auto state = view->Get("n1");
  ASSERT_TRUE(state->Accounts("uid-mine", std::hash<std::string>{}("uid-mine")));
  EXPECT_FALSE(state->Accounts("uid-other", std::hash<std::string>{}("uid-other")));
  decider.Filter(MakePod("mine", "2", "1Gi"), {{"n1"}, {}}, DecisionContext{});
  EXPECT_EQ(state->verdicts->size(), 0u);
  decider.Filter(MakePod("other", "2", "1Gi"), {{"n1"}, {}}, DecisionContext{});
  EXPECT_EQ(state->verdicts->size(), 1u);
}

}  // namespace
}  // namespace numalign::extender
