// Did this inspection happen? An honest inspection, then one row per deviation from it.
#include "gateway/core/inspection.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "gateway/core/freshness.hpp"

namespace fieldproof::core {
namespace {


// 2026-11-23T10:00:00Z: the start tap.
constexpr UnixMillis kT0 = 20780 * kDay + 10 * kHour;
constexpr UnixMillis kEnd = kT0 + 12 * kMinute;  // The end tap.
constexpr UnixMillis kMinDwell = 5 * kMinute;
constexpr UnixMillis kFreshnessTolerance = 2 * kSecond;
constexpr char kTagUid[] = "04A1B2C3D4E5F6";

// The order an evidence consumer relies on.
const std::vector<std::string> kCheckNames = {
    "start_tag_authentic", "end_tag_authentic", "start_tag_fresh",       "end_tag_fresh",
    "start_tap_timing",    "end_tap_timing",    "same_tag",              "technician_authorised",
    "device_registered",   "dwell",             "checklist_complete",    "functional_test",
    "travel",              "technician_overlap", "photos",
};

AssetTypePolicy ShutterPolicy() {
  AssetTypePolicy p;
  p.asset_type = "fire_shutter";
  p.min_dwell = kMinDwell;
  p.checklist = {"labels_legible", "no_damage", "closing_device"};
  p.min_closing_ms = 5000;
  p.max_closing_ms = 20000;
  return p;
}

Asset ShutterAsset() {
  Asset a;
  a.asset_id = "FRA-T1-F2-FS-0113";
  a.site = "FRA";
  a.building = "T1";
  a.floor = 2;
  a.location = "Gate B12, east corridor";
  a.x_m = 100;
  a.y_m = 50;
  a.asset_type = "fire_shutter";
  a.tag_uid = kTagUid;
  a.interval_days = 365;
  a.owner_id = "OWN-FRA";
  a.sensor_equipped = true;
  return a;
}

// 40 m west of ShutterAsset, same building and floor: 20 s at 2 m/s.
Asset NeighbourAsset() {
  Asset a = ShutterAsset();
  a.asset_id = "FRA-T1-F2-FS-0112";
  a.tag_uid = "04A1B2C3D4E5F5";
  a.x_m = 60;
  return a;
}

// A close cycle: "closing" at `closing_at`, the duration and "closed" `ms` later, with
// unrelated readings around it.
std::vector<TimedReading> CloseCycle(UnixMillis closing_at, std::int64_t ms) {
  return {
      {closing_at - kMinute, BatteryReading{87}},
      {closing_at, StateReading{ShutterState::kClosing}},
      {closing_at + 500, MotorCurrentReading{1800}},
      {closing_at + ms, ClosingDurationReading{ms}},
      {closing_at + ms, StateReading{ShutterState::kClosed}},
  };
}

TapEvidence SunTap(std::string msg_id, UnixMillis read_at, std::uint32_t counter,
                   std::vector<SeenRead> earlier) {
  TapEvidence tap;
  tap.msg_id = std::move(msg_id);
  tap.read_at = read_at;
  tap.legacy_uid = false;
  tap.authentic = true;
  tap.uid = kTagUid;
  tap.freshness = CheckFreshness(earlier, counter, read_at, kFreshnessTolerance);
  tap.timing = CheckTapTiming({read_at, read_at + 200, read_at + 600}, {}, ClockEstimate{}, {});
  return tap;
}

// The honest inspection: a qualified technician with the company's handheld walks from the
// neighbouring shutter, taps in, runs the close test, answers every item, taps out 12 min later.
InspectionFacts HonestInspection() {
  InspectionFacts f;
  f.site = "FRA";
  f.device_id = "HH-0042";
  f.technician_id = "TEC-007";
  f.asset = ShutterAsset();
  const std::vector<SeenRead> history = {{40, kT0 - 365 * kDay}, {41, kT0 - 2 * kDay}};
  f.start = SunTap("HH-0042:1001", kT0, 42, history);
  std::vector<SeenRead> with_start = history;
  with_start.push_back({42, kT0});
  f.end = SunTap("HH-0042:1002", kEnd, 43, with_start);
  f.end_tag_uid = kTagUid;
  f.checklist = {{"labels_legible", ChecklistAnswer::kPass},
                 {"no_damage", ChecklistAnswer::kPass},
                 {"closing_device", ChecklistAnswer::kPass}};
  f.result = InspectionResult::kPass;
  f.technician = Technician{"TEC-007", "Ada Lovelace", "ShutterCo", {"fire_door", "fire_shutter"},
                            {"FRA", "MUC"}};
  f.device_company = "ShutterCo";
  f.telemetry = CloseCycle(kT0 + 3 * kMinute, 9000);
  f.previous = OtherVisit{1, NeighbourAsset(), "HH-0042", kT0 - 15 * kMinute, kT0 - 5 * kMinute};
  f.photos = {std::string(64, 'c')};
  return f;
}

std::vector<std::string> NamesOf(const Assessment& a) {
  std::vector<std::string> names;
  for (const Check& c : a.checks) names.push_back(c.name);
  return names;
}

const Check* Find(const Assessment& a, const std::string& name) {
  for (const Check& c : a.checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(InspectionTest, HonestInspectionIsVerifiedWithStrongEvidence) {
  const Assessment a = AssessInspection(HonestInspection(), ShutterPolicy(), SitePolicy{});
  EXPECT_EQ(a.verdict, Verdict::kVerified);
  EXPECT_EQ(a.strength, EvidenceStrength::kStrong);
  ASSERT_EQ(NamesOf(a), kCheckNames);
  for (const Check& c : a.checks) {
    EXPECT_EQ(c.status, CheckStatus::kPass) << c.name << ": " << c.detail;
    EXPECT_FALSE(c.detail.empty()) << c.name;
  }
  struct DetailCase {
    std::string check;
    std::string part;
  };
  const std::vector<DetailCase> details = {
      {"start_tag_authentic", "SUN message verified, UID 04A1B2C3D4E5F6"},
      {"end_tag_authentic", "SUN message verified, UID 04A1B2C3D4E5F6"},
      {"start_tag_fresh", "read counter 42 not seen before"},
      {"end_tag_fresh", "read counter 43 not seen before"},
      {"same_tag", "start 04A1B2C3D4E5F6, end 04A1B2C3D4E5F6"},
      {"technician_authorised", "qualified for fire_shutter"},
      {"device_registered", "registered to ShutterCo"},
      {"dwell", "stayed 720 s; minimum 300 s"},
      {"checklist_complete", "3 items answered"},
      {"functional_test", "closed in 9000 ms at 2026-11-23T10:03:09.000Z"},
      {"travel", "from FRA-T1-F2-FS-0112 in 300 s; at least 20 s needed"},
  };
  for (const DetailCase& d : details) {
    const Check* c = Find(a, d.check);
    ASSERT_NE(c, nullptr) << d.check;
    EXPECT_TRUE(Contains(c->detail, d.part))
        << d.check << ": \"" << c->detail << "\" lacks \"" << d.part << "\"";
  }
}

struct ExpectedCheck {
  std::string name;
  CheckStatus status;
  std::string detail_contains;
};

struct DeviationCase {
  std::string name;  // gtest parameter name.
  std::function<void(InspectionFacts&, AssetTypePolicy&, SitePolicy&)> deviate;
  Verdict verdict;
  EvidenceStrength strength;
  // The checks this deviation changes; every other check must stay a pass.
  std::vector<ExpectedCheck> changed;
};

void PrintTo(const DeviationCase& c, std::ostream* os) { *os << c.name; }

class InspectionDeviationTest : public ::testing::TestWithParam<DeviationCase> {};

TEST_P(InspectionDeviationTest, VerdictAndChecks) {
  const DeviationCase& c = GetParam();
  InspectionFacts facts = HonestInspection();
  AssetTypePolicy type_policy = ShutterPolicy();
  SitePolicy site_policy;
  c.deviate(facts, type_policy, site_policy);

  const Assessment a = AssessInspection(facts, type_policy, site_policy);

  EXPECT_EQ(ToString(a.verdict), ToString(c.verdict));
  EXPECT_EQ(ToString(a.strength), ToString(c.strength));
  ASSERT_EQ(NamesOf(a), kCheckNames) << "check names and order must not depend on the outcome";
  for (const Check& check : a.checks) {
    const ExpectedCheck* expected = nullptr;
    for (const ExpectedCheck& e : c.changed) {
      if (e.name == check.name) expected = &e;
    }
    if (expected == nullptr) {
      EXPECT_EQ(ToString(check.status), ToString(CheckStatus::kPass))
          << check.name << " should be unaffected: " << check.detail;
      continue;
    }
    EXPECT_EQ(ToString(check.status), ToString(expected->status))
        << check.name << ": " << check.detail;
    EXPECT_TRUE(Contains(check.detail, expected->detail_contains))
        << check.name << ": \"" << check.detail << "\" lacks \"" << expected->detail_contains
        << "\"";
  }
  for (const ExpectedCheck& e : c.changed) {
    EXPECT_NE(Find(a, e.name), nullptr) << "table names an unknown check " << e.name;
  }
}

using F = InspectionFacts;
using T = AssetTypePolicy;
using S = SitePolicy;
constexpr auto kPass = CheckStatus::kPass;
constexpr auto kReview = CheckStatus::kReview;
constexpr auto kFail = CheckStatus::kFail;
constexpr auto kNa = CheckStatus::kNotApplicable;
constexpr auto kStrong = EvidenceStrength::kStrong;
constexpr auto kWeak = EvidenceStrength::kWeak;

void MakeLegacy(TapEvidence& tap) {
  tap.legacy_uid = true;
  tap.authentic = false;
  tap.tag_detail = "plain UID read";
  tap.freshness = {Freshness::kFresh, "legacy tag: no read counter"};
}

// Previous visit `distance_m` east along x, left `took` before the start tap.
void PreviousAt(F& f, double distance_m, UnixMillis took) {
  f.previous->asset.x_m = f.asset.x_m + distance_m;
  f.previous->asset.y_m = f.asset.y_m;
  f.previous->ended_at = f.start.read_at - took;
}

INSTANTIATE_TEST_SUITE_P(
    TagRules, InspectionDeviationTest,
    ::testing::Values(
        DeviationCase{"ForgedStartTag",
                      [](F& f, T&, S&) {
                        f.start.authentic = false;
                        f.start.tag_detail = "SUN MAC does not verify for UID 04A1B2C3D4E5F6";
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"start_tag_authentic", kFail, "SUN MAC does not verify"}}},
        DeviationCase{"ForgedEndTag",
                      [](F& f, T&, S&) {
                        f.end.authentic = false;
                        f.end.tag_detail = "SUN MAC does not verify for UID 04A1B2C3D4E5F6";
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"end_tag_authentic", kFail, "SUN MAC does not verify"}}},
        DeviationCase{"ReplayedStartTag",
                      [](F& f, T&, S&) {
                        f.start.freshness = CheckFreshness(
                            std::vector<SeenRead>{{42, kT0 - kDay}}, 42, kT0, kFreshnessTolerance);
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"start_tag_fresh", kFail, "replayed: read counter 42 was already used"}}},
        DeviationCase{"ReplayedEndTag",
                      [](F& f, T&, S&) {
                        f.end.freshness = CheckFreshness(std::vector<SeenRead>{{43, kT0 - kDay}},
                                                         43, kEnd, kFreshnessTolerance);
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"end_tag_fresh", kFail, "replayed: read counter 43"}}},
        DeviationCase{"RolledBackEndCounter",
                      [](F& f, T&, S&) {
                        f.end.freshness = CheckFreshness(std::vector<SeenRead>{{90, kT0 - kHour}},
                                                         43, kEnd, kFreshnessTolerance);
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"end_tag_fresh", kFail,
                        "counter rolled back: read counter 43 at 2026-11-23T10:12:00.000Z "
                        "contradicts counter 90"}}},
        DeviationCase{"ForwardDatedStartCounter",
                      [](F& f, T&, S&) {
                        f.start.freshness = CheckFreshness(
                            std::vector<SeenRead>{{10, kT0 + kHour}}, 42, kT0, kFreshnessTolerance);
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"start_tag_fresh", kFail, "counter rolled back"}}},
        DeviationCase{"DifferentEndTag",
                      [](F& f, T&, S&) {
                        f.end_tag_uid = "04FFEEDDCCBBAA";
                        f.end.uid = "04FFEEDDCCBBAA";
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"same_tag", kFail, "start 04A1B2C3D4E5F6, end 04FFEEDDCCBBAA"}}},
        DeviationCase{"LegacyTagsAllowedBySite",
                      [](F& f, T&, S& s) {
                        s.allow_legacy_tags = true;
                        MakeLegacy(f.start);
                        MakeLegacy(f.end);
                      },
                      Verdict::kVerified,
                      kWeak,
                      {{"start_tag_authentic", kPass, "legacy UID tag 04A1B2C3D4E5F6 (weak evidence)"},
                       {"end_tag_authentic", kPass, "weak evidence"}}},
        DeviationCase{"LegacyEndTagOnlyMakesEvidenceWeak",
                      [](F& f, T&, S& s) {
                        s.allow_legacy_tags = true;
                        MakeLegacy(f.end);
                      },
                      Verdict::kVerified,
                      kWeak,
                      {{"end_tag_authentic", kPass, "weak evidence"}}},
        DeviationCase{"LegacyTagsNotAllowedBySite",
                      [](F& f, T&, S&) {
                        MakeLegacy(f.start);
                        MakeLegacy(f.end);
                      },
                      Verdict::kRejected,
                      kWeak,
                      {{"start_tag_authentic", kFail,
                        "legacy UID tag 04A1B2C3D4E5F6: this site accepts only SUN tags"},
                       {"end_tag_authentic", kFail, "accepts only SUN tags"}}}),
    [](const ::testing::TestParamInfo<DeviationCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    PeopleAndDevices, InspectionDeviationTest,
    ::testing::Values(
        DeviationCase{"UnknownTechnician",
                      [](F& f, T&, S&) { f.technician.reset(); },
                      Verdict::kRejected,
                      kStrong,
                      {{"technician_authorised", kFail,
                        "technician TEC-007 is not registered at site FRA"}}},
        DeviationCase{"UnqualifiedTechnician",
                      [](F& f, T&, S&) { f.technician->qualifications = {"fire_door"}; },
                      Verdict::kRejected,
                      kStrong,
                      {{"technician_authorised", kFail,
                        "technician TEC-007 is not qualified for fire_shutter"}}},
        DeviationCase{"TechnicianWithoutQualifications",
                      [](F& f, T&, S&) { f.technician->qualifications.clear(); },
                      Verdict::kRejected,
                      kStrong,
                      {{"technician_authorised", kFail, "not qualified for fire_shutter"}}},
        DeviationCase{"UnregisteredHandheld",
                      [](F& f, T&, S&) { f.device_company.reset(); },
                      Verdict::kRejected,
                      kStrong,
                      {{"device_registered", kFail, "handheld HH-0042 is not registered"}}},
        DeviationCase{"HandheldOfAnotherCompany",
                      [](F& f, T&, S&) { f.device_company = "OtherCo"; },
                      Verdict::kRejected,
                      kStrong,
                      {{"device_registered", kFail,
                        "handheld HH-0042 belongs to OtherCo, technician to ShutterCo"}}}),
    [](const ::testing::TestParamInfo<DeviationCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    DwellAndChecklist, InspectionDeviationTest,
    ::testing::Values(
        DeviationCase{"DwellOneMsShort",
                      [](F& f, T&, S&) { f.end.read_at = f.start.read_at + kMinDwell - 1; },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"dwell", kReview, "stayed 299 s; minimum 300 s"}}},
        DeviationCase{"DwellExactlyMinimum",
                      [](F& f, T&, S&) { f.end.read_at = f.start.read_at + kMinDwell; },
                      Verdict::kVerified,
                      kStrong,
                      {{"dwell", kPass, "stayed 300 s; minimum 300 s"}}},
        DeviationCase{"DeskInspectionEndTapBeforeStart",
                      [](F& f, T&, S&) { f.end.read_at = f.start.read_at - kSecond; },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"dwell", kReview, "minimum 300 s"},
                       {"functional_test", kReview, "no close cycle"}}},
        DeviationCase{"MissingChecklistItem",
                      [](F& f, T&, S&) { f.checklist.erase("no_damage"); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"checklist_complete", kReview, "unanswered: no_damage"}}},
        DeviationCase{"TwoMissingChecklistItemsInPolicyOrder",
                      [](F& f, T&, S&) {
                        f.checklist.erase("labels_legible");
                        f.checklist.erase("closing_device");
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"checklist_complete", kReview,
                        "unanswered: labels_legible, closing_device"}}},
        DeviationCase{"NotApplicableAnswerCountsAsAnswered",
                      [](F& f, T&, S&) {
                        f.checklist["closing_device"] = ChecklistAnswer::kNotApplicable;
                      },
                      Verdict::kVerified,
                      kStrong,
                      {{"checklist_complete", kPass, "3 items answered"}}},
        DeviationCase{"ResultFailWithoutFailAnswer",
                      [](F& f, T&, S&) { f.result = InspectionResult::kFail; },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"checklist_complete", kReview,
                        "the overall result does not match the checklist answers"}}},
        DeviationCase{"FailAnswerWithResultPass",
                      [](F& f, T&, S&) { f.checklist["no_damage"] = ChecklistAnswer::kFail; },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"checklist_complete", kReview, "does not match the checklist answers"}}},
        DeviationCase{"DefectsPresent",
                      [](F& f, T&, S&) {
                        f.defects = {{"SEAL_WORN", Severity::kMinor, "bottom seal frayed"}};
                      },
                      Verdict::kVerifiedWithDefects,
                      kStrong,
                      {}},
        DeviationCase{"ResultFailWithFailAnswer",
                      [](F& f, T&, S&) {
                        f.checklist["no_damage"] = ChecklistAnswer::kFail;
                        f.result = InspectionResult::kFail;
                      },
                      Verdict::kVerifiedWithDefects,
                      kStrong,
                      {{"checklist_complete", kPass, "3 items answered"}}}),
    [](const ::testing::TestParamInfo<DeviationCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    FunctionalTest, InspectionDeviationTest,
    ::testing::Values(
        DeviationCase{"SensorAssetWithoutTelemetry",
                      [](F& f, T&, S&) { f.telemetry.clear(); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview,
                        "no close cycle in the asset's telemetry during the session"}}},
        DeviationCase{"TelemetryBeforeTheSession",
                      [](F& f, T&, S&) { f.telemetry = CloseCycle(kT0 - kHour, 9000); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "no close cycle"}}},
        DeviationCase{"TelemetryAfterTheSession",
                      [](F& f, T&, S&) { f.telemetry = CloseCycle(kEnd + kMinute, 9000); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "no close cycle"}}},
        DeviationCase{"ClosingTooSlow",
                      [](F& f, T&, S&) { f.telemetry = CloseCycle(kT0 + kMinute, 25000); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "closing time 25000 ms outside 5000..20000"}}},
        DeviationCase{"ClosingTooFast",
                      [](F& f, T&, S&) { f.telemetry = CloseCycle(kT0 + kMinute, 3000); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "closing time 3000 ms outside 5000..20000"}}},
        DeviationCase{"ClosingOneMsUnderMinimum",
                      [](F& f, T&, S&) { f.telemetry = CloseCycle(kT0 + kMinute, 4999); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "4999 ms outside"}}},
        DeviationCase{"ClosingExactlyMinimum",
                      [](F& f, T&, S&) { f.telemetry = CloseCycle(kT0 + kMinute, 5000); },
                      Verdict::kVerified,
                      kStrong,
                      {{"functional_test", kPass, "closed in 5000 ms"}}},
        DeviationCase{"ClosingExactlyMaximum",
                      [](F& f, T&, S&) { f.telemetry = CloseCycle(kT0 + kMinute, 20000); },
                      Verdict::kVerified,
                      kStrong,
                      {{"functional_test", kPass, "closed in 20000 ms"}}},
        DeviationCase{"ClosingOneMsOverMaximum",
                      [](F& f, T&, S&) { f.telemetry = CloseCycle(kT0 + kMinute, 20001); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "20001 ms outside"}}},
        DeviationCase{"CloseCycleExactlyAtSessionEdges",
                      [](F& f, T&, S&) {
                        f.telemetry = {{kT0, StateReading{ShutterState::kClosing}},
                                       {kEnd, ClosingDurationReading{9000}}};
                      },
                      Verdict::kVerified,
                      kStrong,
                      {{"functional_test", kPass, "closed in 9000 ms at 2026-11-23T10:12:00.000Z"}}},
        DeviationCase{"ClosingDurationWithoutClosingState",
                      [](F& f, T&, S&) {
                        f.telemetry = {{kT0 + kMinute, StateReading{ShutterState::kOpen}},
                                       {kT0 + 2 * kMinute, ClosingDurationReading{9000}},
                                       {kT0 + 2 * kMinute, StateReading{ShutterState::kClosed}}};
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "no close cycle"}}},
        DeviationCase{"ClosingStateOneMsBeforeTheSession",
                      [](F& f, T&, S&) {
                        f.telemetry = {{kT0 - 1, StateReading{ShutterState::kClosing}},
                                       {kT0 + 8999, ClosingDurationReading{9000}}};
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "no close cycle"}}},
        DeviationCase{"ClosingDurationOneMsAfterTheSession",
                      [](F& f, T&, S&) {
                        f.telemetry = {{kEnd - 8999, StateReading{ShutterState::kClosing}},
                                       {kEnd + 1, ClosingDurationReading{9000}}};
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"functional_test", kReview, "no close cycle"}}},
        DeviationCase{"NonSensorAsset",
                      [](F& f, T&, S&) {
                        f.asset.sensor_equipped = false;
                        f.telemetry.clear();
                      },
                      Verdict::kVerified,
                      kStrong,
                      {{"functional_test", kNa, "asset has no sensor"}}},
        DeviationCase{"NonSensorAssetIgnoresStrayTelemetry",
                      [](F& f, T&, S&) {
                        f.asset.sensor_equipped = false;
                        f.telemetry = CloseCycle(kT0 + kMinute, 60000);
                      },
                      Verdict::kVerified,
                      kStrong,
                      {{"functional_test", kNa, "asset has no sensor"}}}),
    [](const ::testing::TestParamInfo<DeviationCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Travel, InspectionDeviationTest,
    ::testing::Values(
        // A desk inspection: two shutters 400 m apart "inspected" 10 s apart.
        DeviationCase{"TravelTooFastDeskInspection",
                      [](F& f, T&, S&) { PreviousAt(f, 400, 10 * kSecond); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview,
                        "from FRA-T1-F2-FS-0112 in 10 s; at least 200 s needed"}}},
        DeviationCase{"TravelPlausible400m",
                      [](F& f, T&, S&) { PreviousAt(f, 400, 4 * kMinute); },
                      Verdict::kVerified,
                      kStrong,
                      {{"travel", kPass, "in 240 s; at least 200 s needed"}}},
        DeviationCase{"TravelExactlyTheMinimum",
                      [](F& f, T&, S&) { PreviousAt(f, 400, 200 * kSecond); },
                      Verdict::kVerified,
                      kStrong,
                      {{"travel", kPass, "at least 200 s needed"}}},
        DeviationCase{"TravelOneMsShort",
                      [](F& f, T&, S&) { PreviousAt(f, 400, 200 * kSecond - 1); },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview, "in 199 s; at least 200 s needed"}}},
        DeviationCase{"NoPreviousVisit",
                      [](F& f, T&, S&) { f.previous.reset(); },
                      Verdict::kVerified,
                      kStrong,
                      {{"travel", kNa, "no other inspection of the technician nearby"}}},
        // 40 m (20 s on foot, quicker than fetching a vehicle) plus 60 s out of one
        // building and into another: 70 s is too fast, 80 s is enough.
        DeviationCase{"AnotherBuildingAddsTimeTooFast",
                      [](F& f, T&, S&) {
                        PreviousAt(f, 40, 70 * kSecond);
                        f.previous->asset.building = "T2";
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview, "in 70 s; at least 80 s needed"}}},
        DeviationCase{"AnotherBuildingAddsTimePlausible",
                      [](F& f, T&, S&) {
                        PreviousAt(f, 40, 80 * kSecond);
                        f.previous->asset.building = "T2";
                      },
                      Verdict::kVerified,
                      kStrong,
                      {{"travel", kPass, "at least 80 s needed"}}},
        // 2 km across the apron: 1,000 s on foot, but 60 s + 160 s by vehicle + 60 s.
        DeviationCase{"AnHonestDriveAcrossTheApron",
                      [](F& f, T&, S&) {
                        PreviousAt(f, 2000, 300 * kSecond);
                        f.previous->asset.building = "T2";
                      },
                      Verdict::kVerified,
                      kStrong,
                      {{"travel", kPass, "in 300 s; at least 280 s needed"}}},
        DeviationCase{"FasterThanAVehicleAcrossTheApron",
                      [](F& f, T&, S&) {
                        PreviousAt(f, 2000, 200 * kSecond);
                        f.previous->asset.building = "T2";
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview, "in 200 s; at least 280 s needed"}}},
        DeviationCase{"AMeasuredLegReplacesTheEstimate",
                      [](F& f, T&, S& s) {
                        s.travel.legs = {{"T2", "T1", 400 * kSecond}};
                        PreviousAt(f, 2000, 300 * kSecond);
                        f.previous->asset.building = "T2";
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview, "in 300 s; at least 400 s needed"}}},
        // Work recorded later on another handheld but done earlier: the next leg counts too.
        DeviationCase{"TooFastOnToTheNextInspection",
                      [](F& f, T&, S&) {
                        f.previous.reset();
                        f.next = OtherVisit{9, NeighbourAsset(), "HH-0077", f.end.read_at + 10 * kSecond,
                                            f.end.read_at + 10 * kMinute};
                        f.next->asset.x_m = f.asset.x_m + 400;
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview, "on to FRA-T1-F2-FS-0112 in 10 s; at least 200 s needed"}}},
        DeviationCase{"OneTechnicianInTwoPlaces",
                      [](F& f, T&, S&) {
                        f.overlapping = OtherVisit{12, NeighbourAsset(), "HH-0077",
                                                   f.start.read_at + kMinute, f.end.read_at + kMinute};
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"technician_overlap", kReview, "was also inspecting FRA-T1-F2-FS-0112 on HH-0077"}}},
        DeviationCase{"ReadAfterItWasSent",
                      [](F& f, T&, S&) {
                        f.end.timing = {Timing::kImpossible, "read 2 h after it was sent"};
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"end_tap_timing", kFail, "read 2 h after it was sent"}}},
        DeviationCase{"Backdated",
                      [](F& f, T&, S&) {
                        f.start.timing = {Timing::kSuspect, "arrived 21 d after it was read"};
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"start_tap_timing", kReview, "arrived 21 d after it was read"},
                       {"end_tap_timing", kPass, ""}}},
        DeviationCase{"SameBuilding100sIsPlenty",
                      [](F& f, T&, S&) { PreviousAt(f, 40, 100 * kSecond); },
                      Verdict::kVerified,
                      kStrong,
                      {{"travel", kPass, "in 100 s; at least 20 s needed"}}},
        // 40 m (20 s) plus two floors down at 15 s each.
        DeviationCase{"FloorsAddTimeTooFast",
                      [](F& f, T&, S&) {
                        PreviousAt(f, 40, 40 * kSecond);
                        f.previous->asset.floor = 0;
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview, "in 40 s; at least 50 s needed"}}},
        DeviationCase{"FloorsAddTimePlausible",
                      [](F& f, T&, S&) {
                        PreviousAt(f, 40, 50 * kSecond);
                        f.previous->asset.floor = 4;
                      },
                      Verdict::kVerified,
                      kStrong,
                      {{"travel", kPass, "at least 50 s needed"}}},
        DeviationCase{"SlowerWalkerPolicy",
                      [](F& f, T&, S& s) {
                        s.travel.walking_speed_mps = 1.0;
                        PreviousAt(f, 400, 300 * kSecond);
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview, "in 300 s; at least 400 s needed"}}}),
    [](const ::testing::TestParamInfo<DeviationCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    MultipleProblems, InspectionDeviationTest,
    ::testing::Values(
        DeviationCase{"FailBeatsReview",
                      [](F& f, T&, S&) {
                        f.end.authentic = false;
                        f.end.tag_detail = "SUN MAC does not verify";
                        f.end.read_at = f.start.read_at + kMinute;
                        f.telemetry.clear();
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"end_tag_authentic", kFail, "SUN MAC does not verify"},
                       {"dwell", kReview, "stayed 60 s"},
                       {"functional_test", kReview, "no close cycle"}}},
        DeviationCase{"FailBeatsDefects",
                      [](F& f, T&, S&) {
                        f.device_company = "OtherCo";
                        f.defects = {{"SEAL_WORN", Severity::kMajor, ""}};
                      },
                      Verdict::kRejected,
                      kStrong,
                      {{"device_registered", kFail, "belongs to OtherCo"}}},
        DeviationCase{"ReviewBeatsDefects",
                      [](F& f, T&, S&) {
                        PreviousAt(f, 400, 10 * kSecond);
                        f.defects = {{"SEAL_WORN", Severity::kMajor, ""}};
                      },
                      Verdict::kNeedsReview,
                      kStrong,
                      {{"travel", kReview, "at least 200 s needed"}}},
        DeviationCase{"EveryHardRuleBroken",
                      [](F& f, T&, S&) {
                        MakeLegacy(f.start);
                        f.end.freshness = {Freshness::kReplay, "read counter 43 was already used"};
                        f.end_tag_uid = "04FFEEDDCCBBAA";
                        f.technician.reset();
                        f.device_company.reset();
                      },
                      Verdict::kRejected,
                      kWeak,
                      {{"start_tag_authentic", kFail, "accepts only SUN tags"},
                       {"end_tag_fresh", kFail, "replayed"},
                       {"same_tag", kFail, "end 04FFEEDDCCBBAA"},
                       {"technician_authorised", kFail, "not registered at site FRA"},
                       {"device_registered", kFail, "not registered"}}}),
    [](const ::testing::TestParamInfo<DeviationCase>& info) { return info.param.name; });

