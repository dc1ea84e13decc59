// Enum wire names, registry record rules, rejection reason codes.
#include "gateway/core/messages.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gateway/core/rejection.hpp"

namespace fieldproof::core {
namespace {

// ---- Enum names ------------------------------------------------------------------

template <class E>
struct NameCase {
  E value;
  std::string_view name;
};

template <class E>
void CheckRoundTrip(const std::vector<NameCase<E>>& cases,
                    std::optional<E> (*parse)(std::string_view)) {
  std::set<std::string_view> names;
  for (const auto& c : cases) {
    EXPECT_EQ(ToString(c.value), c.name);
    EXPECT_EQ(parse(c.name), std::optional<E>(c.value)) << c.name;
    names.insert(c.name);
  }
  EXPECT_EQ(names.size(), cases.size()) << "names must be distinct";
  for (std::string_view bad : {"", "?", "PASS", "Start", "pass ", " open", "unknown"}) {
    if (names.contains(bad)) continue;
    EXPECT_EQ(parse(bad), std::nullopt) << '"' << bad << '"';
  }
}

TEST(EnumNamesTest, TapKind) {
  CheckRoundTrip<TapKind>({{TapKind::kStart, "start"}, {TapKind::kEnd, "end"}}, ParseTapKind);
}

TEST(EnumNamesTest, ChecklistAnswer) {
  CheckRoundTrip<ChecklistAnswer>({{ChecklistAnswer::kPass, "pass"},
                                   {ChecklistAnswer::kFail, "fail"},
                                   {ChecklistAnswer::kNotApplicable, "na"}},
                                  ParseChecklistAnswer);
  EXPECT_EQ(ParseChecklistAnswer("n/a"), std::nullopt);
  EXPECT_EQ(ParseChecklistAnswer("NA"), std::nullopt);
}

TEST(EnumNamesTest, InspectionResult) {
  CheckRoundTrip<InspectionResult>(
      {{InspectionResult::kPass, "pass"}, {InspectionResult::kFail, "fail"}},
      ParseInspectionResult);
  EXPECT_EQ(ParseInspectionResult("na"), std::nullopt);  // Only checklist items can be na.
}

TEST(EnumNamesTest, Severity) {
  CheckRoundTrip<Severity>({{Severity::kMinor, "minor"},
                            {Severity::kMajor, "major"},
                            {Severity::kCritical, "critical"}},
                           ParseSeverity);
  EXPECT_EQ(ParseSeverity("high"), std::nullopt);
}

TEST(EnumNamesTest, ShutterState) {
  CheckRoundTrip<ShutterState>({{ShutterState::kOpen, "open"},
                                {ShutterState::kClosing, "closing"},
                                {ShutterState::kClosed, "closed"},
                                {ShutterState::kOpening, "opening"}},
                               ParseShutterState);
  EXPECT_EQ(ParseShutterState("half_open"), std::nullopt);
}

// ---- Reason codes ----------------------------------------------------------------

TEST(ReasonCodeTest, AllElevenReasonsRoundTrip) {
  const std::vector<NameCase<RejectReason>> cases = {
      {RejectReason::kPayloadTooLarge, "payload_too_large"},
      {RejectReason::kMalformedJson, "malformed_json"},
      {RejectReason::kNotAnObject, "not_an_object"},
      {RejectReason::kMissingField, "missing_field"},
      {RejectReason::kUnknownField, "unknown_field"},
      {RejectReason::kWrongType, "wrong_type"},
      {RejectReason::kInvalidValue, "invalid_value"},
      {RejectReason::kUnknownTopic, "unknown_topic"},
      {RejectReason::kTopicMismatch, "topic_mismatch"},
      {RejectReason::kUnknownAsset, "unknown_asset"},
      {RejectReason::kConflictingDuplicate, "conflicting_duplicate"},
  };
  ASSERT_EQ(cases.size(), 11u);
  std::set<std::string_view> codes;
  for (const auto& c : cases) {
    EXPECT_EQ(ReasonCode(c.value), c.name);
    EXPECT_EQ(ParseReasonCode(c.name), std::optional<RejectReason>(c.value)) << c.name;
    codes.insert(ReasonCode(c.value));
  }
  EXPECT_EQ(codes.size(), 11u);
}

TEST(ReasonCodeTest, RejectsUnknownCodes) {
  for (std::string_view bad : {"", "unknown", "Malformed_json", "MALFORMED_JSON", "malformed-json",
                               "malformed_json ", "payload_too_large\n", "kMalformedJson"}) {
    EXPECT_EQ(ParseReasonCode(bad), std::nullopt) << '"' << bad << '"';
  }
}

TEST(ResultTest, HoldsValueOrRejection) {
  const Result<int> ok = 42;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), 42);
  const Result<int> bad = Rejection{RejectReason::kInvalidValue, "why"};
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, RejectReason::kInvalidValue);
  EXPECT_EQ(bad.error().detail, "why");
}

// ---- ValidateAsset -----------------------------------------------------------------

