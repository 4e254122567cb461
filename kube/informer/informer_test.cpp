#include "kube/informer/informer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <thread>

#include "kube/errors.h"
#include "kube/objects/object_meta.h"
#include "kube/rest/api_error.h"

namespace numalign::kube {
namespace {

using namespace std::chrono_literals;

Json Pod(const std::string& name, const std::string& rv, const std::string& node = "") {
  Json pod = {{"kind", "Pod"},
              {"apiVersion", "v1"},
              {"metadata", {{"name", name}, {"namespace", "demo"}, {"resourceVersion", rv}}}};
  if (!node.empty()) pod["spec"]["nodeName"] = node;
  return pod;
}

// A watch the test drives: Push events, End the stream, or Fail the connection.
class ScriptedWatch final : public WatchStream {
 public:
  std::optional<WatchEvent> Next() override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !events_.empty() || ended_ || failed_ || stopped_; });
    if (stopped_) return std::nullopt;
    if (!events_.empty()) {
      WatchEvent e = std::move(events_.front());
      events_.pop_front();
      return e;
    }
    if (failed_) throw TransportError("connection reset");
    return std::nullopt;
  }
  void Stop() override {
    Set([&] { stopped_ = true; });
  }
  void Push(WatchEventType type, Json object) {
    Set([&] { events_.push_back({type, std::move(object)}); });
  }
  void End() {
    Set([&] { ended_ = true; });
  }
  void Fail() {
    Set([&] { failed_ = true; });
  }

 private:
  template <typename F>
  void Set(F&& f) {
    std::lock_guard lock(mu_);
    f();
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WatchEvent> events_;
  bool ended_ = false, failed_ = false, stopped_ = false;
};

class ScriptedListerWatcher final : public ListerWatcher {
 public:
  ListResult List() override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !lists_.empty() || closed_; });
    if (closed_) throw TransportError("closed");
    ListResult next = std::move(lists_.front());
    lists_.pop_front();
    ++list_calls_;
    cv_.notify_all();
    return next;
  }
  std::unique_ptr<WatchStream> Watch(const std::string& rv, int) override {
    std::lock_guard lock(mu_);
    watch_rvs_.push_back(rv);
    cv_.notify_all();
    if (!watch_errors_.empty()) {
      auto error = watch_errors_.front();
      watch_errors_.pop_front();
      throw error;
    }
    auto watch = std::make_shared<ScriptedWatch>();
    watches_.push_back(watch);
    // Hand out a forwarding stream; the test keeps the shared one.
    struct Forward final : WatchStream {
      std::shared_ptr<ScriptedWatch> w;
      std::optional<WatchEvent> Next() override { return w->Next(); }
      void Stop() override { w->Stop(); }
    };
    auto forward = std::make_unique<Forward>();
    forward->w = watch;
    return forward;
  }

  void QueueList(std::vector<Json> items, const std::string& rv) {
    std::lock_guard lock(mu_);
    ListResult list;
    list.items = Json::array();
    for (auto& i : items) list.items.push_back(std::move(i));
    list.resource_version = rv;
    lists_.push_back(std::move(list));
    cv_.notify_all();
  }
  void QueueWatchError(ApiError error) {
    std::lock_guard lock(mu_);
    watch_errors_.push_back(std::move(error));
  }
  // Waits for the n-th (1-based) watch to be opened.
  std::shared_ptr<ScriptedWatch> WaitForWatch(std::size_t n) {
    std::unique_lock lock(mu_);
    EXPECT_TRUE(cv_.wait_for(lock, 5s, [&] { return watches_.size() >= n; }))
        << "watch " << n << " never opened";
    return watches_.size() >= n ? watches_[n - 1] : std::make_shared<ScriptedWatch>();
  }
  std::vector<std::string> watch_rvs() {
    std::lock_guard lock(mu_);
    return watch_rvs_;
  }
  int list_calls() {
    std::lock_guard lock(mu_);
    return list_calls_;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ListResult> lists_;
  std::deque<ApiError> watch_errors_;
  std::vector<std::shared_ptr<ScriptedWatch>> watches_;
  std::vector<std::string> watch_rvs_;
  int list_calls_ = 0;
  bool closed_ = false;
};