// The registry record carries the sites a technician is assigned to; the header promises
// "unassigned technician" is rejected and the pass detail says "assigned to <site>".
TEST(InspectionTest, TechnicianNotAssignedToThisSiteIsRejected) {
  InspectionFacts facts = HonestInspection();
  facts.technician->sites = {"MUC"};
  const Assessment a = AssessInspection(facts, ShutterPolicy(), SitePolicy{});
  const Check* check = Find(a, "technician_authorised");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(ToString(check->status), ToString(CheckStatus::kFail)) << check->detail;
  EXPECT_EQ(ToString(a.verdict), ToString(Verdict::kRejected));
}

// Sensor messages can arrive in any order; the close cycle is judged in time order.
TEST(InspectionTest, FunctionalTestReadsTelemetryInTimeOrder) {
  InspectionFacts facts = HonestInspection();
  std::reverse(facts.telemetry.begin(), facts.telemetry.end());
  const Assessment a = AssessInspection(facts, ShutterPolicy(), SitePolicy{});
  const Check* check = Find(a, "functional_test");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(ToString(check->status), ToString(CheckStatus::kPass)) << check->detail;
  EXPECT_EQ(ToString(a.verdict), ToString(Verdict::kVerified));
}

TEST(InspectionTest, EndTapWithoutAnOverallResultNeedsReview) {
  InspectionFacts facts = HonestInspection();
  facts.result.reset();
  const Assessment a = AssessInspection(facts, ShutterPolicy(), SitePolicy{});
  const Check* check = Find(a, "checklist_complete");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(ToString(check->status), ToString(CheckStatus::kReview));
  EXPECT_NE(check->detail.find("no overall result"), std::string::npos) << check->detail;
  EXPECT_EQ(ToString(a.verdict), ToString(Verdict::kNeedsReview));
}

