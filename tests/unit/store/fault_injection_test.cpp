// The faults the reliability tests inject: inert unless asked for; a full disk while the
// flag file exists, and nothing lost once it is gone.
#include "gateway/store/fault_injection.hpp"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "gateway/store/migrations.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

TEST(FaultInjectionTest, NoFaultAskedForIsThePlainStore) {
  testing::TempDir dir;
  Database db(dir.File("plain.db"));
  Migrate(db);
  const auto store = MakeEventStore(db, {});
  const std::vector<PendingEvent> batch = {testing::TapEvent(testing::MakeTap("m-1"))};
  store->WriteBatch(batch);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM taps"), 1);
}

TEST(FaultInjectionTest, WhileTheFlagFileExistsEveryBatchFailsAsOnAFullDisk) {
  testing::TempDir dir;
  Database db(dir.File("full.db"));
  Migrate(db);
  const std::string flag = dir.File("disk-full");
  const auto store = MakeEventStore(db, {}, {flag, std::chrono::milliseconds(0)});
  const std::vector<PendingEvent> batch = {testing::TapEvent(testing::MakeTap("m-1"))};
  store->WriteBatch(batch);  // No flag yet: stored.
  std::ofstream(flag) << "full\n";
  const std::vector<PendingEvent> next = {testing::TapEvent(testing::MakeTap("m-2"))};
  try {
    store->WriteBatch(next);
    FAIL() << "the injected full disk did not fail the batch";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), SQLITE_FULL);
    EXPECT_TRUE(e.transient()) << "intake must pause and retry, not give up";
    EXPECT_NE(std::string(e.what()).find("injected: " + flag), std::string::npos) << e.what();
  }
  std::filesystem::remove(flag);
  store->WriteBatch(next);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM taps"), 2);
}

}  // namespace
}  // namespace fieldproof::store
