// Backup and restore on real files, with a writer committing during the backup.
#include "gateway/store/backup.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "data_safety_test_util.hpp"
#include "gateway/store/integrity.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

namespace fs = std::filesystem;
using testing::Count;
using testing::DamagePage;
using testing::MakeDatabase;
using testing::TempDir;
using testing::WriteText;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The journal mode the file header records (bytes 18 and 19 are 2 in WAL mode), read
// without opening it: a connection would switch it, or leave a -wal behind.
std::string JournalModeOf(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  file.seekg(18);
  return file.get() == 2 ? "wal" : "delete";
}

std::int64_t RowsIn(const CopySummary& summary, const std::string& table) {
  for (const auto& [name, rows] : summary.rows) {
    if (name == table) return rows;
  }
  return -1;
}

CopyOptions Quick() {
  CopyOptions options;
  options.pause_between_steps = std::chrono::milliseconds(0);
  return options;
}

TEST(BackupTest, CopiesEveryPageIntoOneCheckedSelfContainedFile) {
  TempDir dir;
  MakeDatabase(dir.File("live.db"), 300, 2000);
  const CopyOutcome outcome = BackupDatabase(dir.File("live.db"), dir.File("backup.db"), Quick());
  ASSERT_TRUE(outcome.ok()) << outcome.refused;
  const CopySummary& s = outcome.summary;
  EXPECT_GT(s.pages, 400);
  EXPECT_EQ(s.page_size, 4096);
  EXPECT_EQ(s.bytes, s.pages * s.page_size);
  EXPECT_EQ(s.schema_version, LatestSchemaVersion());
  EXPECT_EQ(RowsIn(s, "taps"), 300);
  EXPECT_EQ(RowsIn(s, "telemetry"), 2000);
  EXPECT_EQ(RowsIn(s, "maintenance_records"), 0);
  EXPECT_EQ(RowsIn(s, "invoices"), 0);
  EXPECT_EQ(s.integrity, "integrity_check ok");
  EXPECT_GE(s.steps, 1);
  EXPECT_TRUE(s.moved_aside.empty());
  // One file, no journal or WAL to carry along, nothing left half-written.
  EXPECT_EQ(JournalModeOf(dir.File("backup.db")), "delete");
  EXPECT_FALSE(fs::exists(dir.File("backup.db-wal")));
  EXPECT_FALSE(fs::exists(dir.File("backup.db.partial")));
  EXPECT_EQ(Count(dir.File("backup.db"), "telemetry"), 2000);
}

TEST(BackupTest, ReportsProgressStepByStep) {
  TempDir dir;
  MakeDatabase(dir.File("live.db"), 0, 2000);
  CopyOptions options = Quick();
  options.pages_per_step = 50;
  std::vector<std::pair<std::int64_t, std::int64_t>> calls;
  options.progress = [&calls](std::int64_t copied, std::int64_t total) {
    calls.emplace_back(copied, total);
  };
  const CopyOutcome outcome = BackupDatabase(dir.File("live.db"), dir.File("b.db"), options);
  ASSERT_TRUE(outcome.ok()) << outcome.refused;
  ASSERT_GT(calls.size(), 5u);
  for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_GT(calls[i].first, calls[i - 1].first);
  EXPECT_EQ(calls.back().first, calls.back().second);
  EXPECT_EQ(calls.back().second, outcome.summary.pages);
  EXPECT_EQ(outcome.summary.steps, static_cast<int>(calls.size()));
}

