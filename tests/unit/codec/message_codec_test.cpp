// Encode -> Decode round trips, PeekMsgId, IsSunUrl. The schema examples themselves are
// covered by schema_examples_test.cpp; this file checks what they cannot: that what the
// gateway writes, it can read back unchanged.
#include "gateway/codec/message_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "gateway/codec/inbound.hpp"
#include "gateway/core/rejection.hpp"

namespace fieldproof::codec {
namespace {

using core::RejectReason;

const core::UnixMillis kT0 = *core::ParseRfc3339("2026-11-23T08:26:05.031Z");

constexpr char kPicc[] = "E287EE006030EFE22DFB9A7A289E24B4";
constexpr char kBlock[] = "897A9AB7A68EC3F58FC12C36E760FDBE";
constexpr char kCmac[] = "5157B8A6779A4B89";

// ---- Tap ----------------------------------------------------------------------------

void ExpectSameTap(const core::Tap& a, const core::Tap& b) {
  EXPECT_EQ(a.msg_id, b.msg_id);
  EXPECT_EQ(a.device_id, b.device_id);
  EXPECT_EQ(a.technician_id, b.technician_id);
  EXPECT_EQ(a.site, b.site);
  EXPECT_EQ(a.tag.type, b.tag.type);
  EXPECT_EQ(a.tag.value, b.tag.value);
  EXPECT_EQ(a.read_at, b.read_at);
  EXPECT_EQ(a.sent_at, b.sent_at);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.checklist, b.checklist);
  EXPECT_EQ(a.result, b.result);
  ASSERT_EQ(a.defects.size(), b.defects.size());
  for (std::size_t i = 0; i < a.defects.size(); ++i) {
    EXPECT_EQ(a.defects[i].code, b.defects[i].code) << i;
    EXPECT_EQ(a.defects[i].severity, b.defects[i].severity) << i;
    EXPECT_EQ(a.defects[i].note, b.defects[i].note) << i;
  }
  EXPECT_EQ(a.work_order_id, b.work_order_id);
  EXPECT_EQ(a.firmware, b.firmware);
}

core::Tap StartTap() {
  core::Tap tap;
  tap.msg_id = "HH-0042:000123";
  tap.device_id = "HH-0042";
  tap.technician_id = "T-0007";
  tap.site = "FRA";
  tap.tag = {core::TagRead::Type::kSun, std::string("https://tag.fieldproof.example/t?picc_data=") +
                                            kPicc + "&cmac=" + kCmac};
  tap.read_at = kT0;
  tap.sent_at = kT0 + 357;
  tap.kind = core::TapKind::kStart;
  tap.firmware = "hh-2.4.1";
  return tap;
}

core::Tap EndTap() {
  core::Tap tap = StartTap();
  tap.msg_id = "HH-0042:000124";
  tap.kind = core::TapKind::kEnd;
  tap.read_at = kT0 + 11 * 60 * 1000;
  tap.sent_at = tap.read_at + 1;
  tap.checklist = {{"labels_legible", core::ChecklistAnswer::kPass},
                   {"no_damage", core::ChecklistAnswer::kFail},
                   {"signage", core::ChecklistAnswer::kNotApplicable}};
  tap.result = core::InspectionResult::kPass;
  return tap;
}

struct TapCase {
  std::string name;
  core::Tap tap;
};

void PrintTo(const TapCase& c, std::ostream* os) { *os << c.name; }

std::vector<TapCase> TapCases() {
  std::vector<TapCase> cases;
  cases.push_back({"start_sun", StartTap()});
  {
    core::Tap t = StartTap();
    t.tag = {core::TagRead::Type::kUid, "04A1B2C3D4E5F6"};
    cases.push_back({"start_uid", t});
  }
  {
    core::Tap t = StartTap();
    t.work_order_id = "WO-2026-11-0113";
    t.tag.value = std::string("http://10.0.0.7:8080?e=") + kPicc + "&enc=" + kBlock + kBlock +
                  "&c=" + kCmac;
    cases.push_back({"start_work_order_enc", t});
  }
  cases.push_back({"end_pass", EndTap()});
  {
    core::Tap t = EndTap();
    t.checklist.clear();
    cases.push_back({"end_empty_checklist", t});
  }
  {
    core::Tap t = EndTap();
    t.result = core::InspectionResult::kFail;
    t.defects = {{"seal_torn", core::Severity::kMajor, "left guide, 20 cm \"torn\""},
                 {"label_missing", core::Severity::kMinor, ""},
                 {"motor_dead", core::Severity::kCritical, "Motor brûlé \xE2\x9A\xA0"}};
    t.work_order_id = "WO.7";
    t.tag = {core::TagRead::Type::kUid, "0123456789ABCD"};
    cases.push_back({"end_fail_defects_uid", t});
  }
  {
    core::Tap t = EndTap();
    t.defects = {{"scratch", core::Severity::kMinor, "cosmetic"}};  // Pass with a minor defect.
    t.read_at = -1;                                                  // Before the epoch.
    t.sent_at = 0;
    cases.push_back({"end_pass_minor_defect_old_clock", t});
  }
  return cases;
}

class TapRoundTripTest : public ::testing::TestWithParam<TapCase> {};

TEST_P(TapRoundTripTest, DecodeOfEncodeIsIdentity) {
  const core::Tap& original = GetParam().tap;
  const std::string json = EncodeTap(original);
  const auto decoded = DecodeTap(json);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail << "\n" << json;
  ExpectSameTap(decoded.value(), original);
  // And encoding is deterministic.
  EXPECT_EQ(EncodeTap(decoded.value()), json);
}

INSTANTIATE_TEST_SUITE_P(
    Taps, TapRoundTripTest, ::testing::ValuesIn(TapCases()),
    [](const ::testing::TestParamInfo<TapCase>& info) { return info.param.name; });

TEST(TapCodecTest, StartTapCarriesNoEndFields) {
  const std::string json = EncodeTap(StartTap());
  for (const char* key : {"\"checklist\"", "\"result\"", "\"defects\"", "\"work_order_id\""}) {
    EXPECT_EQ(json.find(key), std::string::npos) << key << " in " << json;
  }
}

TEST(TapCodecTest, TimestampsAreUtcWithMilliseconds) {
  const std::string json = EncodeTap(StartTap());
  EXPECT_NE(json.find(R"("read_at":"2026-11-23T08:26:05.031Z")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("sent_at":"2026-11-23T08:26:05.388Z")"), std::string::npos) << json;
}

TEST(TapCodecTest, LowercaseUidIsUppercasedOnDecode) {
  core::Tap tap = StartTap();
  tap.tag = {core::TagRead::Type::kUid, "04a1b2c3d4e5f6"};
  const auto decoded = DecodeTap(EncodeTap(tap));
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded.value().tag.value, "04A1B2C3D4E5F6");
}

