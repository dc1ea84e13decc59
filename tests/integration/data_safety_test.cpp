// Data safety end to end: `fieldproof backup` while the gateway ingests and verifies, the
// backup restored and served by a new gateway; a damaged database stops the gateway (and
// the CLI) with advice, and `fieldproof restore` brings it back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "gateway/store/integrity.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::int64_t Query(const std::string& db, const std::string& sql) {
  return store::Database(db).QueryInt(sql);
}

RunResult Cli(const ScratchDir& dir, const std::string& db, std::vector<std::string> args) {
  std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunToCompletion(argv, dir);
}

// A gateway expected to refuse to start: its exit code and what it logged.
RunResult GatewayThatShouldNotStart(const ScratchDir& dir, const std::string& db) {
  static int runs = 0;
  const std::string log = dir / ("refused-gateway-" + std::to_string(++runs) + ".log");
  Process gateway({FIELDPROOF_GATEWAY_BIN, "--db", db, "--broker", "tcp://127.0.0.1:1",
                   "--no-http", "--stats-interval", "0"},
                  log);
  const auto code = gateway.Wait(std::chrono::seconds(20));
  return {code.value_or(-1000), ReadText(log)};
}

class DataSafetyTest : public SiteTest {};

TEST_F(DataSafetyTest, BackupWhileIngestingIsAConsistentPrefixThatRestoresAndServes) {
  Gateway gateway(dir, broker, VerifyingGatewayArgs(dir));
  // Rate-limited so the simulator is still publishing when the backup is done.
  Process sim(SimArgv(broker, {"--messages", "6000", "--rate", "1500"}), dir / "sim.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((Query(db, "SELECT count(*) FROM taps") < 500 ||
          Query(db, "SELECT count(*) FROM maintenance_records") < 20) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  const std::string backup = dir / "backup.db";
  // Small steps: many of them, each with the gateway committing in between.
  const RunResult made = Cli(dir, db, {"backup", "--to", backup, "--pages-per-step", "16"});
  const bool still_ingesting = !sim.Wait(std::chrono::milliseconds(0)).has_value();
  ASSERT_EQ(made.exit_code, 0) << made.out;
  EXPECT_TRUE(still_ingesting) << "the simulator finished before the backup did";
  EXPECT_TRUE(Contains(made.out, "backup of " + db + " written to " + backup)) << made.out;
  // The database and its backup hold tag UIDs, technicians and invoices: not for every user.
  for (const std::string& file : {db, db + "-wal", db + "-shm", backup}) {
    if (!std::filesystem::exists(file)) continue;
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::others_all,
              std::filesystem::perms::none)
        << file;
  }
  EXPECT_TRUE(Contains(made.out, "check           integrity_check ok")) << made.out;
  EXPECT_TRUE(Contains(made.out, "schema version  " + std::to_string(store::LatestSchemaVersion())))
      << made.out;

  ASSERT_EQ(sim.Wait(std::chrono::seconds(60)), 0) << ReadText(dir / "sim.log");
  ASSERT_EQ(gateway.Stop(), 0);

  // What the backup holds is a prefix of what the gateway went on to store: every tap up to
  // the last one it holds, and every verified inspection with its chained record.
  const auto report = store::CheckIntegrity(backup, store::IntegrityCheckMode::kFull);
  EXPECT_TRUE(report.ok) << (report.findings.empty() ? "" : report.findings[0]);
  const std::int64_t final_taps = Query(db, "SELECT count(*) FROM taps");
  const std::int64_t backup_taps = Query(backup, "SELECT count(*) FROM taps");
  const std::int64_t last_id = Query(backup, "SELECT max(id) FROM taps");
  EXPECT_GT(backup_taps, 0);
  EXPECT_LT(backup_taps, final_taps);
  EXPECT_EQ(backup_taps, Query(db, "SELECT count(*) FROM taps WHERE id <= " + std::to_string(last_id)));
  EXPECT_GT(Query(backup, "SELECT count(*) FROM maintenance_records"), 0);
  const RunResult chain = Cli(dir, backup, {"verify-chain"});
  EXPECT_EQ(chain.exit_code, 0) << chain.out;
  EXPECT_TRUE(Contains(chain.out, "chain intact")) << chain.out;

  // Restored into a new place, it is what a new gateway starts on and keeps filling.
  ScratchDir elsewhere;
  const std::string restored = elsewhere / "fieldproof.db";
  const RunResult put_back = Cli(dir, restored, {"restore", "--from", backup});
  ASSERT_EQ(put_back.exit_code, 0) << put_back.out;
  EXPECT_TRUE(Contains(put_back.out, "restored " + backup + " to " + restored)) << put_back.out;
  EXPECT_EQ(Query(restored, "SELECT count(*) FROM taps"), backup_taps);
  Gateway second(elsewhere, broker, VerifyingGatewayArgs(elsewhere));
  RunSim(dir, broker, {"--messages", "300", "--skip", "6000"});
  ASSERT_EQ(second.Stop(), 0);
  EXPECT_GT(Query(restored, "SELECT count(*) FROM taps"), backup_taps);
  EXPECT_EQ(Cli(dir, restored, {"verify-chain"}).exit_code, 0);
}