TEST(InspectionTest, ChecksAreStableAcrossOutcomes) {
  InspectionFacts worst = HonestInspection();
  worst.start.authentic = false;
  worst.technician.reset();
  worst.device_company.reset();
  worst.previous.reset();
  worst.asset.sensor_equipped = false;
  worst.checklist.clear();
  for (const InspectionFacts& f : {HonestInspection(), worst}) {
    const Assessment a = AssessInspection(f, ShutterPolicy(), SitePolicy{});
    EXPECT_EQ(a.checks.size(), 15u);
    EXPECT_EQ(NamesOf(a), kCheckNames);
  }
}

TEST(InspectionTest, EnumsHaveStableNames) {
  struct VerdictName {
    Verdict v;
    std::string_view name;
  };
  for (const auto& [v, name] : std::vector<VerdictName>{
           {Verdict::kVerified, "verified"},
           {Verdict::kVerifiedWithDefects, "verified_with_defects"},
           {Verdict::kNeedsReview, "needs_review"},
           {Verdict::kRejected, "rejected"}}) {
    EXPECT_EQ(ToString(v), name);
  }
  struct StatusName {
    CheckStatus s;
    std::string_view name;
  };
  for (const auto& [s, name] : std::vector<StatusName>{{CheckStatus::kPass, "pass"},
                                                        {CheckStatus::kReview, "review"},
                                                        {CheckStatus::kFail, "fail"},
                                                        {CheckStatus::kNotApplicable, "n/a"}}) {
    EXPECT_EQ(ToString(s), name);
  }
  EXPECT_EQ(ToString(EvidenceStrength::kStrong), "strong");
  EXPECT_EQ(ToString(EvidenceStrength::kWeak), "weak");
}