TEST(TapCodecTest, SunUrlIsKeptExactlyAsRead) {
  core::Tap tap = StartTap();
  tap.tag.value = std::string("https://t.example/x?picc_data=") + "e287ee006030efe22dfb9a7a289e24b4" +
                  "&cmac=5157b8a6779a4b89";
  const auto decoded = DecodeTap(EncodeTap(tap));
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded.value().tag.value, tap.tag.value);  // Lower-case hex is not normalised.
}

// ---- Telemetry --------------------------------------------------------------------

TEST(TelemetryCodecTest, RoundTripsEveryReadingType) {
  core::Telemetry t;
  t.msg_id = "FRA-T1-F2-FS-0113:48213";
  t.asset_id = "FRA-T1-F2-FS-0113";
  t.site = "FRA";
  t.device_time = kT0;
  t.firmware = "fs-sense-1.7.0";
  t.readings = {core::StateReading{core::ShutterState::kOpen},
                core::StateReading{core::ShutterState::kClosing},
                core::StateReading{core::ShutterState::kClosed},
                core::StateReading{core::ShutterState::kOpening},
                core::ClosingDurationReading{0},
                core::ClosingDurationReading{600000},
                core::MotorCurrentReading{100000},
                core::MotorCurrentReading{2412},
                core::BatteryReading{0},
                core::BatteryReading{100},
                core::HeartbeatReading{0},
                core::HeartbeatReading{4294967295LL}};

  for (const bool with_firmware : {true, false}) {
    if (!with_firmware) t.firmware.reset();
    const std::string json = EncodeTelemetry(t);
    const auto decoded = DecodeTelemetry(json);
    ASSERT_TRUE(decoded.ok()) << decoded.error().detail << "\n" << json;
    const core::Telemetry& d = decoded.value();
    EXPECT_EQ(d.msg_id, t.msg_id);
    EXPECT_EQ(d.asset_id, t.asset_id);
    EXPECT_EQ(d.site, t.site);
    EXPECT_EQ(d.device_time, t.device_time);
    EXPECT_EQ(d.firmware, t.firmware);
    ASSERT_EQ(d.readings.size(), t.readings.size());
    for (std::size_t i = 0; i < t.readings.size(); ++i) {
      ASSERT_EQ(d.readings[i].index(), t.readings[i].index()) << i;
      std::visit(
          [&](const auto& original) {
            using R = std::decay_t<decltype(original)>;
            const R& back = std::get<R>(d.readings[i]);
            if constexpr (std::is_same_v<R, core::StateReading>) {
              EXPECT_EQ(back.state, original.state) << i;
            } else if constexpr (std::is_same_v<R, core::ClosingDurationReading>) {
              EXPECT_EQ(back.ms, original.ms) << i;
            } else if constexpr (std::is_same_v<R, core::MotorCurrentReading>) {
              EXPECT_EQ(back.ma, original.ma) << i;
            } else if constexpr (std::is_same_v<R, core::BatteryReading>) {
              EXPECT_EQ(back.percent, original.percent) << i;
            } else {
              EXPECT_EQ(back.uptime_s, original.uptime_s) << i;
            }
          },
          t.readings[i]);
    }
    EXPECT_EQ(json.find("\"firmware\"") != std::string::npos, with_firmware) << json;
  }
}