TEST_F(DataSafetyTest, DamagedDatabaseStopsGatewayAndCliWithAdviceAndRestoreBringsItBack) {
  {
    // Enough telemetry for a file of many pages.
    store::Database database(db);
    store::Migrate(database);
    database.Exec(
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 4000) "
        "INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, payload) "
        "SELECT 'FRA', 'FS-0001', 't-' || x, x, x, randomblob(1000) FROM n");
  }
  const std::string backup = dir / "backup.db";
  ASSERT_EQ(Cli(dir, db, {"backup", "--to", backup}).exit_code, 0);
  const auto pages = static_cast<std::int64_t>(std::filesystem::file_size(db) / 4096);
  ASSERT_GT(pages, 800);
  // Scrambled b-tree page headers: one in the middle of the file, and the root pages of the
  // telemetry table and its indexes, so that any reader of telemetry meets the damage.
  std::vector<std::int64_t> damaged = {pages / 2};
  {
    store::Database database(db);
    auto roots = database.Prepare(
        "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'telemetry' AND rootpage > 0");
    while (roots.Step()) damaged.push_back(roots.Int(0));
  }
  std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
  for (const std::int64_t page : damaged) {
    file.seekp((page - 1) * 4096);
    for (int i = 0; i < 64; ++i) file.put(static_cast<char>(0xA5 ^ (i * 37)));
  }
  file.close();

  const RunResult refused = GatewayThatShouldNotStart(dir, db);
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_TRUE(Contains(refused.out, "database " + db + " is damaged; SQLite's quick_check reported:"))
      << refused.out;
  EXPECT_TRUE(Contains(refused.out, "fieldproof restore --from BACKUP.db --db " + db + " --force"))
      << refused.out;
  EXPECT_FALSE(Contains(refused.out, "subscribed to")) << refused.out;

  // The CLI meets the damage when it reads the page, and says the same.
  const RunResult stats = Cli(dir, db, {"stats"});
  EXPECT_EQ(stats.exit_code, 2) << stats.out;
  EXPECT_TRUE(Contains(stats.out, "database " + db + " is damaged")) << stats.out;
  EXPECT_TRUE(Contains(stats.out, "fieldproof restore --from BACKUP.db")) << stats.out;

  const RunResult without_force = Cli(dir, db, {"restore", "--from", backup});
  EXPECT_EQ(without_force.exit_code, 1) << without_force.out;
  EXPECT_TRUE(Contains(without_force.out, "exists; --force replaces it")) << without_force.out;
  const RunResult restored = Cli(dir, db, {"restore", "--from", backup, "--force"});
  ASSERT_EQ(restored.exit_code, 0) << restored.out;
  EXPECT_TRUE(Contains(restored.out, "replaced file   moved to " + db + ".replaced-"))
      << restored.out;
  Gateway gateway(dir, broker, {"--integrity-check", "full"});
  EXPECT_EQ(gateway.Stop(), 0);
  EXPECT_EQ(Query(db, "SELECT count(*) FROM telemetry"), 4000);
}

