// RegistryStore imports on a real SQLite file: upsert counts, tag conflicts, sites.
#include "gateway/store/registry_store.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/store/migrations.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::kNow;
using testing::MakeAsset;
using AssetRows = std::vector<codec::RegistryFile<core::Asset>::Row>;
using TechnicianRows = std::vector<codec::RegistryFile<core::Technician>::Row>;

struct Counts {
  std::int64_t inserted, updated, unchanged;
  std::size_t errors;
};

void ExpectReport(const ImportReport& report, const Counts& expected) {
  EXPECT_EQ(report.inserted, expected.inserted) << "inserted";
  EXPECT_EQ(report.updated, expected.updated) << "updated";
  EXPECT_EQ(report.unchanged, expected.unchanged) << "unchanged";
  EXPECT_EQ(report.errors.size(), expected.errors) << "errors";
}

AssetRows Rows(const std::vector<core::Asset>& assets) {
  AssetRows rows;
  std::size_t line = 2;
  for (const auto& a : assets) rows.push_back({line++, a});
  return rows;
}

TechnicianRows Rows(const std::vector<core::Technician>& technicians) {
  TechnicianRows rows;
  std::size_t line = 2;
  for (const auto& t : technicians) rows.push_back({line++, t});
  return rows;
}

core::Technician Tech(const std::string& id, std::vector<std::string> sites,
                      std::vector<std::string> qualifications = {"fire_shutter"},
                      const std::string& name = "Jana") {
  return {id, name, "ACME", std::move(qualifications), std::move(sites)};
}

class RegistryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(dir_.File("registry.db"));
    Migrate(*db_);
    registry_ = std::make_unique<RegistryStore>(*db_);
  }

  std::int64_t UpdatedAt(const std::string& site, const std::string& asset_id) {
    Statement s = db_->Prepare("SELECT updated_at FROM assets WHERE site = ? AND asset_id = ?");
    s.Bind(1, site).Bind(2, asset_id);
    const std::int64_t v = s.Step() ? s.Int(0) : -1;
    s.Reset();
    return v;
  }

  std::vector<std::string> TechnicianSites(const std::string& id) {
    std::vector<std::string> sites;
    Statement s = db_->Prepare("SELECT site FROM technicians WHERE technician_id = ? ORDER BY site");
    s.Bind(1, id);
    while (s.Step()) sites.push_back(s.Text(0));
    return sites;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RegistryStore> registry_;
};

void ExpectSameAsset(const core::Asset& a, const core::Asset& b) {
  EXPECT_EQ(a.asset_id, b.asset_id);
  EXPECT_EQ(a.site, b.site);
  EXPECT_EQ(a.building, b.building);
  EXPECT_EQ(a.floor, b.floor);
  EXPECT_EQ(a.location, b.location);
  EXPECT_EQ(a.x_m, b.x_m);
  EXPECT_EQ(a.y_m, b.y_m);
  EXPECT_EQ(a.asset_type, b.asset_type);
  EXPECT_EQ(a.tag_uid, b.tag_uid);
  EXPECT_EQ(a.interval_days, b.interval_days);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.sensor_equipped, b.sensor_equipped);
}

TEST_F(RegistryStoreTest, ImportInsertsAndReadsBack) {
  std::vector<core::Asset> assets = {MakeAsset("A-2", "04000000000002"),
                                     MakeAsset("A-1", "04000000000001"),
                                     MakeAsset("A-1", "04000000000001", "MUC")};
  assets[0].sensor_equipped = false;
  assets[0].floor = -3;
  assets[0].location = "Keller, \"Nord\"";
  ExpectReport(registry_->ImportAssets(Rows(assets), kNow), {3, 0, 0, 0});
  EXPECT_EQ(registry_->AssetCount(), 3);

  const std::vector<core::Asset> fra = registry_->Assets("FRA");
  ASSERT_EQ(fra.size(), 2u);
  ExpectSameAsset(fra[0], assets[1]);  // Ordered by asset_id.
  ExpectSameAsset(fra[1], assets[0]);
  ASSERT_EQ(registry_->Assets("MUC").size(), 1u);
  EXPECT_TRUE(registry_->Assets("HAM").empty());
  EXPECT_EQ(UpdatedAt("FRA", "A-1"), kNow);
}

