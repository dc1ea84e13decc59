// The coverage facts from a real SQLite file: verified records (reviews included) per asset,
// the recent inspections with review decisions applied, open reviews.
#include "gateway/store/coverage_store.hpp"

#include <gtest/gtest.h>

#include "gateway/store/migrations.hpp"
#include "gateway/store/record_chain.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::TempDir;

core::UnixMillis At(const char* rfc3339) { return *core::ParseRfc3339(rfc3339); }

class CoverageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Migrate(db_);
    for (const char* id : {"A-1", "A-2", "A-3"}) Asset(id, "T1", 2);
  }

  void Asset(const char* id, const char* building, int floor, const char* owner = "OWN-FRA") {
    db_.Prepare(
           "INSERT INTO assets (site, asset_id, building, floor, location, x_m, y_m, asset_type, "
           "tag_uid, interval_days, owner_id, sensor_equipped, updated_at) "
           "VALUES ('FRA', ?, ?, ?, 'gate B', 0, 0, 'fire_shutter', ?, 365, ?, 0, 0)")
        .Bind(1, std::string(id))
        .Bind(2, std::string(building))
        .Bind(3, floor)
        .Bind(4, std::string("04") + id)
        .Bind(5, std::string(owner))
        .Run();
  }

  std::int64_t Inspection(const char* asset, const char* ended, const char* verdict, bool record) {
    db_.Prepare(
           "INSERT INTO inspections (site, asset_id, technician_id, device_id, start_tap_id, "
           "end_tap_id, "
           "started_at, ended_at, verdict, strength, assessed_at) VALUES ('FRA', ?, 'T-1', 'HH-1', "
           "0, ?, ?, ?, ?, "
           "'strong', 0)")
        .Bind(1, std::string(asset))
        .Bind(2, ++taps_)
        .Bind(3, At(ended) - 600'000)
        .Bind(4, At(ended))
        .Bind(5, std::string(verdict))
        .Run();
    const std::int64_t id = db_.QueryInt("SELECT max(id) FROM inspections");
    if (record) Record(asset, id, At(ended), verdict, "inspection");
    return id;
  }

  void Record(const char* asset, std::int64_t inspection, core::UnixMillis ended,
              const char* verdict, const char* kind) {
    core::MaintenanceRecord r;
    r.site = "FRA";
    r.kind = kind;
    r.inspection_id = inspection;
    r.asset_id = asset;
    r.technician_id = "T-1";
    r.started_at = ended - 600'000;
    r.ended_at = ended;
    r.verdict = verdict;
    chain_.Append(r);
  }

  TempDir dir_;
  Database db_{dir_.File("fieldproof.db")};
  RecordChain chain_{
      db_, [](std::string_view text) { return std::string(64, text.empty() ? '0' : 'a'); }};
  std::int64_t taps_ = 0;
};

TEST_F(CoverageStoreTest, VerifiedRecordsAndReviewsDateEachAssetsInspections) {
  Inspection("A-1", "2026-03-01T10:00:00Z", "verified", true);
  Inspection("A-1", "2026-11-01T10:00:00Z", "verified_with_defects", true);
  Inspection("A-1", "2026-11-30T10:00:00Z", "verified", true);  // After as_of: ignored.
  Inspection("A-2", "2026-11-10T10:00:00Z", "rejected", false);
  const std::int64_t doubtful = Inspection("A-3", "2026-11-12T10:00:00Z", "needs_review", false);
  db_.Prepare("INSERT INTO reviews VALUES (?, 'FRA', 'verified', 'witnessed', 'S. Lead', 0)")
      .Bind(1, doubtful)
      .Run();
  Record("A-3", doubtful, At("2026-11-12T10:00:00Z"), "verified", "review");
  Inspection("A-2", "2026-11-20T10:00:00Z", "needs_review", false);

  const auto in = LoadCoverageInputs(db_, {"FRA", At("2026-11-23T00:00:00Z"), 30, 12, 30, ""});
  ASSERT_EQ(in.assets.size(), 3u);
  EXPECT_EQ(in.assets[0].asset_id, "A-1");
  EXPECT_EQ(in.assets[0].floor, 2);
  EXPECT_EQ(in.assets[0].verified_at, (std::vector<core::UnixMillis>{At("2026-03-01T10:00:00Z"),
                                                                     At("2026-11-01T10:00:00Z")}));
  EXPECT_TRUE(in.assets[1].verified_at.empty());
  EXPECT_EQ(in.assets[2].verified_at, std::vector<core::UnixMillis>{At("2026-11-12T10:00:00Z")});
  // The window: the last 30 days before as_of, reviews applied.
  std::vector<std::string> verdicts;
  for (const auto& o : in.recent) verdicts.push_back(o.verdict);
  std::sort(verdicts.begin(), verdicts.end());
  EXPECT_EQ(verdicts, (std::vector<std::string>{"needs_review", "rejected", "verified",
                                                "verified_with_defects"}));
  EXPECT_EQ(in.open_reviews, 1);
  EXPECT_EQ(AssetSites(db_), std::vector<std::string>{"FRA"});
}