// A writer commits every millisecond, as the gateway does under load. The backup is one
// snapshot (a prefix of what was committed), it does not restart with every commit, and
// the writer is never held up.
TEST(BackupTest, WriterKeepsCommittingWhileTheBackupCopiesOneSnapshot) {
  TempDir dir;
  const std::string live = dir.File("live.db");
  MakeDatabase(live, 0, 4000);
  Database writer_db(live);
  const std::int64_t before = writer_db.QueryInt("SELECT count(*) FROM telemetry");
  std::atomic<bool> stop{false};
  std::atomic<int> commits_during_backup{0};
  std::atomic<bool> backing_up{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      writer_db.Exec("INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, "
                     "payload) VALUES ('FRA', 'FS-0002', 'w-" + std::to_string(i) +
                     "', 1, 1, randomblob(1000))");
      if (backing_up) ++commits_during_backup;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  CopyOptions options;
  options.pages_per_step = 16;  // Many steps: many chances for a commit to restart a naive copy.
  options.pause_between_steps = std::chrono::milliseconds(2);
  backing_up = true;
  const CopyOutcome outcome = BackupDatabase(live, dir.File("backup.db"), options);
  backing_up = false;
  stop = true;
  writer.join();
  const std::int64_t after = writer_db.QueryInt("SELECT count(*) FROM telemetry");

  ASSERT_TRUE(outcome.ok()) << outcome.refused;
  EXPECT_GT(commits_during_backup.load(), 10);
  const std::int64_t in_backup = RowsIn(outcome.summary, "telemetry");
  EXPECT_GE(in_backup, before);
  EXPECT_LT(in_backup, after);
  // Without the pinned snapshot every commit sends the copy back to page 1.
  EXPECT_LE(outcome.summary.steps, outcome.summary.pages / options.pages_per_step + 2);
  // A prefix: the snapshot holds the first rows the writer added, none missing in between.
  Database backup(dir.File("backup.db"));
  EXPECT_EQ(backup.QueryInt("SELECT count(*) FROM telemetry WHERE asset_id = 'FS-0002'"),
            in_backup - before);
  EXPECT_EQ(backup.QueryInt("SELECT max(id) - min(id) + 1 FROM telemetry"), in_backup);
}

TEST(BackupTest, RefusesMissingSourceTheSourceItselfAndAnExistingFileUnlessReplacing) {
  TempDir dir;
  MakeDatabase(dir.File("live.db"), 10, 10);
  EXPECT_TRUE(Contains(BackupDatabase(dir.File("nope.db"), dir.File("b.db"), Quick()).refused,
                       "no database at"));
  EXPECT_FALSE(fs::exists(dir.File("nope.db")));
  EXPECT_TRUE(Contains(BackupDatabase(dir.File("live.db"), dir.File("live.db"), Quick()).refused,
                       "overwrite the database itself"));
  WriteText(dir.File("b.db"), "an older backup");
  EXPECT_TRUE(Contains(BackupDatabase(dir.File("live.db"), dir.File("b.db"), Quick()).refused,
                       "exists; --force replaces it"));
  CopyOptions replace = Quick();
  replace.replace = true;
  ASSERT_TRUE(BackupDatabase(dir.File("live.db"), dir.File("b.db"), replace).ok());
  EXPECT_EQ(Count(dir.File("b.db"), "taps"), 10);
}

TEST(BackupTest, DamagedSourceGivesNoBackupFile) {
  TempDir dir;
  MakeDatabase(dir.File("live.db"), 0, 2000);
  DamagePage(dir.File("live.db"), 300);
  const CopyOutcome outcome = BackupDatabase(dir.File("live.db"), dir.File("b.db"), Quick());
  EXPECT_FALSE(outcome.ok());
  EXPECT_TRUE(Contains(outcome.refused, "fails integrity_check")) << outcome.refused;
  EXPECT_FALSE(fs::exists(dir.File("b.db")));
  EXPECT_FALSE(fs::exists(dir.File("b.db.partial")));
}

TEST(BackupTest, SourceThatIsNotADatabaseThrowsADamageCode) {
  TempDir dir;
  WriteText(dir.File("notes.db"), std::string(8192, 'x'));
  try {
    BackupDatabase(dir.File("notes.db"), dir.File("b.db"), Quick());
    FAIL() << "backed up a file that is not a database";
  } catch (const StoreError& e) {
    EXPECT_TRUE(IsDamage(e.code())) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir.File("b.db")));
}