// Records handler calls as "add a@1", "update b@2->3", "delete c@4".
class Recorder {
 public:
  EventHandler Handler() {
    EventHandler h;
    h.on_add = [this](const ObjectPtr& o) { Record("add " + Id(*o)); };
    h.on_update = [this](const ObjectPtr& old, const ObjectPtr& now) {
      Record("update " + NameOf(*now) + "@" + ResourceVersionOf(*old) + "->" +
             ResourceVersionOf(*now));
    };
    h.on_delete = [this](const ObjectPtr& o) { Record("delete " + Id(*o)); };
    return h;
  }
  bool WaitFor(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 5s, [&] { return log_.size() >= n; });
  }
  std::vector<std::string> log() {
    std::lock_guard lock(mu_);
    return log_;
  }

 private:
  static std::string Id(const Json& o) { return NameOf(o) + "@" + ResourceVersionOf(o); }
  void Record(std::string s) {
    std::lock_guard lock(mu_);
    log_.push_back(std::move(s));
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> log_;
};

class InformerTest : public ::testing::Test {
 protected:
  void SetUp() override { clock->SetAutoAdvance(true); }
  void TearDown() override {
    lw->Close();
    if (informer) informer->Stop();
  }
  void Start(InformerOptions options = {}) {
    options.clock = clock;
    options.reflector.seed = 1;
    informer = std::make_unique<Informer>(lw, options);
    informer->AddIndexer(kNodeNameIndex, IndexPodsByNodeName());
    informer->AddEventHandler(recorder.Handler());
    informer->Start();
  }

  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<ScriptedListerWatcher> lw = std::make_shared<ScriptedListerWatcher>();
  Recorder recorder;
  std::unique_ptr<Informer> informer;
};

using Log = std::vector<std::string>;

TEST_F(InformerTest, ListThenWatch) {
  lw->QueueList({Pod("a", "1", "n1"), Pod("b", "2")}, "10");
  Start();
  ASSERT_TRUE(informer->WaitForSync(5s));
  EXPECT_TRUE(informer->HasSynced());
  auto watch = lw->WaitForWatch(1);
  EXPECT_EQ(lw->watch_rvs(), Log{"10"});
  watch->Push(WatchEventType::kModified, Pod("a", "11", "n2"));
  watch->Push(WatchEventType::kDeleted, Pod("b", "12"));
  watch->Push(WatchEventType::kAdded, Pod("c", "13", "n2"));
  ASSERT_TRUE(recorder.WaitFor(5));
  EXPECT_EQ(recorder.log(),
            (Log{"add a@1", "add b@2", "update a@1->11", "delete b@12", "add c@13"}));
  EXPECT_EQ(informer->store().Size(), 2u);
  EXPECT_EQ(informer->store().ByIndex(kNodeNameIndex, "n2").size(), 2u);
  EXPECT_TRUE(informer->store().ByIndex(kNodeNameIndex, "n1").empty());
  EXPECT_EQ(ResourceVersionOf(*informer->store().Get("demo", "a")), "11");
}

TEST_F(InformerTest, DisconnectResumesFromLastVersionWithoutDuplicates) {
  lw->QueueList({Pod("a", "1")}, "10");
  Start();
  auto w1 = lw->WaitForWatch(1);
  w1->Push(WatchEventType::kAdded, Pod("c", "11"));
  w1->Fail();
  auto w2 = lw->WaitForWatch(2);
  EXPECT_EQ(lw->watch_rvs(), (Log{"10", "11"}));
  // A replay of what we already have is dropped; the next change is delivered once.
  w2->Push(WatchEventType::kAdded, Pod("c", "11"));
  w2->Push(WatchEventType::kModified, Pod("a", "1"));
  w2->Push(WatchEventType::kModified, Pod("c", "14"));
  ASSERT_TRUE(recorder.WaitFor(3));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(recorder.log(), (Log{"add a@1", "add c@11", "update c@11->14"}));
  EXPECT_EQ(lw->list_calls(), 1);
}

TEST_F(InformerTest, BookmarksAdvanceTheResumeVersion) {
  lw->QueueList({}, "10");
  Start();
  auto w1 = lw->WaitForWatch(1);
  w1->Push(WatchEventType::kBookmark,
           {{"kind", "Pod"},
            {"apiVersion", "v1"},
            {"metadata", {{"resourceVersion", "25"}, {"creationTimestamp", nullptr}}}});
  w1->End();  // timeoutSeconds reached
  lw->WaitForWatch(2);
  EXPECT_EQ(lw->watch_rvs(), (Log{"10", "25"}));
  EXPECT_EQ(informer->reflector().last_resource_version(), "25");
  EXPECT_TRUE(recorder.log().empty());
}