TEST(TelemetryCodecTest, EncodeReadingsMatchesTheWireForm) {
  EXPECT_EQ(EncodeReadings({core::StateReading{core::ShutterState::kClosed},
                            core::BatteryReading{86}}),
            R"([{"state":"closed","type":"state"},{"percent":86,"type":"battery"}])");
  EXPECT_EQ(EncodeReadings({}), "[]");
}

TEST(TapCodecTest, EncodeChecklistAndDefects) {
  EXPECT_EQ(EncodeChecklist({{"b", core::ChecklistAnswer::kNotApplicable},
                             {"a", core::ChecklistAnswer::kFail}}),
            R"({"a":"fail","b":"na"})");
  EXPECT_EQ(EncodeChecklist({}), "{}");
  EXPECT_EQ(EncodeDefects({{"x", core::Severity::kCritical, ""}, {"y", core::Severity::kMinor, "n"}}),
            R"([{"code":"x","severity":"critical"},{"code":"y","note":"n","severity":"minor"}])");
}

// ---- Registry records --------------------------------------------------------------

TEST(AssetCodecTest, RoundTrips) {
  std::vector<core::Asset> assets;
  core::Asset a;
  a.asset_id = "FRA-T1-F2-FS-0113";
  a.site = "FRA";
  a.building = "T1";
  a.floor = 2;
  a.location = "Gate B12, \"east\" wall \xC3\xA4";
  a.x_m = 1234.56789012345;
  a.y_m = -0.1;
  a.asset_type = "fire_shutter";
  a.tag_uid = "04A1B2C3D4E5F6";
  a.interval_days = 182;
  a.owner_id = "FRAPORT";
  a.sensor_equipped = true;
  assets.push_back(a);
  a.floor = -20;
  a.x_m = -100000;
  a.y_m = 100000;
  a.interval_days = 3660;
  a.sensor_equipped = false;
  a.location = "";
  assets.push_back(a);
  a.floor = 200;
  a.x_m = 0;
  a.y_m = 1e-9;
  a.interval_days = 1;
  assets.push_back(a);

  for (const core::Asset& original : assets) {
    const std::string json = EncodeAsset(original);
    const auto decoded = DecodeAsset(json);
    ASSERT_TRUE(decoded.ok()) << decoded.error().detail << "\n" << json;
    const core::Asset& d = decoded.value();
    EXPECT_EQ(d.asset_id, original.asset_id);
    EXPECT_EQ(d.site, original.site);
    EXPECT_EQ(d.building, original.building);
    EXPECT_EQ(d.floor, original.floor);
    EXPECT_EQ(d.location, original.location);
    EXPECT_EQ(d.x_m, original.x_m) << json;  // Exact: no precision lost.
    EXPECT_EQ(d.y_m, original.y_m) << json;
    EXPECT_EQ(d.asset_type, original.asset_type);
    EXPECT_EQ(d.tag_uid, original.tag_uid);
    EXPECT_EQ(d.interval_days, original.interval_days);
    EXPECT_EQ(d.owner_id, original.owner_id);
    EXPECT_EQ(d.sensor_equipped, original.sensor_equipped);
  }
}

