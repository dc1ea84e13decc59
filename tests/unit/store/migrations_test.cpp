// Schema migrations on real SQLite files.
#include "gateway/store/migrations.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gateway/store/sqlite_db.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::TempDir;

std::string SchemaSql(Database& db) {
  std::string sql;
  Statement s = db.Prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM "
                           "sqlite_master ORDER BY type, name");
  while (s.Step()) sql += s.Text(0) + "\n";
  return sql;
}

std::int64_t TableCount(Database& db, const std::string& name) {
  Statement s = db.Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  s.Bind(1, name);
  const std::int64_t n = s.Step() ? s.Int(0) : -1;
  s.Reset();
  return n;
}

TEST(MigrationsTest, LatestVersionIsPositive) { EXPECT_GE(LatestSchemaVersion(), 1); }

TEST(MigrationsTest, NewFileGetsLatestVersionAndAllTables) {
  TempDir dir;
  Database db(dir.File("new.db"));
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), 0);
  Migrate(db);
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  for (const char* table : {"assets", "technicians", "taps", "telemetry", "rejected_messages"}) {
    EXPECT_EQ(TableCount(db, table), 1) << table;
  }
}

TEST(MigrationsTest, ConnectionSettings) {
  TempDir dir;
  Database db(dir.File("settings.db"));
  Statement mode = db.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.Step());
  EXPECT_EQ(mode.Text(0), "wal");
  mode.Reset();
  EXPECT_EQ(db.QueryInt("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(db.QueryInt("PRAGMA busy_timeout"), 5000);
  EXPECT_EQ(db.path(), dir.File("settings.db"));
}

TEST(MigrationsTest, SecondMigrateIsANoOp) {
  TempDir dir;
  Database db(dir.File("twice.db"));
  Migrate(db);
  db.Exec(
      "INSERT INTO technicians (site, technician_id, name, company, qualifications, updated_at) "
      "VALUES ('FRA', 'T-1', 'A', 'ACME', '', 1)");
  const std::string schema = SchemaSql(db);
  ASSERT_NO_THROW(Migrate(db));
  ASSERT_NO_THROW(Migrate(db));
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  EXPECT_EQ(SchemaSql(db), schema);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM technicians"), 1);
}

TEST(MigrationsTest, NewerFileIsRefusedWithAClearMessage) {
  TempDir dir;
  const std::string path = dir.File("newer.db");
  const int newer = LatestSchemaVersion() + 1;
  {
    Database db(path);
    db.Exec("PRAGMA user_version = " + std::to_string(newer));
  }
  Database db(path);
  try {
    Migrate(db);
    FAIL() << "Migrate accepted a file with schema version " << newer;
  } catch (const StoreError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("schema version " + std::to_string(newer)), std::string::npos)
        << message;
    EXPECT_NE(message.find("knows up to " + std::to_string(LatestSchemaVersion())),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("Upgrade"), std::string::npos) << message;
    EXPECT_FALSE(error.transient());
  }
  // Nothing was touched: same version, no tables created, and the connection is usable.
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), newer);
  EXPECT_EQ(TableCount(db, "taps"), 0);
  EXPECT_NO_THROW(db.Exec("BEGIN IMMEDIATE; COMMIT;"));  // No transaction left open.
}

TEST(MigrationsTest, MigratedMidwayFileIsRefusedOnlyWhenNewer) {
  // A file at exactly the latest version opens; at latest + 5 it does not.
  TempDir dir;
  {
    Database db(dir.File("a.db"));
    Migrate(db);
  }
  {
    Database db(dir.File("a.db"));
    EXPECT_NO_THROW(Migrate(db));
    db.Exec("PRAGMA user_version = " + std::to_string(LatestSchemaVersion() + 5));
  }
  Database db(dir.File("a.db"));
  EXPECT_THROW(Migrate(db), StoreError);
}