struct TravelCase {
  std::string name;
  double dx_m;
  double dy_m;
  int from_floor;
  int to_floor;
  std::string from_building;
  std::string to_building;
  TravelPolicy policy;
  UnixMillis expected;
};

void PrintTo(const TravelCase& c, std::ostream* os) { *os << c.name; }

class MinimumTravelTimeTest : public ::testing::TestWithParam<TravelCase> {};

TEST_P(MinimumTravelTimeTest, DistanceFloorsAndBuildings) {
  const TravelCase& c = GetParam();
  Asset from = ShutterAsset();
  from.floor = c.from_floor;
  from.building = c.from_building;
  Asset to = from;
  to.x_m += c.dx_m;
  to.y_m += c.dy_m;
  to.floor = c.to_floor;
  to.building = c.to_building;
  EXPECT_EQ(MinimumTravelTime(from, to, c.policy), c.expected);
  EXPECT_EQ(MinimumTravelTime(to, from, c.policy), c.expected) << "must be symmetric";
}

TravelPolicy Policy(double speed, UnixMillis per_floor, UnixMillis building_change) {
  TravelPolicy p;
  p.walking_speed_mps = speed;
  p.per_floor = per_floor;
  p.building_change = building_change;
  return p;
}

TravelPolicy WithLeg(std::string from, std::string to, UnixMillis least) {
  TravelPolicy p;
  p.legs = {{std::move(from), std::move(to), least}};
  return p;
}