TEST(AssetCodecTest, DecodeUppercasesTagUid) {
  const auto decoded = DecodeAsset(
      R"({"asset_id":"A1","site":"FRA","building":"T1","floor":0,"location":"","x_m":0,"y_m":0,)"
      R"("asset_type":"door","tag_uid":"04a1b2c3d4e5f6","interval_days":30,"owner_id":"O",)"
      R"("sensor_equipped":false})");
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded.value().tag_uid, "04A1B2C3D4E5F6");
}

TEST(TechnicianCodecTest, RoundTrips) {
  const std::vector<core::Technician> technicians = {
      {"T-0007", "Jana Nov\xC3\xA1kov\xC3\xA1", "ACME-Service", {"fire_shutter", "smoke_damper"},
       {"FRA", "MUC", "HAM"}},
      {"T.trainee", "A \"quoted\" name, with comma", "ACME", {}, {"FRA"}},
  };
  for (const core::Technician& original : technicians) {
    const std::string json = EncodeTechnician(original);
    const auto decoded = DecodeTechnician(json);
    ASSERT_TRUE(decoded.ok()) << decoded.error().detail << "\n" << json;
    EXPECT_EQ(decoded.value().technician_id, original.technician_id);
    EXPECT_EQ(decoded.value().name, original.name);
    EXPECT_EQ(decoded.value().company, original.company);
    EXPECT_EQ(decoded.value().qualifications, original.qualifications);  // Order kept.
    EXPECT_EQ(decoded.value().sites, original.sites);
  }
}

// ---- Rejection notices -------------------------------------------------------------

TEST(RejectionNoticeCodecTest, RoundTripsEveryReasonWithAndWithoutMsgId) {
  const std::vector<RejectReason> reasons = {
      RejectReason::kPayloadTooLarge, RejectReason::kMalformedJson,
      RejectReason::kNotAnObject,     RejectReason::kMissingField,
      RejectReason::kUnknownField,    RejectReason::kWrongType,
      RejectReason::kInvalidValue,    RejectReason::kUnknownTopic,
      RejectReason::kTopicMismatch,   RejectReason::kUnknownAsset,
      RejectReason::kConflictingDuplicate};
  for (RejectReason reason : reasons) {
    for (const std::optional<std::string>& msg_id :
         {std::optional<std::string>(), std::optional<std::string>("HH-0042:000123")}) {
      const core::RejectionNotice notice{msg_id, "fieldproof/v1/FRA/tap/HH-0042", reason,
                                         "/read_at: must be an RFC 3339 date-time", kT0};
      const std::string json = EncodeRejectionNotice(notice);
      const auto decoded = DecodeRejectionNotice(json);
      ASSERT_TRUE(decoded.ok()) << decoded.error().detail << "\n" << json;
      EXPECT_EQ(decoded.value().msg_id, msg_id) << json;
      EXPECT_EQ(decoded.value().topic, notice.topic);
      EXPECT_EQ(decoded.value().reason, reason);
      EXPECT_EQ(decoded.value().detail, notice.detail);
      EXPECT_EQ(decoded.value().rejected_at, kT0);
    }
  }
}

TEST(RejectionNoticeCodecTest, NullMsgIdIsWrittenAsJsonNull) {
  const core::RejectionNotice notice{std::nullopt, "t", RejectReason::kMalformedJson, "", 0};
  const std::string json = EncodeRejectionNotice(notice);
  EXPECT_NE(json.find(R"("msg_id":null)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("rejected_at":"1970-01-01T00:00:00.000Z")"), std::string::npos) << json;
}