TEST_F(DataSafetyTest, FileThatIsNotADatabaseOrTruncatedStopsTheGatewayWithAdvice) {
  const std::string notes = dir / "notes.db";
  std::ofstream(notes) << std::string(10000, '#') << "\n";
  RunResult refused = GatewayThatShouldNotStart(dir, notes);
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_TRUE(Contains(refused.out, "database " + notes +
                                        " is not a SQLite database (SQLite: file is not a database)"))
      << refused.out;
  EXPECT_TRUE(Contains(refused.out, "fieldproof restore --from BACKUP.db --db " + notes))
      << refused.out;

  {
    store::Database database(db);
    store::Migrate(database);
    database.Exec(
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000) "
        "INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, payload) "
        "SELECT 'FRA', 'FS-0001', 't-' || x, x, x, randomblob(1000) FROM n");
  }
  std::filesystem::resize_file(db, std::filesystem::file_size(db) / 2);
  refused = GatewayThatShouldNotStart(dir, db);
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_TRUE(Contains(refused.out, "database " + db + " is damaged")) << refused.out;
}

TEST_F(DataSafetyTest, DatabaseNewerThanTheGatewayIsRefused) {
  {
    store::Database database(db);
    database.Exec("PRAGMA user_version = " + std::to_string(store::LatestSchemaVersion() + 1));
  }
  const RunResult refused = GatewayThatShouldNotStart(dir, db);
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_TRUE(Contains(refused.out, "has schema version " +
                                        std::to_string(store::LatestSchemaVersion() + 1) +
                                        "; this build knows up to " +
                                        std::to_string(store::LatestSchemaVersion())))
      << refused.out;
}

// Issue 17, finding 7: a database left readable by every user loses the others' access when
// the gateway starts, and a master key file others can read stops the gateway (and the CLI)
// with the command that fixes it.
TEST_F(DataSafetyTest, FilesOpenToEveryUserAreClosedAndAnOpenMasterKeyIsRefused) {
  namespace fs = std::filesystem;
  fs::permissions(db, fs::perms::others_read, fs::perm_options::add);
  const std::string key = WriteMasterKey(dir);
  fs::permissions(key, fs::perms::others_read, fs::perm_options::add);
  const std::string log = dir / "open-key.log";
  Process gateway({FIELDPROOF_GATEWAY_BIN, "--db", db, "--broker", broker.uri(), "--no-http", "--stats-interval",
                   "0", "--master-key-file", key, "--asset-types",
                   std::string(FIELDPROOF_SOURCE_DIR) + "/ops/asset-types.json"},
                  log);
  EXPECT_EQ(gateway.Wait(std::chrono::seconds(20)), 1);
  const std::string said = ReadText(log);
  EXPECT_TRUE(Contains(said, "can be read or changed by every user")) << said;
  EXPECT_TRUE(Contains(said, "chmod 600 " + key)) << said;
  EXPECT_TRUE(Contains(said, "was open to every user (mode 0644); others' access removed")) << said;
  EXPECT_EQ(fs::status(db).permissions() & fs::perms::others_all, fs::perms::none);

  const RunResult cli = Cli(dir, db, {"tag", "verify", "--master-key-file", key, "--site", "FRA",
                                      "https://t.example/?picc=00&cmac=00"});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_TRUE(Contains(cli.out, "chmod 600 " + key)) << cli.out;

  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
  Gateway verifying(dir, broker, VerifyingGatewayArgs(dir));
  EXPECT_EQ(verifying.Stop(), 0);
}

}  // namespace
}  // namespace fieldproof::testing
