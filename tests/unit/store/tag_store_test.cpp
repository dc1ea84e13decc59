// TagStore with RegistryStore on a real SQLite file: the registry's tags enter the history,
// an installation retires the tag before it, a retired tag never comes back (neither by
// installation facts nor by an import), and a supplier's list is kept once per UID.
#include "gateway/store/tag_store.hpp"

#include <gtest/gtest.h>

#include "gateway/store/migrations.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::kNow;
using testing::MakeAsset;

class TagStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Migrate(db);
    std::vector<codec::RegistryFile<core::Asset>::Row> rows = {{2, MakeAsset("A-1", "04000000000001")},
                                                               {3, MakeAsset("A-2", "04000000000002")}};
    ASSERT_TRUE(registry.ImportAssets(rows, kNow).errors.empty());
  }
  testing::TempDir dir;
  Database db{dir.File("tags.db")};
  RegistryStore registry{db};
  TagStore tags{db};
};

TEST_F(TagStoreTest, AnInstallationRetiresTheTagBeforeItForGood) {
  ASSERT_EQ(tags.History("FRA", "A-1").size(), 1u);
  EXPECT_EQ(tags.History("FRA", "A-1")[0].installed_by, "registry import");

  const core::TagInstall facts = tags.InstallFacts("FRA", "A-1", "04AA0000000001");
  EXPECT_EQ(facts.current_uid, "04000000000001");
  EXPECT_FALSE(facts.on_other_asset);
  EXPECT_FALSE(facts.retired);
  EXPECT_EQ(tags.InstallFacts("FRA", "A-1", "04000000000002").on_other_asset, "A-2");

  tags.Install("FRA", {"A-1", "04AA0000000001", kNow + 10, "T-7", "SUN read, counter 3", std::nullopt, "", ""},
               "damaged");
  EXPECT_EQ(registry.FindAsset("FRA", "A-1")->tag_uid, "04AA0000000001");
  const auto history = tags.History("FRA", "A-1");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].retired_at, kNow + 10);
  EXPECT_EQ(history[0].retired_by, "T-7");
  EXPECT_EQ(history[0].retired_reason, "damaged; replaced by 04AA0000000001");
  EXPECT_FALSE(history[1].retired_at);
  EXPECT_EQ(history[1].proof, "SUN read, counter 3");

  const auto retired = tags.Retired("FRA", "04000000000001");
  ASSERT_TRUE(retired);
  EXPECT_EQ(retired->asset_id, "A-1");
  EXPECT_TRUE(tags.InstallFacts("FRA", "A-2", "04000000000001").retired);
  std::vector<codec::RegistryFile<core::Asset>::Row> back = {{7, MakeAsset("A-1", "04000000000001")}};
  const auto report = registry.ImportAssets(back, kNow + 20);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].line, 7u);
  EXPECT_NE(report.errors[0].reason.find("was retired from asset A-1"), std::string::npos);
}

// The registry may correct itself: a tag it took off is in the history, but not retired.
TEST_F(TagStoreTest, ARegistryImportThatChangesATagEndsTheOldOneWithoutRetiringIt) {
  std::vector<codec::RegistryFile<core::Asset>::Row> rows = {{2, MakeAsset("A-2", "04000000000009")}};
  ASSERT_TRUE(registry.ImportAssets(rows, kNow + 5).errors.empty());
  const auto history = tags.History("FRA", "A-2");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].retired_reason, "changed in the asset registry to 04000000000009");
  EXPECT_EQ(history[1].tag_uid, "04000000000009");
  EXPECT_FALSE(tags.Retired("FRA", "04000000000002"));
  rows = {{2, MakeAsset("A-2", "04000000000002")}};
  EXPECT_TRUE(registry.ImportAssets(rows, kNow + 6).errors.empty()) << "the correction is undone";
  EXPECT_EQ(tags.History("FRA", "A-2").size(), 3u);
}

TEST_F(TagStoreTest, ASuppliedUidIsKeptOnceInItsFirstBatch) {
  EXPECT_FALSE(tags.InstallFacts("FRA", "A-1", "04AA0000000001").supplier_lists);
  std::vector<codec::RegistryFile<std::string>::Row> rows = {{2, "04AA0000000001"}, {3, "04AA0000000002"}};
  auto report = tags.ImportSupplied(rows, "PO-1", "stores", kNow);
  EXPECT_EQ(report.inserted, 2);
  report = tags.ImportSupplied(rows, "PO-2", "stores", kNow);
  EXPECT_EQ(report.unchanged, 2);
  const auto facts = tags.InstallFacts("FRA", "A-1", "04AA0000000002");
  EXPECT_TRUE(facts.supplier_lists);
  EXPECT_TRUE(facts.supplied);
  EXPECT_FALSE(tags.InstallFacts("FRA", "A-1", "04AA0000000003").supplied);
}

}  // namespace
}  // namespace fieldproof::store