TEST_F(RegistryStoreTest, ReimportOfTheSameRowsChangesNothing) {
  const std::vector<core::Asset> assets = {MakeAsset("A-1", "04000000000001"),
                                           MakeAsset("A-2", "04000000000002"),
                                           MakeAsset("A-3", "04000000000003")};
  ExpectReport(registry_->ImportAssets(Rows(assets), kNow), {3, 0, 0, 0});
  ExpectReport(registry_->ImportAssets(Rows(assets), kNow + 1000), {0, 0, 3, 0});
  EXPECT_EQ(UpdatedAt("FRA", "A-2"), kNow);  // Unchanged rows keep their timestamp.
  EXPECT_EQ(registry_->AssetCount(), 3);
}

TEST_F(RegistryStoreTest, EachChangedFieldIsAnUpdate) {
  const core::Asset base = MakeAsset("A-1", "04000000000001");
  ExpectReport(registry_->ImportAssets(Rows({base}), kNow), {1, 0, 0, 0});
  const std::vector<std::pair<std::string, std::function<void(core::Asset&)>>> changes = {
      {"building", [](core::Asset& a) { a.building = "T2"; }},
      {"floor", [](core::Asset& a) { a.floor = 3; }},
      {"location", [](core::Asset& a) { a.location = "elsewhere"; }},
      {"x_m", [](core::Asset& a) { a.x_m += 0.001; }},
      {"y_m", [](core::Asset& a) { a.y_m -= 0.001; }},
      {"asset_type", [](core::Asset& a) { a.asset_type = "door"; }},
      {"tag_uid", [](core::Asset& a) { a.tag_uid = "04000000000099"; }},
      {"interval_days", [](core::Asset& a) { a.interval_days = 30; }},
      {"owner_id", [](core::Asset& a) { a.owner_id = "OTHER"; }},
      {"sensor_equipped", [](core::Asset& a) { a.sensor_equipped = false; }},
  };
  core::UnixMillis now = kNow;
  for (const auto& [field, change] : changes) {
    core::Asset changed = base;
    change(changed);
    now += 1000;
    // Alternate between the base and the changed record: both directions are updates.
    ExpectReport(registry_->ImportAssets(Rows({changed}), now), {0, 1, 0, 0});
    EXPECT_EQ(UpdatedAt("FRA", "A-1"), now) << field;
    ASSERT_EQ(registry_->Assets("FRA").size(), 1u);
    ExpectSameAsset(registry_->Assets("FRA")[0], changed);
    now += 1000;
    ExpectReport(registry_->ImportAssets(Rows({base}), now), {0, 1, 0, 0});
  }
}

TEST_F(RegistryStoreTest, MixedImportCounts) {
  ExpectReport(registry_->ImportAssets(Rows({MakeAsset("A-1", "04000000000001"),
                                             MakeAsset("A-2", "04000000000002")}),
                                       kNow),
               {2, 0, 0, 0});
  core::Asset changed = MakeAsset("A-2", "04000000000002");
  changed.interval_days = 90;
  ExpectReport(registry_->ImportAssets(Rows({MakeAsset("A-1", "04000000000001"), changed,
                                             MakeAsset("A-3", "04000000000003")}),
                                       kNow + 1),
               {1, 1, 1, 0});
  EXPECT_EQ(UpdatedAt("FRA", "A-1"), kNow);
  EXPECT_EQ(UpdatedAt("FRA", "A-2"), kNow + 1);
  EXPECT_EQ(UpdatedAt("FRA", "A-3"), kNow + 1);
}

TEST_F(RegistryStoreTest, TagUidUsedByAnotherAssetIsARowError) {
  ExpectReport(registry_->ImportAssets(Rows({MakeAsset("A-1", "04000000000001")}), kNow),
               {1, 0, 0, 0});
  const AssetRows rows = {{7, MakeAsset("A-2", "04000000000001")},   // Taken by A-1.
                          {8, MakeAsset("A-3", "04000000000003")},   // Fine.
                          {9, MakeAsset("A-4", "04000000000001", "MUC")}};  // Other site: fine.
  const ImportReport report = registry_->ImportAssets(rows, kNow + 1);
  ExpectReport(report, {2, 0, 0, 1});
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].line, 7u);
  EXPECT_NE(report.errors[0].reason.find("04000000000001"), std::string::npos)
      << report.errors[0].reason;
  EXPECT_NE(report.errors[0].reason.find("A-1"), std::string::npos) << report.errors[0].reason;
  EXPECT_EQ(registry_->AssetCount(), 3);
  ASSERT_EQ(registry_->Assets("FRA").size(), 2u);
  EXPECT_EQ(registry_->Assets("FRA")[1].asset_id, "A-3");
}

