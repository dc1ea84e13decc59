// Alarm thresholds from the asset-types file, and the evidence and API shapes of alarms.
#include "gateway/codec/alarm_codec.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gateway/codec/message_codec.hpp"

namespace fieldproof::codec {
namespace {

std::string Types(const std::string& alarms) {
  return R"({"asset_types": [{"asset_type": "fire_door", "min_dwell_s": 60, "closing_ms": {"min": 2000, "max": 20000},
    "checklist": [{"id": "labels_legible", "text": "Label"}])" + alarms + "}]}";
}

TEST(AlarmCodecTest, TheShippedAssetTypesGiveEachTypeItsThresholds) {
  std::ifstream in(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/asset-types.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto policies = DecodeAlarmPolicies(text.str());
  ASSERT_TRUE(policies.ok()) << policies.error().detail;
  const auto& shutter = policies.value().at("fire_shutter");
  EXPECT_EQ(shutter.min_closing_ms, 3000);
  EXPECT_EQ(shutter.max_closing_ms, 30000);
  EXPECT_TRUE(policies.value().contains("fire_door"));
}

TEST(AlarmCodecTest, AlarmsOverrideTheDefaultsAndBadValuesAreRefused) {
  const auto defaults = DecodeAlarmPolicies(Types(""));
  ASSERT_TRUE(defaults.ok()) << defaults.error().detail;
  EXPECT_EQ(defaults.value().at("fire_door").heartbeat, 2 * core::kHour);
  EXPECT_EQ(defaults.value().at("fire_door").max_closing_ms, 20000);
  const auto set = DecodeAlarmPolicies(Types(
      R"(, "alarms": {"heartbeat_s": 900, "battery_low_percent": 15, "drift_percent": 40, "work_order_for": ["battery_low"]})"));
  ASSERT_TRUE(set.ok()) << set.error().detail;
  const auto& door = set.value().at("fire_door");
  EXPECT_EQ(door.heartbeat, 900'000);
  EXPECT_EQ(door.battery_low_percent, 15);
  EXPECT_EQ(door.drift_percent, 40);
  EXPECT_TRUE(door.OpensWorkOrder(core::AlarmKind::kBatteryLow));
  EXPECT_FALSE(door.OpensWorkOrder(core::AlarmKind::kClosingIncomplete));

  const auto bad_kind = DecodeAlarmPolicies(Types(R"(, "alarms": {"work_order_for": ["fire"]})"));
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_NE(bad_kind.error().detail.find("/asset_types/0/alarms/work_order_for/0: not an alarm kind"),
            std::string::npos) << bad_kind.error().detail;
  EXPECT_FALSE(DecodeAlarmPolicies(Types(R"(, "alarms": {"heartbeat_s": 5})")).ok()) << "below a minute";
  EXPECT_FALSE(DecodeAlarmPolicies(Types(R"(, "alarms": {"heartbeat": 600})")).ok()) << "a misspelt key";
  EXPECT_FALSE(DecodeAssetTypePolicies(Types(R"(, "alarm": {})")).ok());
}

TEST(AlarmCodecTest, EvidenceRoundTripsAndAnAlarmReadsAsTheApiSays) {
  const std::vector<core::AlarmEvidence> evidence = {{"m-1", 1000, "battery 9 %"}, {"", 2000, "the site's latest"}};
  EXPECT_EQ(DecodeAlarmEvidence(EncodeAlarmEvidence(evidence)), evidence);
  EXPECT_TRUE(DecodeAlarmEvidence("not json").empty());
  core::AlarmRecord alarm;
  alarm.id = 3;
  alarm.site = "FRA";
  alarm.asset_id = "A-1";
  alarm.kind = core::AlarmKind::kBatteryLow;
  alarm.evidence = evidence;
  alarm.work_order = "WO-9";
  const auto json = nlohmann::json::parse(EncodeAlarm(alarm));
  EXPECT_EQ(json["kind"], "battery_low");
  EXPECT_EQ(json["status"], "open");
  EXPECT_EQ(json["work_order"], "WO-9");
  EXPECT_EQ(json["evidence"][0]["msg_id"], "m-1");
  EXPECT_FALSE(json["evidence"][1].contains("msg_id"));
  EXPECT_TRUE(json["closed_at"].is_null());
  std::string error;
  EXPECT_EQ(DecodeCloseAlarm(R"({"reason": "battery replaced"})", &error), "battery replaced");
  EXPECT_FALSE(DecodeCloseAlarm(R"({"why": 1})", &error));
  EXPECT_NE(error.find("reason"), std::string::npos);
}

}  // namespace
}  // namespace fieldproof::codec