TEST(DatabaseInUseTest, TrueOnlyWhileAnotherConnectionHasItOpen) {
  TempDir dir;
  const std::string path = dir.File("db.db");
  EXPECT_FALSE(DatabaseInUse(path));
  MakeDatabase(path, 1, 1);
  EXPECT_FALSE(DatabaseInUse(path));
  {
    Database gateway(path);
    gateway.QueryInt("SELECT count(*) FROM taps");
    EXPECT_TRUE(DatabaseInUse(path));
  }
  EXPECT_FALSE(DatabaseInUse(path));
  EXPECT_EQ(Count(path, "taps"), 1);  // Looking changed nothing.
}

class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MakeDatabase(dir.File("live.db"), 120, 800);
    ASSERT_TRUE(BackupDatabase(dir.File("live.db"), backup, Quick()).ok());
  }
  CopyOptions Replacing() {
    CopyOptions options = Quick();
    options.replace = true;
    return options;
  }
  TempDir dir;
  std::string backup = dir.File("backup.db");
};

TEST_F(RestoreTest, IntoANewFileGivesAWalDatabaseTheGatewayOpens) {
  const std::string target = dir.File("restored.db");
  const CopyOutcome outcome = RestoreDatabase(backup, target, Quick());
  ASSERT_TRUE(outcome.ok()) << outcome.refused;
  EXPECT_EQ(RowsIn(outcome.summary, "taps"), 120);
  EXPECT_TRUE(outcome.summary.moved_aside.empty());
  EXPECT_EQ(JournalModeOf(target), "wal");
  EXPECT_FALSE(fs::exists(target + "-wal"));
  EXPECT_FALSE(fs::exists(target + ".partial"));
  Database db(target);
  EXPECT_NO_THROW(Migrate(db));
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM telemetry"), 800);
  EXPECT_TRUE(CheckIntegrity(backup, IntegrityCheckMode::kFull).ok);  // Backup unchanged.
}

TEST_F(RestoreTest, RefusesATargetInUse) {
  const std::string target = dir.File("live.db");
  Database gateway(target);
  gateway.QueryInt("SELECT count(*) FROM taps");
  const CopyOutcome outcome = RestoreDatabase(backup, target, Replacing());
  EXPECT_FALSE(outcome.ok());
  EXPECT_TRUE(Contains(outcome.refused, "is in use")) << outcome.refused;
  EXPECT_EQ(gateway.QueryInt("SELECT count(*) FROM taps"), 120);
}

TEST_F(RestoreTest, ReplacesAnExistingTargetOnlyWhenAskedAndKeepsItAside) {
  const std::string target = dir.File("other.db");
  MakeDatabase(target, 7, 0);
  CopyOutcome outcome = RestoreDatabase(backup, target, Quick());
  EXPECT_TRUE(Contains(outcome.refused, "exists; --force replaces it")) << outcome.refused;
  EXPECT_EQ(Count(target, "taps"), 7);

  outcome = RestoreDatabase(backup, target, Replacing());
  ASSERT_TRUE(outcome.ok()) << outcome.refused;
  EXPECT_EQ(Count(target, "taps"), 120);
  ASSERT_FALSE(outcome.summary.moved_aside.empty());
  EXPECT_TRUE(Contains(outcome.summary.moved_aside, target + ".replaced-"));
  EXPECT_EQ(Count(outcome.summary.moved_aside, "taps"), 7);
}

TEST_F(RestoreTest, StaleWalOfTheOldFileIsNotReplayedOverTheRestoredOne) {
  const std::string target = dir.File("crashed.db");
  MakeDatabase(target, 5, 0);
  {
    // A crash: the last transactions are in the -wal, never checkpointed.
    Database db(target);
    db.Exec("PRAGMA wal_autocheckpoint=0");
    db.Exec("INSERT INTO taps (site, device_id, msg_id, technician_id, kind, tag_type, tag_value, "
            "read_at, sent_at, received_at, firmware, payload) VALUES ('FRA', 'HH-9', 'late', "
            "'T-1', 'start', 'uid', '04', 1, 1, 1, 'hh', x'00')");
    fs::copy_file(target + "-wal", dir.File("saved-wal"));
  }
  fs::copy_file(dir.File("saved-wal"), target + "-wal", fs::copy_options::overwrite_existing);
  const CopyOutcome outcome = RestoreDatabase(backup, target, Replacing());
  ASSERT_TRUE(outcome.ok()) << outcome.refused;
  EXPECT_FALSE(fs::exists(target + "-wal"));
  EXPECT_EQ(Count(target, "taps"), 120);
  EXPECT_TRUE(CheckIntegrity(target, IntegrityCheckMode::kFull).ok);
  // The old file and its WAL stay together: the crashed database is complete aside.
  EXPECT_EQ(Count(outcome.summary.moved_aside, "taps"), 6);
}