TEST_F(RegistryStoreTest, TagMovedToAnotherAssetInOneFileWhenFreedFirst) {
  ExpectReport(registry_->ImportAssets(Rows({MakeAsset("A-1", "04000000000001")}), kNow),
               {1, 0, 0, 0});
  // A-1 gets a new tag, then its old tag goes onto the new asset A-2.
  ExpectReport(registry_->ImportAssets(Rows({MakeAsset("A-1", "04000000000009"),
                                             MakeAsset("A-2", "04000000000001")}),
                                       kNow + 1),
               {1, 1, 0, 0});
  const auto fra = registry_->Assets("FRA");
  ASSERT_EQ(fra.size(), 2u);
  EXPECT_EQ(fra[0].tag_uid, "04000000000009");
  EXPECT_EQ(fra[1].tag_uid, "04000000000001");
}

TEST_F(RegistryStoreTest, DataSurvivesReopen) {
  registry_->ImportAssets(Rows({MakeAsset("A-1", "04000000000001")}), kNow);
  registry_.reset();
  db_.reset();
  db_ = std::make_unique<Database>(dir_.File("registry.db"));
  Migrate(*db_);
  registry_ = std::make_unique<RegistryStore>(*db_);
  EXPECT_EQ(registry_->AssetCount(), 1);
  ExpectReport(registry_->ImportAssets(Rows({MakeAsset("A-1", "04000000000001")}), kNow + 5),
               {0, 0, 1, 0});
}

// ---- Technicians -----------------------------------------------------------------

TEST_F(RegistryStoreTest, TechnicianWithTwoSitesGetsTwoRows) {
  ExpectReport(registry_->ImportTechnicians(
                   Rows({Tech("T-1", {"FRA", "MUC"}, {"fire_shutter", "door"})}), kNow),
               {1, 0, 0, 0});
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM technicians"), 2);
  EXPECT_EQ(registry_->TechnicianCount(), 1);
  EXPECT_EQ(TechnicianSites("T-1"), (std::vector<std::string>{"FRA", "MUC"}));
  Statement s = db_->Prepare(
      "SELECT name, company, qualifications, updated_at FROM technicians WHERE site = 'MUC'");
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text(0), "Jana");
  EXPECT_EQ(s.Text(1), "ACME");
  EXPECT_EQ(s.Text(2), "fire_shutter;door");
  EXPECT_EQ(s.Int(3), kNow);
  s.Reset();
}

TEST_F(RegistryStoreTest, TechnicianReimportIsUnchanged) {
  const std::vector<core::Technician> techs = {Tech("T-1", {"FRA", "MUC"}),
                                               Tech("T-2", {"FRA"}, {})};
  ExpectReport(registry_->ImportTechnicians(Rows(techs), kNow), {2, 0, 0, 0});
  ExpectReport(registry_->ImportTechnicians(Rows(techs), kNow + 1), {0, 0, 2, 0});
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM technicians"), 3);
  EXPECT_EQ(db_->QueryInt("SELECT max(updated_at) FROM technicians"), kNow);
}

TEST_F(RegistryStoreTest, TechnicianChangesAreUpdates) {
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"FRA", "MUC"})}), kNow),
               {1, 0, 0, 0});
  // Name changed: both site rows follow.
  ExpectReport(registry_->ImportTechnicians(
                   Rows({Tech("T-1", {"FRA", "MUC"}, {"fire_shutter"}, "Jana N.")}), kNow + 1),
               {0, 1, 0, 0});
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM technicians WHERE name = 'Jana N.'"), 2);
  // Qualification added.
  ExpectReport(registry_->ImportTechnicians(
                   Rows({Tech("T-1", {"FRA", "MUC"}, {"fire_shutter", "door"}, "Jana N.")}),
                   kNow + 2),
               {0, 1, 0, 0});
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM technicians WHERE qualifications = "
                          "'fire_shutter;door' AND updated_at = " +
                          std::to_string(kNow + 2)),
            2);
}