TEST_F(CoverageStoreTest, AssetsInBuildingAndFloorOrderEachWithItsOwnRecords) {
  // Key order (A-0, A-1, A-2, A-3, Z-9) is not the report's: building, then floor.
  Asset("A-0", "T0", 9);
  Asset("Z-9", "T1", -1);
  Inspection("A-0", "2026-10-01T10:00:00Z", "verified", true);
  Inspection("A-15", "2026-10-02T10:00:00Z", "verified", true);  // Not in the registry.
  Inspection("A-2", "2026-10-03T10:00:00Z", "verified", true);
  Inspection("Z-9", "2026-10-04T10:00:00Z", "verified", true);

  const auto in = LoadCoverageInputs(db_, {"FRA", At("2026-11-23T00:00:00Z"), 30, 12, 30, ""});
  std::vector<std::string> order;
  for (const auto& a : in.assets) order.push_back(a.asset_id);
  EXPECT_EQ(order, (std::vector<std::string>{"A-0", "Z-9", "A-1", "A-2", "A-3"}));
  EXPECT_EQ(in.assets[0].verified_at, std::vector<core::UnixMillis>{At("2026-10-01T10:00:00Z")});
  EXPECT_EQ(in.assets[1].verified_at, std::vector<core::UnixMillis>{At("2026-10-04T10:00:00Z")});
  EXPECT_TRUE(in.assets[2].verified_at.empty());
  EXPECT_EQ(in.assets[3].verified_at, std::vector<core::UnixMillis>{At("2026-10-03T10:00:00Z")});
  EXPECT_TRUE(in.assets[4].verified_at.empty());
}

// A tenant's shutters on the operator's airport: each owner's report counts its own assets,
// their inspections and their open reviews, never the other's.
TEST_F(CoverageStoreTest, AnOwnersReportCountsOnlyItsOwnAssetsOnASharedSite) {
  Asset("L-1", "T1", 1, "OWN-LUFT");
  Asset("L-2", "T1", 1, "OWN-LUFT");
  Inspection("L-1", "2026-11-10T10:00:00Z", "verified", true);
  Inspection("L-2", "2026-11-11T10:00:00Z", "needs_review", false);
  Inspection("A-1", "2026-11-12T10:00:00Z", "verified", true);

  const auto tenant =
      LoadCoverageInputs(db_, {"FRA", At("2026-11-23T00:00:00Z"), 30, 12, 30, "OWN-LUFT"});
  std::vector<std::string> assets;
  for (const auto& a : tenant.assets) assets.push_back(a.asset_id);
  EXPECT_EQ(assets, (std::vector<std::string>{"L-1", "L-2"}));
  EXPECT_EQ(tenant.recent.size(), 2u);
  EXPECT_EQ(tenant.open_reviews, 1);

  const auto operator_view =
      LoadCoverageInputs(db_, {"FRA", At("2026-11-23T00:00:00Z"), 30, 12, 30, "OWN-FRA"});
  EXPECT_EQ(operator_view.assets.size(), 3u);
  ASSERT_EQ(operator_view.recent.size(), 1u);
  EXPECT_EQ(operator_view.open_reviews, 0);
  EXPECT_EQ(LoadCoverageInputs(db_, {"FRA", At("2026-11-23T00:00:00Z"), 30, 12, 30, ""}).assets.size(),
            5u)
      << "no owner: every asset";
}

}  // namespace
}  // namespace fieldproof::store
