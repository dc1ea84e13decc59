// Topic layout: fieldproof/v1/<site>/<tap|telemetry>/<id>.
#include "gateway/core/topic.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fieldproof::core {
namespace {

struct ValidTopicCase {
  std::string topic;
  std::string site;
  TopicKind kind;
  std::string source_id;
};

TEST(ParseTopicTest, AcceptsValidTopics) {
  const std::vector<ValidTopicCase> cases = {
      {"fieldproof/v1/FRA/tap/HH-0042", "FRA", TopicKind::kTap, "HH-0042"},
      {"fieldproof/v1/FRA/telemetry/FRA-T1-F2-FS-0113", "FRA", TopicKind::kTelemetry,
       "FRA-T1-F2-FS-0113"},
      {"fieldproof/v1/a/tap/b", "a", TopicKind::kTap, "b"},
      {"fieldproof/v1/site_2-x/telemetry/a.b_c-d", "site_2-x", TopicKind::kTelemetry, "a.b_c-d"},
      {"fieldproof/v1/" + std::string(25, 'S') + "/tap/" + std::string(64, 'd'),
       std::string(25, 'S'), TopicKind::kTap, std::string(64, 'd')},
  };
  for (const auto& c : cases) {
    const Result<Topic> parsed = ParseTopic(c.topic);
    ASSERT_TRUE(parsed.ok()) << c.topic << ": " << parsed.error().detail;
    EXPECT_EQ(parsed.value().site, c.site) << c.topic;
    EXPECT_EQ(parsed.value().kind, c.kind) << c.topic;
    EXPECT_EQ(parsed.value().source_id, c.source_id) << c.topic;
  }
}

TEST(ParseTopicTest, RejectsAnythingElseAsUnknownTopic) {
  const std::vector<std::string> cases = {
      "",
      "/",
      "fieldproof",
      "fieldproof/v1",
      "fieldproof/v1/FRA",
      "fieldproof/v1/FRA/tap",
      "fieldproof/v1/FRA/tap/",                 // Empty id.
      "fieldproof/v1/FRA/tap/HH-0042/",         // Trailing slash: six levels.
      "fieldproof/v1/FRA/tap/HH-0042/notice",   // Our own notices are not ingested.
      "/fieldproof/v1/FRA/tap/HH-0042",         // Leading slash.
      "Fieldproof/v1/FRA/tap/HH-0042",          // Root is case-sensitive.
      "fieldproof/V1/FRA/tap/HH-0042",
      "fieldproof/v2/FRA/tap/HH-0042",
      "fieldproof/v1.0/FRA/tap/HH-0042",
      "other/v1/FRA/tap/HH-0042",
      "fieldproof/v1/FRA/Tap/HH-0042",          // Kind is case-sensitive.
      "fieldproof/v1/FRA/taps/HH-0042",
      "fieldproof/v1/FRA/notice/HH-0042",
      "fieldproof/v1/FRA/+/HH-0042",
      "fieldproof/v1//tap/HH-0042",             // Empty site.
      "fieldproof/v1/+/tap/HH-0042",            // Wildcard as site.
      "fieldproof/v1/#",
      "fieldproof/v1/FR.A/tap/HH-0042",         // Dot not allowed in a site.
      "fieldproof/v1/-FRA/tap/HH-0042",
      "fieldproof/v1/" + std::string(26, 'S') + "/tap/HH-0042",
      "fieldproof/v1/FRA/tap/-HH",              // Leading punctuation in the id.
      "fieldproof/v1/FRA/tap/HH:42",            // Colon is for msg ids only.
      "fieldproof/v1/FRA/tap/HH 42",
      "fieldproof/v1/FRA/telemetry/+",
      "fieldproof/v1/FRA/telemetry/" + std::string(65, 'a'),
      "fieldproof//v1/FRA/tap/HH-0042",
  };
  for (const std::string& topic : cases) {
    const Result<Topic> parsed = ParseTopic(topic);
    ASSERT_FALSE(parsed.ok()) << "accepted: " << topic;
    EXPECT_EQ(parsed.error().reason, RejectReason::kUnknownTopic) << topic;
    EXPECT_FALSE(parsed.error().detail.empty()) << topic;
  }
}

TEST(ParseTopicTest, UnknownKindDetailNamesTheKind) {
  const Result<Topic> parsed = ParseTopic("fieldproof/v1/FRA/alarm/HH-0042");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().detail.find("alarm"), std::string::npos) << parsed.error().detail;
}

TEST(TopicBuildersTest, BuildWhatParseReads) {
  EXPECT_EQ(TapTopic("FRA", "HH-0042"), "fieldproof/v1/FRA/tap/HH-0042");
  EXPECT_EQ(TelemetryTopic("FRA", "FRA-T1-F2-FS-0113"),
            "fieldproof/v1/FRA/telemetry/FRA-T1-F2-FS-0113");

  const Result<Topic> tap = ParseTopic(TapTopic("MUC_2", "hh.7"));
  ASSERT_TRUE(tap.ok());
  EXPECT_EQ(tap.value().site, "MUC_2");
  EXPECT_EQ(tap.value().kind, TopicKind::kTap);
  EXPECT_EQ(tap.value().source_id, "hh.7");

  const Result<Topic> telemetry = ParseTopic(TelemetryTopic("MUC_2", "A-1"));
  ASSERT_TRUE(telemetry.ok());
  EXPECT_EQ(telemetry.value().kind, TopicKind::kTelemetry);
  EXPECT_EQ(telemetry.value().source_id, "A-1");
}

TEST(TopicBuildersTest, NoticeTopicAppendsNotice) {
  EXPECT_EQ(NoticeTopic("fieldproof/v1/FRA/tap/HH-0042"), "fieldproof/v1/FRA/tap/HH-0042/notice");
  EXPECT_EQ(NoticeTopic("garbage"), "garbage/notice");
  EXPECT_EQ(NoticeTopic(""), "/notice");
  // A notice topic is never itself an ingest topic, so notices cannot loop.
  EXPECT_FALSE(ParseTopic(NoticeTopic(TapTopic("FRA", "HH-0042"))).ok());
}

TEST(TopicBuildersTest, Constants) {
  EXPECT_EQ(kTopicRoot, "fieldproof/v1");
  EXPECT_EQ(kIngestSubscription, "fieldproof/v1/+/+/+");
}

}  // namespace
}  // namespace fieldproof::core
