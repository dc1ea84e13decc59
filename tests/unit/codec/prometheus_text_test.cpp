// /metrics in Prometheus's text format 0.0.4: HELP, TYPE, samples, escaped label values.
#include "gateway/codec/prometheus_text.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fieldproof::codec {
namespace {

TEST(PrometheusTextTest, EachMetricHasHelpTypeAndItsSamples) {
  const std::vector<PrometheusMetric> metrics = {
      {"fieldproof_queue_depth", "gauge", "Messages not yet committed.", {CountSample(7)}},
      {"fieldproof_messages_stored_total",
       "counter",
       "Messages committed, by kind.",
       {CountSample(3, {{"kind", "tap"}}), CountSample(5, {{"kind", "telemetry"}})}},
      {"fieldproof_commit_seconds",
       "histogram",
       "Commit time.",
       {{"_bucket", {{"le", "0.001"}}, "2"}, {"_bucket", {{"le", "+Inf"}}, "3"}, {"_sum", {}, "0.0042"},
        {"_count", {}, "3"}}},
  };
  EXPECT_EQ(EncodePrometheusText(metrics),
            "# HELP fieldproof_queue_depth Messages not yet committed.\n"
            "# TYPE fieldproof_queue_depth gauge\n"
            "fieldproof_queue_depth 7\n"
            "# HELP fieldproof_messages_stored_total Messages committed, by kind.\n"
            "# TYPE fieldproof_messages_stored_total counter\n"
            "fieldproof_messages_stored_total{kind=\"tap\"} 3\n"
            "fieldproof_messages_stored_total{kind=\"telemetry\"} 5\n"
            "# HELP fieldproof_commit_seconds Commit time.\n"
            "# TYPE fieldproof_commit_seconds histogram\n"
            "fieldproof_commit_seconds_bucket{le=\"0.001\"} 2\n"
            "fieldproof_commit_seconds_bucket{le=\"+Inf\"} 3\n"
            "fieldproof_commit_seconds_sum 0.0042\n"
            "fieldproof_commit_seconds_count 3\n");
}

TEST(PrometheusTextTest, LabelValuesAndHelpAreEscaped) {
  const std::vector<PrometheusMetric> metrics = {
      {"m", "gauge", "a \\ b\nc", {CountSample(1, {{"site", "F\"R\\A\n"}, {"x", "y"}})}}};
  EXPECT_EQ(EncodePrometheusText(metrics),
            "# HELP m a \\\\ b\\nc\n# TYPE m gauge\nm{site=\"F\\\"R\\\\A\\n\",x=\"y\"} 1\n");
}

TEST(PrometheusTextTest, NoMetricsIsAnEmptyPage) {
  EXPECT_EQ(EncodePrometheusText({}), "");
}

}  // namespace
}  // namespace fieldproof::codec