TEST(RejectionNoticeCodecTest, InvalidUtf8InDetailStillEncodes) {
  // Details can quote bytes from the rejected payload, which may be Latin-1 or garbage.
  const std::string detail = "/location: 'Geb\xE4ude' \xFF\xFE\xC3 end";
  const core::RejectionNotice notice{"m-1", "fieldproof/v1/FRA/tap/HH-0042",
                                     RejectReason::kMalformedJson, detail, kT0};
  std::string json;
  ASSERT_NO_THROW(json = EncodeRejectionNotice(notice));
  const auto decoded = DecodeRejectionNotice(json);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail << "\n" << json;
  const std::string& back = decoded.value().detail;
  EXPECT_EQ(back.rfind("/location: 'Geb", 0), 0u) << back;
  EXPECT_NE(back.find("\xEF\xBF\xBD"), std::string::npos) << "expected U+FFFD replacement";
  EXPECT_NE(back.find(" end"), std::string::npos) << back;
  EXPECT_EQ(back.find('\xFF'), std::string::npos);
  EXPECT_EQ(decoded.value().msg_id, "m-1");
}

// The gateway publishes a notice for every rejected message, echoing the received topic
// and the rejection detail. MQTT topics may be up to 65535 bytes and ParseTopic quotes the
// unknown kind level in its detail, so both can exceed the schema's limits (topic 512,
// detail 1000 characters). Whatever it is given, the encoder must emit a notice that
// satisfies schemas/rejection-notice.json, i.e. one that DecodeRejectionNotice accepts.
TEST(RejectionNoticeCodecTest, EncodedNoticeStaysWithinSchemaLimits) {
  const std::string topic = "fieldproof/v1/FRA/" + std::string(1100, 'k') + "/HH-0042";
  const auto inbound = DecodeInbound(topic, "{}", kDefaultMaxPayloadBytes);
  ASSERT_FALSE(inbound.ok());
  ASSERT_EQ(inbound.error().reason, RejectReason::kUnknownTopic);
  const core::RejectionNotice notice{std::nullopt, topic, inbound.error().reason,
                                     inbound.error().detail, kT0};
  const std::string json = EncodeRejectionNotice(notice);
  const auto decoded = DecodeRejectionNotice(json);
  EXPECT_TRUE(decoded.ok()) << "the gateway's own notice violates its schema: "
                            << decoded.error().detail << " (topic " << topic.size()
                            << " bytes, detail " << inbound.error().detail.size() << " bytes)";

  // Each limit on its own.
  const core::RejectionNotice long_detail{"m-1", "fieldproof/v1/FRA/tap/HH-0042",
                                          RejectReason::kInvalidValue, std::string(1001, 'd'), kT0};
  EXPECT_TRUE(DecodeRejectionNotice(EncodeRejectionNotice(long_detail)).ok()) << "detail 1001";
  const core::RejectionNotice long_topic{"m-1", std::string(513, 't'), RejectReason::kUnknownTopic,
                                         "", kT0};
  EXPECT_TRUE(DecodeRejectionNotice(EncodeRejectionNotice(long_topic)).ok()) << "topic 513";
}

// ---- PeekMsgId ---------------------------------------------------------------------

TEST(PeekMsgIdTest, Table) {
  struct Case {
    std::string json;
    std::optional<std::string> expected;
  };
  const std::vector<Case> cases = {
      {R"({"msg_id":"HH-0042:000123"})", "HH-0042:000123"},
      {R"({"site":"FRA","msg_id":"m.1","junk":[1,2,{}]})", "m.1"},
      {R"({"msg_id":"m-1","kind":"weird","read_at":17})", "m-1"},  // Invalid elsewhere: still found.
      {R"({"msg_id":""})", std::nullopt},
      {R"({"msg_id":"-lead"})", std::nullopt},
      {R"({"msg_id":"has space"})", std::nullopt},
      {"{\"msg_id\":\"" + std::string(65, 'a') + "\"}", std::nullopt},
      {R"({"msg_id":42})", std::nullopt},
      {R"({"msg_id":null})", std::nullopt},
      {R"({"msg_id":["m-1"]})", std::nullopt},
      {R"({"id":"m-1"})", std::nullopt},
      {R"({"tag":{"msg_id":"m-1"}})", std::nullopt},  // Only the top level counts.
      {R"(["msg_id","m-1"])", std::nullopt},
      {R"("m-1")", std::nullopt},
      {R"({"msg_id":"m-1")", std::nullopt},  // Truncated.
      {"", std::nullopt},
      {"{\"msg_id\":\"m-1\",\"note\":\"\xFF\"}", std::nullopt},  // Invalid UTF-8.
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PeekMsgId(c.json), c.expected) << c.json;
  }
}

