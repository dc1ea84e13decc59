// PlanStore on a real SQLite file: a floor's plan is kept and replaced, an owner lists only
// the floors it has assets on, the floor map's facts come from records and work orders, and
// positions are refused for unknown assets or outside the plan.
#include "gateway/store/plan_store.hpp"

#include <gtest/gtest.h>

#include "gateway/store/migrations.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::kNow;
using testing::MakeAsset;

core::FloorPlan Plan(double width_m = 100) {
  core::FloorPlan plan;
  plan.site = "FRA";
  plan.building = "T1";
  plan.floor = 2;
  plan.image = {core::PlanFormat::kSvg, 200, 100};
  plan.origin_x_m = -10;
  plan.origin_y_m = -10;
  plan.width_m = width_m;
  plan.imported_at = kNow;
  plan.imported_by = "test";
  return plan;
}

class PlanStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Migrate(db);
    core::Asset other = MakeAsset("B-1", "04000000000003");
    other.owner_id = "TENANT";
    std::vector<codec::RegistryFile<core::Asset>::Row> rows = {
        {2, MakeAsset("A-1", "04000000000001")}, {3, MakeAsset("A-2", "04000000000002")}, {4, other}};
    ASSERT_TRUE(RegistryStore(db).ImportAssets(rows, kNow).errors.empty());
  }
  testing::TempDir dir;
  Database db{dir.File("plans.db")};
  PlanStore plans{db};
  const FloorKey floor{"FRA", "T1", 2};
};

TEST_F(PlanStoreTest, AFloorKeepsOnePlanTheLatest) {
  plans.Save(Plan(100), "<svg first/>");
  plans.Save(Plan(120), "<svg second/>");
  const auto found = plans.Find(floor);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->width_m, 120);
  EXPECT_EQ(found->image.width_px, 200);
  EXPECT_EQ(*plans.Image(floor), "<svg second/>");
  EXPECT_FALSE(plans.Find({"FRA", "T1", 3}));
  EXPECT_EQ(plans.List("FRA", "").size(), 1u);
}

TEST_F(PlanStoreTest, AnOwnerListsOnlyFloorsWithItsAssets) {
  plans.Save(Plan(), "<svg/>");
  core::FloorPlan empty_floor = Plan();
  empty_floor.floor = 7;
  plans.Save(empty_floor, "<svg/>");
  const auto all = plans.List("FRA", "");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].assets, 3);
  const auto owned = plans.List("FRA", "FRAPORT");
  ASSERT_EQ(owned.size(), 1u);
  EXPECT_EQ(owned[0].assets, 2);
  EXPECT_TRUE(plans.OwnerHasAssetsOn(floor, "TENANT"));
  EXPECT_FALSE(plans.OwnerHasAssetsOn({"FRA", "T1", 7}, "TENANT"));
  EXPECT_TRUE(plans.List("FRA", "NOBODY").empty());
}

TEST_F(PlanStoreTest, MarkersCarryTheScheduleAndOpenWorkOrders) {
  db.Exec("INSERT INTO maintenance_records (site, seq, kind, inspection_id, asset_id, technician_id, started_at, "
          "ended_at, verdict, checklist, defects, evidence, reviewer, reason, recorded_at, prev_hash, hash) "
          "VALUES ('FRA', 1, 'inspection', 1, 'A-1', 'T-1', 0, " + std::to_string(kNow - 10 * core::kDay) +
          ", 'verified', '{}', '[]', '{}', '', '', 0, '', 'h1')");
  db.Exec("INSERT INTO work_orders (site, asset_id, inspection_id, defect_code, severity, note, created_at) "
          "VALUES ('FRA', 'A-2', 1, 'D-1', 'major', '', 0)");
  const auto markers = plans.Markers(floor, "FRAPORT", kNow, 30);
  ASSERT_EQ(markers.size(), 2u);
  EXPECT_EQ(markers[0].asset_id, "A-1");
  EXPECT_EQ(markers[0].schedule.state, core::ComplianceState::kCompliant);
  EXPECT_EQ(markers[0].x_m, 10.5);
  EXPECT_EQ(markers[1].schedule.state, core::ComplianceState::kNeverInspected);
  EXPECT_EQ(markers[1].open_work_orders, 1);
  // Before the record, A-1 was never inspected.
  EXPECT_EQ(plans.Markers(floor, "", kNow - 20 * core::kDay, 30)[0].schedule.state,
            core::ComplianceState::kNeverInspected);
}

TEST_F(PlanStoreTest, PositionsAreRefusedForUnknownAssetsAndOutsideThePlan) {
  plans.Save(Plan(100), "<svg/>");  // x from -10 to 90, y from -10 to 40.
  const std::vector<codec::RegistryFile<core::AssetPosition>::Row> rows = {
      {2, {"A-1", 20, 30}}, {3, {"A-2", 10.5, -3.25}}, {4, {"NOPE", 1, 1}}, {5, {"B-1", 95, 0}}};
  const ImportReport report = plans.SetPositions("FRA", rows, kNow);
  EXPECT_EQ(report.updated, 1);
  EXPECT_EQ(report.unchanged, 1);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].line, 4u);
  EXPECT_NE(report.errors[0].reason.find("no asset NOPE"), std::string::npos);
  EXPECT_EQ(report.errors[1].line, 5u);
  EXPECT_NE(report.errors[1].reason.find("outside the plan of T1 floor 2"), std::string::npos) << report.errors[1].reason;
  const auto a1 = RegistryStore(db).FindAsset("FRA", "A-1");
  EXPECT_EQ(a1->x_m, 20);
  EXPECT_EQ(a1->y_m, 30);
  EXPECT_EQ(RegistryStore(db).FindAsset("FRA", "B-1")->x_m, 10.5);
}

}  // namespace
}  // namespace fieldproof::store
