// DecodeInbound: topic layout, size limit, payload contract, payload vs. topic.
#include "gateway/codec/inbound.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "gateway/core/rejection.hpp"

namespace fieldproof::codec {
namespace {

using core::RejectReason;

constexpr char kTapTopic[] = "fieldproof/v1/FRA/tap/HH-0042";
constexpr char kTelemetryTopic[] = "fieldproof/v1/FRA/telemetry/FRA-T1-F2-FS-0113";

std::string TapPayload(const std::string& site = "FRA", const std::string& device = "HH-0042") {
  return R"({"msg_id":"HH-0042:000123","device_id":")" + device +
         R"(","technician_id":"T-0007","site":")" + site +
         R"(","tag":{"type":"sun","url":"https://tag.fieldproof.example/t?e=E287EE006030EFE22DFB9A7A289E24B4&c=5157B8A6779A4B89"},)"
         R"("read_at":"2026-11-23T09:26:05.031+01:00","sent_at":"2026-11-23T08:26:05.388Z",)"
         R"("kind":"end","checklist":{"no_damage":"pass","signage":"na"},"result":"fail",)"
         R"("defects":[{"code":"seal_torn","severity":"major","note":"left guide"}],)"
         R"("work_order_id":"WO-1","firmware":"hh-2.4.1"})";
}

std::string TelemetryPayload(const std::string& site = "FRA",
                             const std::string& asset = "FRA-T1-F2-FS-0113") {
  return R"({"msg_id":"m-1","asset_id":")" + asset + R"(","site":")" + site +
         R"(","device_time":"2026-11-23T08:00:00.250Z","firmware":"fs-1.7.0",)"
         R"("readings":[{"type":"state","state":"closed"},{"type":"closing_duration","ms":12011},)"
         R"({"type":"battery","percent":86}]})";
}

core::RejectReason ReasonOf(const core::Result<InboundMessage>& r) { return r.error().reason; }

TEST(DecodeInboundTest, DecodesTapFields) {
  const auto result = DecodeInbound(kTapTopic, TapPayload(), kDefaultMaxPayloadBytes);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  ASSERT_TRUE(std::holds_alternative<core::Tap>(result.value()));
  const core::Tap& tap = std::get<core::Tap>(result.value());
  EXPECT_EQ(tap.msg_id, "HH-0042:000123");
  EXPECT_EQ(tap.device_id, "HH-0042");
  EXPECT_EQ(tap.technician_id, "T-0007");
  EXPECT_EQ(tap.site, "FRA");
  EXPECT_EQ(tap.tag.type, core::TagRead::Type::kSun);
  EXPECT_EQ(tap.tag.value,
            "https://tag.fieldproof.example/t?e=E287EE006030EFE22DFB9A7A289E24B4&c=5157B8A6779A4B89");
  EXPECT_EQ(tap.read_at, *core::ParseRfc3339("2026-11-23T08:26:05.031Z"));
  EXPECT_EQ(tap.sent_at, *core::ParseRfc3339("2026-11-23T08:26:05.388Z"));
  EXPECT_EQ(tap.kind, core::TapKind::kEnd);
  ASSERT_EQ(tap.checklist.size(), 2u);
  EXPECT_EQ(tap.checklist.at("no_damage"), core::ChecklistAnswer::kPass);
  EXPECT_EQ(tap.checklist.at("signage"), core::ChecklistAnswer::kNotApplicable);
  EXPECT_EQ(tap.result, core::InspectionResult::kFail);
  ASSERT_EQ(tap.defects.size(), 1u);
  EXPECT_EQ(tap.defects[0].code, "seal_torn");
  EXPECT_EQ(tap.defects[0].severity, core::Severity::kMajor);
  EXPECT_EQ(tap.defects[0].note, "left guide");
  EXPECT_EQ(tap.work_order_id, "WO-1");
  EXPECT_EQ(tap.firmware, "hh-2.4.1");
}