INSTANTIATE_TEST_SUITE_P(
    Policies, MinimumTravelTimeTest,
    ::testing::Values(
        TravelCase{"SameSpot", 0, 0, 2, 2, "T1", "T1", TravelPolicy{}, 0},
        TravelCase{"FourHundredMetres", 400, 0, 2, 2, "T1", "T1", TravelPolicy{}, 200'000},
        TravelCase{"Hypotenuse", 30, -40, 2, 2, "T1", "T1", TravelPolicy{}, 25'000},
        TravelCase{"TwoFloorsUp", 0, 0, 0, 2, "T1", "T1", TravelPolicy{}, 30'000},
        TravelCase{"BasementToFloorThree", 0, 0, -1, 3, "T1", "T1", TravelPolicy{}, 60'000},
        TravelCase{"OtherBuilding", 0, 0, 2, 2, "T1", "T2", TravelPolicy{}, 60'000},
        TravelCase{"Everything", 30, 40, 0, 2, "T1", "T2", TravelPolicy{}, 60'000 + 25'000 + 30'000},
        // Inside a building nobody drives: 2 km is 1,000 s on foot.
        TravelCase{"TwoKilometresIndoors", 2000, 0, 0, 0, "T1", "T1", TravelPolicy{}, 1'000'000},
        // Between buildings 2 km is a drive: 60 s to the vehicle, 160 s at 12.5 m/s, 60 s
        // out of one building and into the other.
        TravelCase{"TwoKilometresByVehicle", 2000, 0, 0, 0, "T1", "T2", TravelPolicy{}, 280'000},
        TravelCase{"AMeasuredLeg", 2000, 0, 0, 1, "T1", "T2", WithLeg("T1", "T2", 400'000), 415'000},
        TravelCase{"ALegOfOtherBuildings", 2000, 0, 0, 0, "T1", "T2", WithLeg("T1", "T3", 1'000), 280'000},
        TravelCase{"SlowWalker", 10, 0, 1, 1, "T1", "T1", Policy(0.5, 0, 0), 20'000},
        TravelCase{"CustomFloorAndBuilding", 0, 0, 1, 4, "A", "B", Policy(2.0, 20'000, 300'000),
                   360'000}),
    [](const ::testing::TestParamInfo<TravelCase>& info) { return info.param.name; });

TEST(InspectionTest, PhotosThatNeverArrivedAskForReview) {
  InspectionFacts f = HonestInspection();
  f.photos.clear();
  auto photos_check = [](const Assessment& a) {
    return *std::find_if(a.checks.begin(), a.checks.end(),
                         [](const Check& c) { return c.name == "photos"; });
  };
  Assessment a = AssessInspection(f, ShutterPolicy(), SitePolicy{});
  EXPECT_EQ(photos_check(a).status, CheckStatus::kNotApplicable);
  f.photos = {std::string(64, 'a'), std::string(64, 'b')};
  a = AssessInspection(f, ShutterPolicy(), SitePolicy{});
  EXPECT_EQ(photos_check(a).status, CheckStatus::kPass);
  EXPECT_EQ(photos_check(a).detail, "2 photos kept");
  EXPECT_EQ(a.verdict, Verdict::kVerified);
  f.photos_missing = {std::string(64, 'b')};
  a = AssessInspection(f, ShutterPolicy(), SitePolicy{});
  EXPECT_EQ(photos_check(a).status, CheckStatus::kReview);
  EXPECT_NE(photos_check(a).detail.find("1 of 2 photos never uploaded (bbbbbbbbbbbb"), std::string::npos)
      << photos_check(a).detail;
  EXPECT_EQ(a.verdict, Verdict::kNeedsReview);
}

}  // namespace
}  // namespace fieldproof::core
