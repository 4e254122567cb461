#include "common/metrics/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "common/metrics/exposition.h"

namespace numalign::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsRegistry, ExposesCounterWithLabelsInTextFormat) {
  Registry registry;
  auto& requests = registry.counter("requests_total", "Requests served.", {"verb", "code"});
  requests.with({"filter", "200"}).inc();
  requests.with({"filter", "200"}).inc(2);
  requests.with({"bind", "500"}).inc();
  EXPECT_EQ(registry.expose(),
            "# HELP requests_total Requests served.\n"
            "# TYPE requests_total counter\n"
            "requests_total{verb=\"bind\",code=\"500\"} 1\n"
            "requests_total{verb=\"filter\",code=\"200\"} 3\n");
}

TEST(MetricsRegistry, CounterIgnoresNegativeIncrements) {
  Counter counter;
  counter.inc(-5);
  EXPECT_EQ(counter.value(), 0);
}

TEST(MetricsRegistry, GaugeGoesUpAndDown) {
  Registry registry;
  auto& gauge = registry.gauge("open_connections", "Open.").with({});
  gauge.inc();
  gauge.inc();
  gauge.dec();
  EXPECT_THAT(registry.expose(), HasSubstr("open_connections 1\n"));
  gauge.set(2.5);
  EXPECT_THAT(registry.expose(), HasSubstr("open_connections 2.5\n"));
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeAndLessOrEqual) {
  Registry registry;
  auto& latency = registry.histogram("latency_seconds", "Latency.", {"verb"}, {0.1, 0.5, 1});
  auto& filter = latency.with({"filter"});
  filter.observe(0.1);  // on the bound: counts in le="0.1"
  filter.observe(0.3);
  filter.observe(7);  // only +Inf
  EXPECT_EQ(registry.expose(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{verb=\"filter\",le=\"0.1\"} 1\n"
            "latency_seconds_bucket{verb=\"filter\",le=\"0.5\"} 2\n"
            "latency_seconds_bucket{verb=\"filter\",le=\"1\"} 2\n"
            "latency_seconds_bucket{verb=\"filter\",le=\"+Inf\"} 3\n"
            "latency_seconds_sum{verb=\"filter\"} 7.4\n"
            "latency_seconds_count{verb=\"filter\"} 3\n");
}

TEST(MetricsRegistry, CallbackGaugeIsReadAtScrapeTime) {
  Registry registry;
  int nodes = 3;
  registry.gauge_callback("cache_nodes", "Nodes cached.", [&] { return double(nodes); });
  EXPECT_THAT(registry.expose(), HasSubstr("cache_nodes 3\n"));
  nodes = 5000;
  EXPECT_THAT(registry.expose(), HasSubstr("cache_nodes 5000\n"));
}

TEST(MetricsRegistry, LabelledCallbackGaugesShareOneFamily) {
  Registry registry;
  registry.gauge_callback("cache_entries", "Entries.", {"cache"}, {"pods"}, [] { return 7.0; });
  registry.gauge_callback("cache_entries", "Entries.", {"cache"}, {"nodes"}, [] { return 3.0; });
  EXPECT_EQ(registry.expose(),
            "# HELP cache_entries Entries.\n"
            "# TYPE cache_entries gauge\n"
            "cache_entries{cache=\"nodes\"} 3\n"
            "cache_entries{cache=\"pods\"} 7\n");
  EXPECT_THROW(
      registry.gauge_callback("cache_entries", "Entries.", {"other"}, {"x"}, [] { return 1.0; }),
      std::invalid_argument);
}

TEST(MetricsRegistry, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry.counter("escaped_total", "Line one\nback\\slash \"quoted\"", {"reason"})
      .with({"a \"b\"\\c\nd"})
      .inc();
  EXPECT_EQ(registry.expose(),
            "# HELP escaped_total Line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE escaped_total counter\n"
            "escaped_total{reason=\"a \\\"b\\\"\\\\c\\nd\"} 1\n");
}

TEST(MetricsRegistry, ReRegistrationReturnsTheSameFamilyOrThrowsOnConflict) {
  Registry registry;
  auto& first = registry.counter("shared_total", "Shared.", {"verb"});
  auto& again = registry.counter("shared_total", "Shared.", {"verb"});
  EXPECT_EQ(&first, &again);
  EXPECT_THROW(registry.gauge("shared_total", "Shared."), std::invalid_argument);
  EXPECT_THROW(registry.counter("shared_total", "Shared.", {"other"}), std::invalid_argument);
}

TEST(MetricsRegistry, RejectsInvalidNamesLabelsAndArity) {
  Registry registry;
  EXPECT_THROW(registry.counter("9starts_with_digit", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("has-dash", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok_total", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h_seconds", "x", {"le"}, {1}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h2_seconds", "x", {}, {2, 1}), std::invalid_argument);
  auto& family = registry.counter("arity_total", "x", {"a", "b"});
  EXPECT_THROW(family.with({"only-one"}), std::invalid_argument);
}

TEST(MetricsRegistry, FormatsSpecialValues) {
  EXPECT_EQ(format_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(format_value(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(format_value(0.0 / 0.0 * -1), "NaN");
  EXPECT_EQ(format_value(42), "42");
  EXPECT_EQ(format_value(0.00025), "0.00025");
}

TEST(MetricsRegistry, ConcurrentUpdatesAreNotLost) {
  Registry registry;
  auto& counter = registry.counter("concurrent_total", "x", {"t"});
  auto& histogram = registry.histogram("concurrent_seconds", "x", {}, exponential_buckets(1, 2, 4));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.with({"x"}).inc();
        histogram.with({}).observe(i % 10);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.with({"x"}).value(), 40000);
  EXPECT_EQ(histogram.with({}).snapshot().count, 40000u);
}

TEST(MetricsRegistry, BucketHelpers) {
  EXPECT_EQ(exponential_buckets(1, 2, 4), (std::vector<double>{1, 2, 4, 8}));
  EXPECT_EQ(linear_buckets(0, 5, 3), (std::vector<double>{0, 5, 10}));
  EXPECT_THROW(exponential_buckets(0, 2, 3), std::invalid_argument);
}

}  // namespace
}  // namespace numalign::metrics