TEST(DecodeInboundTest, DecodesTelemetryFields) {
  const auto result = DecodeInbound(kTelemetryTopic, TelemetryPayload(), kDefaultMaxPayloadBytes);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  ASSERT_TRUE(std::holds_alternative<core::Telemetry>(result.value()));
  const core::Telemetry& t = std::get<core::Telemetry>(result.value());
  EXPECT_EQ(t.msg_id, "m-1");
  EXPECT_EQ(t.asset_id, "FRA-T1-F2-FS-0113");
  EXPECT_EQ(t.site, "FRA");
  EXPECT_EQ(t.device_time, *core::ParseRfc3339("2026-11-23T08:00:00.250Z"));
  EXPECT_EQ(t.firmware, "fs-1.7.0");
  ASSERT_EQ(t.readings.size(), 3u);
  EXPECT_EQ(std::get<core::StateReading>(t.readings[0]).state, core::ShutterState::kClosed);
  EXPECT_EQ(std::get<core::ClosingDurationReading>(t.readings[1]).ms, 12011);
  EXPECT_EQ(std::get<core::BatteryReading>(t.readings[2]).percent, 86);
}

struct RejectCase {
  std::string name;
  std::string topic;
  std::string payload;
  std::size_t max_bytes;
  RejectReason reason;
  std::string detail_contains;
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.name; }

class DecodeInboundRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(DecodeInboundRejectTest, Rejects) {
  const RejectCase& c = GetParam();
  const auto result = DecodeInbound(c.topic, c.payload, c.max_bytes);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(core::ReasonCode(ReasonOf(result)), core::ReasonCode(c.reason));
  EXPECT_NE(result.error().detail.find(c.detail_contains), std::string::npos)
      << result.error().detail;
}

INSTANTIATE_TEST_SUITE_P(
    Reasons, DecodeInboundRejectTest,
    ::testing::Values(
        RejectCase{"wrong_root", "other/v1/FRA/tap/HH-0042", TapPayload(), 16384,
                   RejectReason::kUnknownTopic, ""},
        RejectCase{"wrong_version", "fieldproof/v2/FRA/tap/HH-0042", TapPayload(), 16384,
                   RejectReason::kUnknownTopic, ""},
        RejectCase{"unknown_kind", "fieldproof/v1/FRA/alarm/HH-0042", TapPayload(), 16384,
                   RejectReason::kUnknownTopic, "alarm"},
        RejectCase{"notice_topic", "fieldproof/v1/FRA/tap/HH-0042/notice", TapPayload(), 16384,
                   RejectReason::kUnknownTopic, ""},
        // The topic is checked before the size: a bad topic with a huge payload is unknown_topic.
        RejectCase{"topic_before_size", "fieldproof/v1/FRA", std::string(100, 'x'), 10,
                   RejectReason::kUnknownTopic, ""},
        // Size is checked before the contract: an oversized non-JSON payload is too large.
        RejectCase{"size_before_contract", kTapTopic, std::string(101, 'x'), 100,
                   RejectReason::kPayloadTooLarge, "101"},
        RejectCase{"malformed_json", kTapTopic, "{", 16384, RejectReason::kMalformedJson, ""},
        RejectCase{"empty_payload", kTapTopic, "", 16384, RejectReason::kMalformedJson, ""},
        RejectCase{"not_an_object", kTapTopic, "[1,2]", 16384, RejectReason::kNotAnObject, ""},
        RejectCase{"missing_field", kTapTopic, R"({"msg_id":"a"})", 16384,
                   RejectReason::kMissingField, "/"},
        RejectCase{"telemetry_on_tap_topic", kTapTopic, TelemetryPayload(), 16384,
                   RejectReason::kUnknownField, "/asset_id"},
        RejectCase{"tap_on_telemetry_topic", kTelemetryTopic, TapPayload(), 16384,
                   RejectReason::kUnknownField, ""},
        RejectCase{"tap_site_mismatch", "fieldproof/v1/MUC/tap/HH-0042", TapPayload(), 16384,
                   RejectReason::kTopicMismatch, "/site"},
        RejectCase{"tap_device_mismatch", "fieldproof/v1/FRA/tap/HH-0043", TapPayload(), 16384,
                   RejectReason::kTopicMismatch, "/device_id"},
        RejectCase{"tap_device_case_mismatch", "fieldproof/v1/FRA/tap/hh-0042", TapPayload(),
                   16384, RejectReason::kTopicMismatch, "/device_id"},
        RejectCase{"tap_site_case_mismatch", kTapTopic, TapPayload("fra"), 16384,
                   RejectReason::kTopicMismatch, "/site"},
        RejectCase{"telemetry_site_mismatch", "fieldproof/v1/MUC/telemetry/FRA-T1-F2-FS-0113",
                   TelemetryPayload(), 16384, RejectReason::kTopicMismatch, "/site"},
        RejectCase{"telemetry_asset_mismatch", "fieldproof/v1/FRA/telemetry/FRA-T1-F2-FS-0114",
                   TelemetryPayload(), 16384, RejectReason::kTopicMismatch, "/asset_id"}),
    [](const ::testing::TestParamInfo<RejectCase>& info) { return info.param.name; });