Asset GoodAsset() {
  Asset a;
  a.asset_id = "FRA-T1-F2-FS-0113";
  a.site = "FRA";
  a.building = "T1";
  a.floor = 2;
  a.location = "Gate B12, east wall";
  a.x_m = 1234.5;
  a.y_m = -87.25;
  a.asset_type = "fire_shutter";
  a.tag_uid = "04A1B2C3D4E5F6";
  a.interval_days = 182;
  a.owner_id = "FRAPORT";
  a.sensor_equipped = true;
  return a;
}

struct AssetCase {
  std::string name;
  std::function<void(Asset&)> change;
  bool valid;
  std::string field;  // Expected prefix of the detail when invalid.
};

void PrintTo(const AssetCase& c, std::ostream* os) { *os << c.name; }

class ValidateAssetTest : public ::testing::TestWithParam<AssetCase> {};

TEST_P(ValidateAssetTest, AppliesRule) {
  const AssetCase& c = GetParam();
  Asset a = GoodAsset();
  c.change(a);
  const std::optional<Rejection> problem = ValidateAsset(a);
  if (c.valid) {
    EXPECT_FALSE(problem.has_value()) << problem->detail;
    return;
  }
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->reason, RejectReason::kInvalidValue);
  EXPECT_EQ(problem->detail.rfind(c.field, 0), 0u) << problem->detail;
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

INSTANTIATE_TEST_SUITE_P(
    Rules, ValidateAssetTest,
    ::testing::Values(
        AssetCase{"good", [](Asset&) {}, true, ""},
        AssetCase{"asset_id_empty", [](Asset& a) { a.asset_id = ""; }, false, "asset_id"},
        AssetCase{"asset_id_leading_dot", [](Asset& a) { a.asset_id = ".a"; }, false, "asset_id"},
        AssetCase{"asset_id_65", [](Asset& a) { a.asset_id = std::string(65, 'a'); }, false,
                  "asset_id"},
        AssetCase{"asset_id_64", [](Asset& a) { a.asset_id = std::string(64, 'a'); }, true, ""},
        AssetCase{"site_dot", [](Asset& a) { a.site = "FR.A"; }, false, "site"},
        AssetCase{"site_empty", [](Asset& a) { a.site = ""; }, false, "site"},
        AssetCase{"building_empty", [](Asset& a) { a.building = ""; }, false, "building"},
        AssetCase{"building_space", [](Asset& a) { a.building = "T 1"; }, false, "building"},
        AssetCase{"floor_min", [](Asset& a) { a.floor = -20; }, true, ""},
        AssetCase{"floor_max", [](Asset& a) { a.floor = 200; }, true, ""},
        AssetCase{"floor_below", [](Asset& a) { a.floor = -21; }, false, "floor"},
        AssetCase{"floor_above", [](Asset& a) { a.floor = 201; }, false, "floor"},
        AssetCase{"location_empty", [](Asset& a) { a.location = ""; }, true, ""},
        AssetCase{"location_200_bytes", [](Asset& a) { a.location = std::string(200, 'x'); },
                  true, ""},
        AssetCase{"location_201_bytes", [](Asset& a) { a.location = std::string(201, 'x'); },
                  false, "location"},
        AssetCase{"location_200_umlauts",  // 400 bytes, 200 characters.
                  [](Asset& a) {
                    a.location.clear();
                    for (int i = 0; i < 200; ++i) a.location += "\xC3\xA4";
                  },
                  true, ""},
        AssetCase{"location_201_umlauts",
                  [](Asset& a) {
                    a.location.clear();
                    for (int i = 0; i < 201; ++i) a.location += "\xC3\xA4";
                  },
                  false, "location"},
        AssetCase{"x_max", [](Asset& a) { a.x_m = 100000; }, true, ""},
        AssetCase{"x_min", [](Asset& a) { a.x_m = -100000; }, true, ""},
        AssetCase{"x_over", [](Asset& a) { a.x_m = 100000.001; }, false, "x_m"},
        AssetCase{"y_under", [](Asset& a) { a.y_m = -100000.001; }, false, "x_m/y_m"},
        AssetCase{"x_nan", [](Asset& a) { a.x_m = kNaN; }, false, "x_m"},
        AssetCase{"y_inf", [](Asset& a) { a.y_m = -kInf; }, false, "x_m/y_m"},
        AssetCase{"asset_type_upper", [](Asset& a) { a.asset_type = "Fire_shutter"; }, false,
                  "asset_type"},
        AssetCase{"asset_type_digit_first", [](Asset& a) { a.asset_type = "1fs"; }, false,
                  "asset_type"},
        AssetCase{"asset_type_empty", [](Asset& a) { a.asset_type = ""; }, false, "asset_type"},
        AssetCase{"tag_uid_lower", [](Asset& a) { a.tag_uid = "04a1b2c3d4e5f6"; }, true, ""},
        AssetCase{"tag_uid_13", [](Asset& a) { a.tag_uid = "04A1B2C3D4E5F"; }, false, "tag_uid"},
        AssetCase{"tag_uid_not_hex", [](Asset& a) { a.tag_uid = "04A1B2C3D4E5G6"; }, false,
                  "tag_uid"},
        AssetCase{"interval_min", [](Asset& a) { a.interval_days = 1; }, true, ""},
        AssetCase{"interval_max", [](Asset& a) { a.interval_days = 3660; }, true, ""},
        AssetCase{"interval_zero", [](Asset& a) { a.interval_days = 0; }, false, "interval_days"},
        AssetCase{"interval_3661", [](Asset& a) { a.interval_days = 3661; }, false,
                  "interval_days"},
        AssetCase{"interval_negative", [](Asset& a) { a.interval_days = -7; }, false,
                  "interval_days"},
        AssetCase{"owner_empty", [](Asset& a) { a.owner_id = ""; }, false, "owner_id"},
        AssetCase{"owner_leading_dash", [](Asset& a) { a.owner_id = "-X"; }, false, "owner_id"}),
    [](const ::testing::TestParamInfo<AssetCase>& info) { return info.param.name; });