TEST(MigrationsTest, ReopenAfterCloseKeepsData) {
  TempDir dir;
  const std::string path = dir.File("reopen.db");
  {
    Database db(path);
    Migrate(db);
    db.Exec(
        "INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, payload) "
        "VALUES ('FRA', 'A-1', 'm-1', 10, 20, x'7B7D')");
  }
  Database db(path);
  Migrate(db);
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM telemetry"), 1);
  EXPECT_EQ(db.QueryInt("SELECT received_at FROM telemetry WHERE msg_id = 'm-1'"), 20);
}

// Migration 9 starts each sensor's clock from its newest 25 messages in arrival order, not
// in device time (a clock that jumped back sorts its newest messages first).
TEST(MigrationsTest, SensorClocksStartFromTheNewestTelemetry) {
  TempDir dir;
  Database db(dir.File("clocks.db"));
  MigrateTo(db, 8);
  Statement insert = db.Prepare(
      "INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, payload) "
      "VALUES ('FRA', ?, ?, ?, ?, x'7B7D')");
  for (int n = 0; n < 40; ++n) {
    const std::int64_t device_time = n < 15 ? 100'000 + n : 50'000 + n;  // Jumps back at 15.
    const std::int64_t delay = n < 15 ? 10 : 1000 + n;
    insert.Bind(1, std::string_view("A-1")).Bind(2, "m-" + std::to_string(n));
    insert.Bind(3, device_time).Bind(4, device_time + delay).Run();
  }
  for (int n = 0; n < 3; ++n) {
    insert.Bind(1, std::string_view("B-1")).Bind(2, "m-" + std::to_string(n));
    insert.Bind(3, std::int64_t{1000}).Bind(4, std::int64_t{1000 + 7 - n}).Run();
  }
  Migrate(db);
  Statement s = db.Prepare(
      "SELECT asset_id, delay_min, window_count, previous_delay_min IS NULL FROM sensor_clocks "
      "ORDER BY asset_id");
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text(0), "A-1");
  EXPECT_EQ(s.Int(1), 1015);
  EXPECT_EQ(s.Int(2), 25);
  EXPECT_EQ(s.Int(3), 1);
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text(0), "B-1");
  EXPECT_EQ(s.Int(1), 5);
  EXPECT_EQ(s.Int(2), 3);
  EXPECT_FALSE(s.Step());
}

TEST(MigrationsTest, AnUpgradeAcrossTheTelemetryRebuildSaysHowManyReadingsItCopies) {
  TempDir dir;
  Database db(dir.File("note.db"));
  MigrateTo(db, 9);
  db.Exec("INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, payload) "
          "VALUES ('FRA', 'A-1', 'm-1', 1, 2, x'7B7D'), ('FRA', 'A-1', 'm-2', 3, 4, x'7B7D')");
  const std::string note = SlowUpgradeNote(db, 9);
  EXPECT_NE(note.find("rebuilds the telemetry table (2 readings"), std::string::npos) << note;
  EXPECT_EQ(SlowUpgradeNote(db, 0), "");  // A new file has no readings to copy.
  Migrate(db);
  EXPECT_EQ(SlowUpgradeNote(db, LatestSchemaVersion()), "");
}

TEST(MigrationsTest, TwoConnectionsMigratingAtOnceApplyItOnce) {
  TempDir dir;
  const std::string path = dir.File("race.db");
  std::vector<std::unique_ptr<Database>> connections;
  for (int i = 0; i < 4; ++i) connections.push_back(std::make_unique<Database>(path));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (auto& db : connections) {
    threads.emplace_back([&failures, &db] {
      try {
        Migrate(*db);
      } catch (const StoreError&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(connections[0]->QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  EXPECT_EQ(TableCount(*connections[0], "taps"), 1);
}

TEST(MigrationsTest, UnopenablePathThrows) {
  TempDir dir;
  EXPECT_THROW(Database(dir.File("no/such/dir/x.db")), StoreError);
}

}  // namespace
}  // namespace fieldproof::store