TEST(DecodeInboundTest, MismatchDetailNamesBothValues) {
  const auto result =
      DecodeInbound("fieldproof/v1/FRA/tap/HH-0099", TapPayload(), kDefaultMaxPayloadBytes);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, RejectReason::kTopicMismatch);
  EXPECT_NE(result.error().detail.find("HH-0042"), std::string::npos) << result.error().detail;
  EXPECT_NE(result.error().detail.find("HH-0099"), std::string::npos) << result.error().detail;
}

// Pads a JSON object with trailing whitespace (still valid JSON) to exactly `size` bytes.
std::string PadTo(std::string json, std::size_t size) {
  EXPECT_LE(json.size(), size);
  json.append(size - json.size(), ' ');
  return json;
}

TEST(DecodeInboundTest, PayloadExactlyAtLimitIsAccepted) {
  for (std::size_t limit : {std::size_t{1024}, kDefaultMaxPayloadBytes}) {
    const std::string tap = PadTo(TapPayload(), limit);
    ASSERT_EQ(tap.size(), limit);
    const auto at_limit = DecodeInbound(kTapTopic, tap, limit);
    EXPECT_TRUE(at_limit.ok()) << limit << ": " << at_limit.error().detail;

    const std::string telemetry = PadTo(TelemetryPayload(), limit);
    EXPECT_TRUE(DecodeInbound(kTelemetryTopic, telemetry, limit).ok()) << limit;
  }
}

TEST(DecodeInboundTest, PayloadOneByteOverLimitIsTooLarge) {
  for (std::size_t limit : {std::size_t{1024}, kDefaultMaxPayloadBytes}) {
    const std::string tap = PadTo(TapPayload(), limit + 1);
    const auto over = DecodeInbound(kTapTopic, tap, limit);
    ASSERT_FALSE(over.ok()) << limit;
    EXPECT_EQ(over.error().reason, RejectReason::kPayloadTooLarge);
    EXPECT_NE(over.error().detail.find(std::to_string(limit + 1)), std::string::npos)
        << over.error().detail;
    EXPECT_NE(over.error().detail.find(std::to_string(limit)), std::string::npos);

    const auto telemetry = DecodeInbound(kTelemetryTopic, PadTo(TelemetryPayload(), limit + 1), limit);
    ASSERT_FALSE(telemetry.ok());
    EXPECT_EQ(telemetry.error().reason, RejectReason::kPayloadTooLarge);
  }
}

TEST(DecodeInboundTest, PayloadsThatAreNotJsonAreMalformed) {
  const std::string deep = std::string(2000, '[') + std::string(2000, ']');
  for (const std::string_view payload :
       {std::string_view(), std::string_view(""), std::string_view("{"),
        std::string_view("{\"msg_id\":\"m-\xff\"}"), std::string_view("{\"a\":1,}"),
        std::string_view(deep)}) {
    const auto decoded = DecodeInbound(kTelemetryTopic, payload, kDefaultMaxPayloadBytes);
    ASSERT_FALSE(decoded.ok()) << payload;
    EXPECT_EQ(ReasonOf(decoded), RejectReason::kMalformedJson) << payload;
  }
  // A number no integer or double holds says why.
  const auto huge = DecodeInbound(
      kTelemetryTopic, R"({"msg_id":"m-1","readings":[{"type":"battery","percent":1e400}]})",
      kDefaultMaxPayloadBytes);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(ReasonOf(huge), RejectReason::kMalformedJson);
  EXPECT_NE(huge.error().detail.find("number"), std::string::npos) << huge.error().detail;

  const auto array = DecodeInbound(kTelemetryTopic, "[1]", kDefaultMaxPayloadBytes);
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(ReasonOf(array), RejectReason::kNotAnObject);
}

TEST(DecodeInboundTest, DefaultLimitIs16KiB) { EXPECT_EQ(kDefaultMaxPayloadBytes, 16384u); }

}  // namespace
}  // namespace fieldproof::codec