// ---- ValidateTechnician ------------------------------------------------------------

Technician GoodTechnician() {
  return {"T-0007", "Jana Nováková", "ACME-Service", {"fire_shutter", "smoke_damper"}, {"FRA"}};
}

std::vector<std::string> Numbered(const std::string& prefix, int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back(prefix + std::to_string(i));
  return v;
}

struct TechnicianCase {
  std::string name;
  std::function<void(Technician&)> change;
  bool valid;
  std::string field;
};

void PrintTo(const TechnicianCase& c, std::ostream* os) { *os << c.name; }

class ValidateTechnicianTest : public ::testing::TestWithParam<TechnicianCase> {};

TEST_P(ValidateTechnicianTest, AppliesRule) {
  const TechnicianCase& c = GetParam();
  Technician t = GoodTechnician();
  c.change(t);
  const std::optional<Rejection> problem = ValidateTechnician(t);
  if (c.valid) {
    EXPECT_FALSE(problem.has_value()) << problem->detail;
    return;
  }
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->reason, RejectReason::kInvalidValue);
  EXPECT_EQ(problem->detail.rfind(c.field, 0), 0u) << problem->detail;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ValidateTechnicianTest,
    ::testing::Values(
        TechnicianCase{"good", [](Technician&) {}, true, ""},
        TechnicianCase{"id_empty", [](Technician& t) { t.technician_id = ""; }, false,
                       "technician_id"},
        TechnicianCase{"id_space", [](Technician& t) { t.technician_id = "T 7"; }, false,
                       "technician_id"},
        TechnicianCase{"name_empty", [](Technician& t) { t.name = ""; }, false, "name"},
        TechnicianCase{"name_1", [](Technician& t) { t.name = "J"; }, true, ""},
        TechnicianCase{"name_100", [](Technician& t) { t.name = std::string(100, 'n'); }, true,
                       ""},
        TechnicianCase{"name_101", [](Technician& t) { t.name = std::string(101, 'n'); }, false,
                       "name"},
        TechnicianCase{"name_100_multibyte",
                       [](Technician& t) {
                         t.name.clear();
                         for (int i = 0; i < 100; ++i) t.name += "\xC5\xA1";  // š
                       },
                       true, ""},
        TechnicianCase{"company_leading_dot", [](Technician& t) { t.company = ".acme"; }, false,
                       "company"},
        TechnicianCase{"company_empty", [](Technician& t) { t.company = ""; }, false, "company"},
        TechnicianCase{"no_qualifications", [](Technician& t) { t.qualifications.clear(); }, true,
                       ""},
        TechnicianCase{"32_qualifications",
                       [](Technician& t) { t.qualifications = Numbered("q", 32); }, true, ""},
        TechnicianCase{"33_qualifications",
                       [](Technician& t) { t.qualifications = Numbered("q", 33); }, false,
                       "qualifications"},
        TechnicianCase{"qualification_upper",
                       [](Technician& t) { t.qualifications = {"Fire_shutter"}; }, false,
                       "qualifications"},
        TechnicianCase{"qualification_duplicate",
                       [](Technician& t) {
                         t.qualifications = {"fire_shutter", "door", "fire_shutter"};
                       },
                       false, "qualifications"},
        TechnicianCase{"no_sites", [](Technician& t) { t.sites.clear(); }, false, "sites"},
        TechnicianCase{"64_sites", [](Technician& t) { t.sites = Numbered("S", 64); }, true, ""},
        TechnicianCase{"65_sites", [](Technician& t) { t.sites = Numbered("S", 65); }, false,
                       "sites"},
        TechnicianCase{"site_with_dot", [](Technician& t) { t.sites = {"FRA", "MU.C"}; }, false,
                       "sites"},
        TechnicianCase{"site_empty", [](Technician& t) { t.sites = {""}; }, false, "sites"},
        TechnicianCase{"site_duplicate", [](Technician& t) { t.sites = {"FRA", "MUC", "FRA"}; },
                       false, "sites"}),
    [](const ::testing::TestParamInfo<TechnicianCase>& info) { return info.param.name; });

}  // namespace
}  // namespace fieldproof::core