TEST_F(RestoreTest, ReplacesADamagedTargetOrOneThatIsNotADatabase) {
  const std::string damaged = dir.File("damaged.db");
  MakeDatabase(damaged, 0, 2000);
  DamagePage(damaged, 300);
  ASSERT_TRUE(RestoreDatabase(backup, damaged, Replacing()).ok());
  EXPECT_TRUE(CheckIntegrity(damaged, IntegrityCheckMode::kFull).ok);

  const std::string garbage = dir.File("garbage.db");
  WriteText(garbage, std::string(8192, 'x'));
  const CopyOutcome outcome = RestoreDatabase(backup, garbage, Replacing());
  ASSERT_TRUE(outcome.ok()) << outcome.refused;
  EXPECT_EQ(Count(garbage, "taps"), 120);
}

TEST_F(RestoreTest, RefusesABackupThatFailsItsCheckAndLeavesTheTargetAlone) {
  const std::string bad = dir.File("bad-backup.db");
  MakeDatabase(bad, 0, 2000);
  DamagePage(bad, 300);
  const std::string target = dir.File("target.db");
  MakeDatabase(target, 3, 0);
  const CopyOutcome outcome = RestoreDatabase(bad, target, Replacing());
  EXPECT_FALSE(outcome.ok());
  EXPECT_TRUE(Contains(outcome.refused, "fails integrity_check; restore an older one"))
      << outcome.refused;
  EXPECT_EQ(Count(target, "taps"), 3);

  WriteText(dir.File("notes.db"), std::string(8192, 'x'));
  EXPECT_TRUE(Contains(RestoreDatabase(dir.File("notes.db"), target, Replacing()).refused,
                       "file is not a database"));
  EXPECT_TRUE(Contains(RestoreDatabase(dir.File("nope.db"), target, Replacing()).refused,
                       "no backup at"));
}

TEST_F(RestoreTest, RefusesABackupNewerThanThisBuildAndOneWithNoSchema) {
  {
    Database db(backup);
    db.Exec("PRAGMA user_version = " + std::to_string(LatestSchemaVersion() + 1));
  }
  const CopyOutcome outcome = RestoreDatabase(backup, dir.File("t.db"), Quick());
  EXPECT_TRUE(Contains(outcome.refused, "has schema version " +
                                            std::to_string(LatestSchemaVersion() + 1) +
                                            "; this build knows up to " +
                                            std::to_string(LatestSchemaVersion())))
      << outcome.refused;
  EXPECT_FALSE(fs::exists(dir.File("t.db")));

  { Database empty(dir.File("empty.db")); }
  EXPECT_TRUE(Contains(RestoreDatabase(dir.File("empty.db"), dir.File("t.db"), Quick()).refused,
                       "holds no fieldproof schema"));
}

TEST_F(RestoreTest, AnOlderSchemaIsRestoredAndMigratedByTheNextStart) {
  const std::string old_backup = dir.File("v3.db");
  {
    Database db(old_backup);
    MigrateTo(db, 3);
  }
  const std::string target = dir.File("t.db");
  const CopyOutcome outcome = RestoreDatabase(old_backup, target, Quick());
  ASSERT_TRUE(outcome.ok()) << outcome.refused;
  EXPECT_EQ(outcome.summary.schema_version, 3);
  Database db(target);
  Migrate(db);
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
}

}  // namespace
}  // namespace fieldproof::store