// ---- IsSunUrl ----------------------------------------------------------------------

struct SunCase {
  std::string name;
  std::string url;
  bool valid;
};

void PrintTo(const SunCase& c, std::ostream* os) { *os << c.name << ": " << c.url; }

class IsSunUrlTest : public ::testing::TestWithParam<SunCase> {};

TEST_P(IsSunUrlTest, MatchesSchemaPattern) {
  EXPECT_EQ(IsSunUrl(GetParam().url), GetParam().valid) << GetParam().url;
}

std::string Blocks(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += kBlock;
  return s;
}

const std::string kBase = "https://tag.fieldproof.example/t";
const std::string kE = std::string(kPicc);
const std::string kC = std::string(kCmac);

INSTANTIATE_TEST_SUITE_P(
    Urls, IsSunUrlTest,
    ::testing::Values(
        SunCase{"picc_cmac", kBase + "?picc_data=" + kE + "&cmac=" + kC, true},
        SunCase{"picc_enc_cmac", kBase + "?picc_data=" + kE + "&enc=" + Blocks(1) + "&cmac=" + kC,
                true},
        SunCase{"short_e_c", kBase + "?e=" + kE + "&c=" + kC, true},
        SunCase{"short_e_long_cmac", kBase + "?e=" + kE + "&cmac=" + kC, true},
        SunCase{"long_picc_short_c", kBase + "?picc_data=" + kE + "&c=" + kC, true},
        SunCase{"uid_ctr_cmac", kBase + "?uid=04A1B2C3D4E5F6&ctr=00002A&cmac=" + kC, true},
        SunCase{"uid_ctr_c", kBase + "?uid=04A1B2C3D4E5F6&ctr=00002A&c=" + kC, true},
        SunCase{"http", "http://t.example/x?e=" + kE + "&c=" + kC, true},
        SunCase{"port", "https://t.example:8443/x?e=" + kE + "&c=" + kC, true},
        SunCase{"port_5_digits", "https://t.example:65535/x?e=" + kE + "&c=" + kC, true},
        SunCase{"port_6_digits", "https://t.example:123456/x?e=" + kE + "&c=" + kC, false},
        SunCase{"port_empty", "https://t.example:/x?e=" + kE + "&c=" + kC, false},
        SunCase{"no_path", "https://t.example?e=" + kE + "&c=" + kC, true},
        SunCase{"root_path", "https://t.example/?e=" + kE + "&c=" + kC, true},
        SunCase{"deep_path", "https://t.example/a/b.c/~d/%20e_f-g/?e=" + kE + "&c=" + kC, true},
        SunCase{"ip_host", "https://10.0.0.7:8080/t?e=" + kE + "&c=" + kC, true},
        SunCase{"enc_8_blocks", kBase + "?e=" + kE + "&enc=" + Blocks(8) + "&c=" + kC, true},
        SunCase{"enc_9_blocks", kBase + "?e=" + kE + "&enc=" + Blocks(9) + "&c=" + kC, false},
        SunCase{"enc_empty", kBase + "?e=" + kE + "&enc=&c=" + kC, false},
        SunCase{"enc_half_block", kBase + "?e=" + kE + "&enc=" + Blocks(1) + "0123456789ABCDEF" +
                                      "&c=" + kC,
                false},
        SunCase{"lowercase_hex", kBase + "?e=e287ee006030efe22dfb9a7a289e24b4&enc=" +
                                     "897a9ab7a68ec3f58fc12c36e760fdbe&c=5157b8a6779a4b89",
                true},
        SunCase{"lowercase_uid_ctr", kBase + "?uid=04a1b2c3d4e5f6&ctr=00002a&cmac=5157b8a6779a4b89",
                true},
        SunCase{"trailing_junk", kBase + "?e=" + kE + "&c=" + kC + "&x=1", false},
        SunCase{"trailing_hex", kBase + "?e=" + kE + "&c=" + kC + "0", false},
        SunCase{"trailing_newline", kBase + "?e=" + kE + "&c=" + kC + "\n", false},
        SunCase{"fragment", kBase + "?e=" + kE + "&c=" + kC + "#f", false},
        SunCase{"missing_cmac", kBase + "?e=" + kE, false},
        SunCase{"missing_cmac_after_enc", kBase + "?e=" + kE + "&enc=" + Blocks(2), false},
        SunCase{"cmac_15", kBase + "?e=" + kE + "&c=" + kC.substr(0, 15), false},
        SunCase{"picc_31", kBase + "?e=" + kE.substr(1) + "&c=" + kC, false},
        SunCase{"picc_not_hex", kBase + "?e=" + std::string(32, 'G') + "&c=" + kC, false},
        SunCase{"cmac_before_picc", kBase + "?c=" + kC + "&e=" + kE, false},
        SunCase{"enc_before_picc", kBase + "?enc=" + Blocks(1) + "&e=" + kE + "&c=" + kC, false},
        SunCase{"ctr_before_uid", kBase + "?ctr=00002A&uid=04A1B2C3D4E5F6&c=" + kC, false},
        SunCase{"uid_without_ctr", kBase + "?uid=04A1B2C3D4E5F6&c=" + kC, false},
        SunCase{"uid_with_enc", kBase + "?uid=04A1B2C3D4E5F6&ctr=00002A&enc=" + Blocks(1) +
                                    "&c=" + kC,
                false},
        SunCase{"ctr_5", kBase + "?uid=04A1B2C3D4E5F6&ctr=00002&c=" + kC, false},
        SunCase{"uppercase_param", kBase + "?E=" + kE + "&C=" + kC, false},
        SunCase{"extra_param_first", kBase + "?x=1&e=" + kE + "&c=" + kC, false},
        SunCase{"no_query", kBase, false},
        SunCase{"no_host", "https://?e=" + kE + "&c=" + kC, false},
        SunCase{"host_underscore", "https://t_x.example/?e=" + kE + "&c=" + kC, false},
        SunCase{"userinfo", "https://u@t.example/?e=" + kE + "&c=" + kC, false},
        SunCase{"ftp", "ftp://t.example/?e=" + kE + "&c=" + kC, false},
        SunCase{"uppercase_scheme", "HTTPS://t.example/?e=" + kE + "&c=" + kC, false},
        SunCase{"path_with_query_chars", "https://t.example/a?b/?e=" + kE + "&c=" + kC, false},
        SunCase{"empty", "", false}),
    [](const ::testing::TestParamInfo<SunCase>& info) { return info.param.name; });

TEST(TapCodecTest, SunUrlLongerThan512CharactersIsRejected) {
  // A valid-looking URL whose path makes it 513 characters.
  const std::string tail = "?e=" + kE + "&c=" + kC;
  const std::string prefix = "https://t.example/";
  const std::string url = prefix + std::string(513 - prefix.size() - tail.size(), 'p') + tail;
  ASSERT_EQ(url.size(), 513u);
  ASSERT_TRUE(IsSunUrl(url));  // The pattern alone allows it; the length rule does not.
  core::Tap tap = StartTap();
  tap.tag.value = url;
  const auto decoded = DecodeTap(EncodeTap(tap));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().reason, RejectReason::kInvalidValue);
  EXPECT_EQ(decoded.error().detail.rfind("/tag/url", 0), 0u) << decoded.error().detail;

  tap.tag.value = url.substr(0, prefix.size()) + url.substr(prefix.size() + 1);  // 512
  EXPECT_TRUE(DecodeTap(EncodeTap(tap)).ok());
}

}  // namespace
}  // namespace fieldproof::codec
