// The verification policy file: every limit optional, defaults as documented, a site's
// travel starting from the file's own.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gateway/codec/message_codec.hpp"

namespace fieldproof::codec {
namespace {

TEST(VerificationPolicyTest, AnEmptyFileKeepsEveryDefault) {
  const auto policy = DecodeVerificationPolicy("{}");
  ASSERT_TRUE(policy.ok()) << policy.error().detail;
  const core::VerificationPolicy defaults;
  EXPECT_EQ(policy.value().timing.max_delivery_delay, defaults.timing.max_delivery_delay);
  EXPECT_EQ(policy.value().end_waits_for_start, 15 * 60'000);
  EXPECT_EQ(policy.value().travel.vehicle_speed_mps, 12.5);
  EXPECT_TRUE(policy.value().site_travel.empty());
}

// ops/verification-policy.json spells out the defaults, so that an operator sees every key.
TEST(VerificationPolicyTest, TheShippedFileHoldsTheDocumentedDefaults) {
  std::ifstream in(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/verification-policy.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto decoded = DecodeVerificationPolicy(text.str());
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  const core::VerificationPolicy& p = decoded.value();
  const core::VerificationPolicy d;
  EXPECT_EQ(p.rollback_tolerance, d.rollback_tolerance);
  EXPECT_EQ(p.timing.future_tolerance, d.timing.future_tolerance);
  EXPECT_EQ(p.timing.max_delivery_delay, d.timing.max_delivery_delay);
  EXPECT_EQ(p.timing.max_withheld, d.timing.max_withheld);
  EXPECT_EQ(p.timing.on_time, d.timing.on_time);
  EXPECT_EQ(p.end_waits_for_start, d.end_waits_for_start);
  EXPECT_EQ(p.max_session, d.max_session);
  EXPECT_EQ(p.travel.walking_speed_mps, d.travel.walking_speed_mps);
  EXPECT_EQ(p.travel.per_floor, d.travel.per_floor);
  EXPECT_EQ(p.travel.building_change, d.travel.building_change);
  EXPECT_EQ(p.travel.vehicle_speed_mps, d.travel.vehicle_speed_mps);
  EXPECT_EQ(p.travel.vehicle_overhead, d.travel.vehicle_overhead);
  ASSERT_EQ(p.TravelAt("FRA").legs.size(), 1u);
  EXPECT_EQ(p.TravelAt("FRA").legs[0].least, 240'000);
  EXPECT_TRUE(p.TravelAt("MUC").legs.empty());
}

TEST(VerificationPolicyTest, ASitesTravelStartsFromTheFilesOwn) {
  const auto policy = DecodeVerificationPolicy(R"({
    "timing": {"max_delivery_delay_h": 24, "max_withheld_min": 30},
    "travel": {"walking_speed_mps": 1.5, "vehicle_speed_mps": 8.0},
    "sites": {"MUC": {"travel": {"vehicle_speed_mps": 20, "legs": [{"from": "A", "to": "B", "least_s": 300}]}}}
  })");
  ASSERT_TRUE(policy.ok()) << policy.error().detail;
  const core::VerificationPolicy& p = policy.value();
  EXPECT_EQ(p.timing.max_delivery_delay, 24 * 3'600'000);
  EXPECT_EQ(p.timing.max_withheld, 30 * 60'000);
  EXPECT_EQ(p.TravelAt("FRA").vehicle_speed_mps, 8.0);
  EXPECT_EQ(p.TravelAt("MUC").vehicle_speed_mps, 20.0);
  EXPECT_EQ(p.TravelAt("MUC").walking_speed_mps, 1.5) << "inherited";
  EXPECT_EQ(p.TravelAt("MUC").legs.at(0).least, 300'000);
}

TEST(VerificationPolicyTest, MistakesAreRefusedWithWhereTheyAre) {
  struct Bad {
    const char* json;
    const char* where;
  };
  for (const Bad& bad : {Bad{R"({"timing": {"max_delay_h": 24}})", "max_delay_h"},
                         Bad{R"({"timing": {"max_withheld_min": -5}})", "/timing/max_withheld_min"},
                         Bad{R"({"travel": {"walking_speed_mps": 0}})", "/travel/walking_speed_mps"},
                         Bad{R"({"travel": {"legs": [{"from": "A", "to": "B"}]}})", "least_s"},
                         Bad{R"({"sites": {"no site!": {"travel": {}}}})", "not a site code"},
                         Bad{R"({"pairing": {"end_waits_for_start_min": "15"}})", "end_waits_for_start_min"},
                         Bad{"[]", "object"}}) {
    const auto policy = DecodeVerificationPolicy(bad.json);
    ASSERT_FALSE(policy.ok()) << bad.json;
    EXPECT_NE(policy.error().detail.find(bad.where), std::string::npos)
        << bad.json << ": " << policy.error().detail;
  }
}

}  // namespace
}  // namespace fieldproof::codec