TEST_F(RegistryStoreTest, RemovingASiteDeletesThatRow) {
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"FRA", "MUC", "HAM"}),
                                                  Tech("T-2", {"MUC"})}),
                                            kNow),
               {2, 0, 0, 0});
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"FRA", "HAM"}),
                                                  Tech("T-2", {"MUC"})}),
                                            kNow + 1),
               {0, 1, 1, 0});
  EXPECT_EQ(TechnicianSites("T-1"), (std::vector<std::string>{"FRA", "HAM"}));
  EXPECT_EQ(TechnicianSites("T-2"), (std::vector<std::string>{"MUC"}));  // Other technician kept.
  // The remaining rows did not change.
  EXPECT_EQ(db_->QueryInt("SELECT max(updated_at) FROM technicians"), kNow);
}

TEST_F(RegistryStoreTest, AddingASiteIsAnUpdate) {
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"FRA"})}), kNow), {1, 0, 0, 0});
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"FRA", "MUC"})}), kNow + 1),
               {0, 1, 0, 0});
  EXPECT_EQ(TechnicianSites("T-1"), (std::vector<std::string>{"FRA", "MUC"}));
}

TEST_F(RegistryStoreTest, SiteCodesThatArePrefixesAreNotConfused) {
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"FRA", "FRA2"})}), kNow),
               {1, 0, 0, 0});
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"FRA2"})}), kNow + 1),
               {0, 1, 0, 0});
  EXPECT_EQ(TechnicianSites("T-1"), (std::vector<std::string>{"FRA2"}));
}

// A technician who already exists and moves to a completely new set of sites is an
// update of that technician, not a new one.
TEST_F(RegistryStoreTest, MovingToEntirelyNewSitesIsAnUpdate) {
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"FRA"})}), kNow), {1, 0, 0, 0});
  ExpectReport(registry_->ImportTechnicians(Rows({Tech("T-1", {"MUC"})}), kNow + 1),
               {0, 1, 0, 0});
  EXPECT_EQ(TechnicianSites("T-1"), (std::vector<std::string>{"MUC"}));
  EXPECT_EQ(registry_->TechnicianCount(), 1);
}

}  // namespace
}  // namespace fieldproof::store

namespace fieldproof::store {
namespace {

using DeviceRows = std::vector<codec::RegistryFile<core::Device>::Row>;

class DeviceRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(dir_.File("devices.db"));
    Migrate(*db_);
    registry_ = std::make_unique<RegistryStore>(*db_);
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RegistryStore> registry_;
};

TEST_F(DeviceRegistryTest, ImportIsAnUpsertKeyedBySiteAndDevice) {
  const DeviceRows first = {{2, {"HH-1", "FRA", "ACME"}}, {3, {"HH-1", "MUC", "ACME"}}};
  auto report = registry_->ImportDevices(first, testing::kNow);
  EXPECT_EQ(report.inserted, 2);
  report = registry_->ImportDevices(first, testing::kNow);
  EXPECT_EQ(report.unchanged, 2);
  EXPECT_EQ(report.inserted + report.updated, 0);
  const DeviceRows moved = {{2, {"HH-1", "FRA", "OTHER-CO"}}};
  report = registry_->ImportDevices(moved, testing::kNow);
  EXPECT_EQ(report.updated, 1);
  EXPECT_EQ(registry_->DeviceCount(), 2);
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM devices WHERE company = 'OTHER-CO'"), 1);
}

TEST(DeviceCsvTest, ParsesRowsAndReportsBadOnesByLine) {
  const auto file = codec::ParseDevicesCsv(
      "company,device_id,site\nACME,HH-1,FRA\nACME,HH 2,FRA\nACME,HH-1,FRA\n");
  ASSERT_TRUE(file.fatal.empty());
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(file.rows[0].record.company, "ACME");
  ASSERT_EQ(file.errors.size(), 2u);
  EXPECT_EQ(file.errors[0].line, 3u);
  EXPECT_NE(file.errors[0].reason.find("device_id"), std::string::npos);
  EXPECT_EQ(file.errors[1].line, 4u);
  EXPECT_NE(file.errors[1].reason.find("repeats line 2"), std::string::npos);
  // The writer's output reads back the same.
  const core::Device device{"HH-7", "FRA", "ACME"};
  const auto again = codec::ParseDevicesCsv(codec::DevicesCsvHeader() + codec::DeviceCsvRow(device));
  ASSERT_EQ(again.rows.size(), 1u);
  EXPECT_EQ(again.rows[0].record.device_id, "HH-7");
}

}  // namespace
}  // namespace fieldproof::store