TEST_F(InformerTest, GoneErrorEventRelistsAndReconciles) {
  lw->QueueList({Pod("a", "1"), Pod("b", "2"), Pod("c", "3")}, "10");
  Start();
  auto w1 = lw->WaitForWatch(1);
  ASSERT_TRUE(recorder.WaitFor(3));
  // While we were not looking: b changed, c was deleted, d was created.
  lw->QueueList({Pod("a", "1"), Pod("b", "15"), Pod("d", "16")}, "30");
  w1->Push(
      WatchEventType::kError,
      Json::parse(
          R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 10 [20]","reason":"Expired","code":410})"));
  lw->WaitForWatch(2);
  ASSERT_TRUE(recorder.WaitFor(6));
  EXPECT_EQ(recorder.log(),
            (Log{"add a@1", "add b@2", "add c@3", "update b@2->15", "add d@16", "delete c@3"}));
  EXPECT_EQ(lw->watch_rvs(), (Log{"10", "30"}));
  EXPECT_EQ(lw->list_calls(), 2);
  EXPECT_EQ(informer->store().Keys(), (Log{"demo/a", "demo/b", "demo/d"}));
}

TEST_F(InformerTest, GoneHttpStatusOnWatchRelists) {
  lw->QueueList({Pod("a", "1")}, "10");
  lw->QueueWatchError(ApiError(410, "Expired", "too old resource version"));
  lw->QueueList({Pod("a", "2")}, "40");
  Start();
  lw->WaitForWatch(1);  // the first attempt threw; this is the watch after the relist
  ASSERT_TRUE(recorder.WaitFor(2));
  EXPECT_EQ(recorder.log(), (Log{"add a@1", "update a@1->2"}));
  EXPECT_EQ(lw->watch_rvs(), (Log{"10", "40"}));
}

TEST_F(InformerTest, ListFailuresBackOffAndRetry) {
  Start();
  // No list queued yet: the reflector waits inside List(); queue one now.
  lw->QueueList({Pod("a", "1")}, "5");
  ASSERT_TRUE(informer->WaitForSync(5s));
  auto w1 = lw->WaitForWatch(1);
  w1->Push(
      WatchEventType::kError,
      Json::parse(
          R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"internal","reason":"InternalError","code":500})"));
  lw->WaitForWatch(2);
  // A non-410 error re-watches from the same version after a backoff, without relisting.
  EXPECT_EQ(lw->watch_rvs(), (Log{"5", "5"}));
  EXPECT_EQ(lw->list_calls(), 1);
  EXPECT_FALSE(clock->sleeps().empty());
}

TEST_F(InformerTest, LateHandlerGetsExistingObjects) {
  lw->QueueList({Pod("a", "1"), Pod("b", "2")}, "10");
  Start();
  ASSERT_TRUE(informer->WaitForSync(5s));
  Recorder late;
  informer->AddEventHandler(late.Handler());
  EXPECT_EQ(late.log(), (Log{"add a@1", "add b@2"}));
}

TEST(InformerResyncTest, ResyncDeliversUpdatesWithTheSameObject) {
  auto clock = std::make_shared<FakeClock>();
  auto lw = std::make_shared<ScriptedListerWatcher>();
  lw->QueueList({Pod("a", "1")}, "10");
  InformerOptions options;
  options.clock = clock;
  options.resync_period = 30s;
  Informer informer(lw, options);
  Recorder recorder;
  informer.AddEventHandler(recorder.Handler());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(5s));
  lw->WaitForWatch(1);
  ASSERT_TRUE(clock->WaitForSleepers(1));  // the resync loop waits
  clock->Advance(30s);
  ASSERT_TRUE(recorder.WaitFor(2));
  EXPECT_EQ(recorder.log(), (Log{"add a@1", "update a@1->1"}));
  lw->Close();
  informer.Stop();
}

TEST(StoreTest, IndexesFollowUpdatesAndRemovals) {
  Store store;
  store.AddIndexer(kNodeNameIndex, IndexPodsByNodeName());
  store.AddIndexer(kNamespaceIndex, IndexByNamespace());
  store.Upsert(std::make_shared<const Json>(Pod("a", "1", "n1")));
  store.Upsert(std::make_shared<const Json>(Pod("b", "1", "n1")));
  EXPECT_EQ(store.ByIndex(kNodeNameIndex, "n1").size(), 2u);
  store.Upsert(std::make_shared<const Json>(Pod("a", "2", "n2")));
  EXPECT_EQ(store.ByIndex(kNodeNameIndex, "n1").size(), 1u);
  EXPECT_EQ(store.ByIndex(kNodeNameIndex, "n2").size(), 1u);
  EXPECT_EQ(store.ByIndex(kNamespaceIndex, "demo").size(), 2u);
  EXPECT_TRUE(store.Remove("demo/b"));
  EXPECT_TRUE(store.ByIndex(kNodeNameIndex, "n1").empty());
  EXPECT_FALSE(store.Remove("demo/b"));
  EXPECT_THROW(store.ByIndex("nope", "x"), std::invalid_argument);
}

}  // namespace
}  // namespace numalign::kube
