#include "gateway/core/coverage.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

UnixMillis At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

ScheduledAsset Asset(std::string id, std::string building, int floor,
                     std::vector<UnixMillis> verified, std::int64_t interval_days = 365,
                     std::string type = "fire_shutter") {
  return {std::move(id), std::move(building), floor, "grid A1", std::move(type),
          interval_days, std::move(verified)};
}

TEST(Compliance, StatesFollowTheLastVerifiedInspectionAndTheInterval) {
  const UnixMillis inspected = At("2025-12-01T10:00:00Z");
  const ScheduledAsset a = Asset("A-1", "T1", 0, {At("2025-06-01T10:00:00Z"), inspected}, 365);
  struct Case {
    const char* as_of;
    ComplianceState state;
    std::int64_t days_overdue;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"2025-05-31T23:59:59Z", ComplianceState::kNeverInspected, 0},  // Before any inspection.
           {"2025-06-01T10:00:00Z", ComplianceState::kCompliant, 0},       // The first one counts.
           {"2026-11-01T09:59:59Z", ComplianceState::kCompliant, 0},  // 30 days + 1 s before due.
           {"2026-11-01T10:00:00Z", ComplianceState::kDueSoon, 0},
           {"2026-12-01T09:59:59Z", ComplianceState::kDueSoon, 0},
           {"2026-12-01T10:00:00Z", ComplianceState::kOverdue, 0},  // Due: one interval later.
           {"2026-12-11T10:00:00Z", ComplianceState::kOverdue, 10}}) {
    const AssetCompliance got = ComplianceAt(a, At(c.as_of), 30);
    EXPECT_EQ(got.state, c.state) << c.as_of;
    EXPECT_EQ(got.days_overdue, c.days_overdue) << c.as_of;
  }
  const AssetCompliance now = ComplianceAt(a, At("2026-11-23T00:00:00Z"), 30);
  EXPECT_EQ(now.last_verified, inspected);
  EXPECT_EQ(now.due_at, inspected + 365 * kDay);
}

TEST(Compliance, EachAssetHasItsOwnInterval) {
  const std::vector<UnixMillis> once = {At("2026-01-10T00:00:00Z")};
  EXPECT_EQ(ComplianceAt(Asset("door", "T1", 0, once, 180), At("2026-08-01T00:00:00Z"), 30).state,
            ComplianceState::kOverdue);
  EXPECT_EQ(
      ComplianceAt(Asset("shutter", "T1", 0, once, 365), At("2026-08-01T00:00:00Z"), 30).state,
      ComplianceState::kCompliant);
}

TEST(CoverageReport, CountsPerSiteBuildingFloorAndTypeAndSortsTheOverdue) {
  CoverageInputs in;
  in.site = "FRA";
  in.as_of = At("2026-11-23T12:00:00Z");
  in.trend_months = 3;
  in.assets = {
      Asset("A-1", "T1", 0, {At("2026-06-01T00:00:00Z")}),
      Asset("A-2", "T1", 1, {At("2025-10-01T00:00:00Z")}),  // Due 2026-10-01: 53 days over.
      Asset("A-3", "T1", 1, {}),                            // Never.
      Asset("A-4", "T2", 0, {At("2025-11-01T00:00:00Z")}),  // Due 2026-11-01: 22 days over.
      Asset("A-5", "T2", 0, {At("2025-12-10T00:00:00Z")}, 365, "fire_door")};  // Due soon.
  in.recent = {{"T-1", "verified"},
               {"T-1", "rejected"},
               {"T-2", "needs_review"},
               {"T-2", "verified_with_defects"}};
  in.open_reviews = 4;
  const CoverageReport r = BuildCoverageReport(in);
  EXPECT_EQ(r.total, (CoverageCounts{5, 1, 1, 2, 1}));
  EXPECT_DOUBLE_EQ(r.total.PercentCovered(), 40.0);
  EXPECT_EQ(r.by_building.at("T1"), (CoverageCounts{3, 1, 0, 1, 1}));
  EXPECT_EQ(r.by_building.at("T2"), (CoverageCounts{2, 0, 1, 1, 0}));
  EXPECT_EQ(r.by_floor.at({"T1", 1}), (CoverageCounts{2, 0, 0, 1, 1}));
  EXPECT_EQ(r.by_type.at("fire_door"), (CoverageCounts{1, 0, 1, 0, 0}));
  ASSERT_EQ(r.overdue.size(), 3u);
  EXPECT_EQ(r.overdue[0].asset_id, "A-2");
  EXPECT_EQ(r.overdue[0].days_overdue, 53);
  EXPECT_EQ(r.overdue[1].asset_id, "A-4");
  EXPECT_EQ(r.overdue[2].asset_id, "A-3");
  EXPECT_FALSE(r.overdue[2].last_verified);
  EXPECT_EQ(r.activity, (ActivityCounts{1, 1, 1, 1}));
  EXPECT_EQ(r.by_technician.at("T-1"), (ActivityCounts{1, 0, 0, 1}));
  EXPECT_EQ(r.open_reviews, 4);
}

TEST(CoverageReport, TheTrendCountsEachMonthAtItsEnd) {
  CoverageInputs in;
  in.site = "FRA";
  in.as_of = At("2026-11-23T12:00:00Z");
  in.trend_months = 3;
  in.assets = {Asset("A-1", "T1", 0, {At("2026-09-15T00:00:00Z")}),
               Asset("A-2", "T1", 0, {At("2026-10-31T23:59:59Z")}),
               Asset("A-3", "T1", 0, {At("2026-11-20T00:00:00Z")})};
  const CoverageReport r = BuildCoverageReport(in);
  ASSERT_EQ(r.trend.size(), 3u);
  EXPECT_EQ(r.trend[0].month, "2026-09");
  EXPECT_EQ(r.trend[0].counts.compliant, 1);
  EXPECT_EQ(r.trend[1].month, "2026-10");
  EXPECT_EQ(r.trend[1].counts.compliant, 2);
  EXPECT_EQ(r.trend[2].month, "2026-11");
  EXPECT_EQ(r.trend[2].counts.compliant, 3);
}

}  // namespace
}  // namespace fieldproof::core
