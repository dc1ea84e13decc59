// Coverage end to end: the simulated site's verified work through mosquitto and the gateway,
// then `fieldproof coverage` in every format.
#include <gtest/gtest.h>

#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

TEST(CoverageCli, ReportsWhatTheMaintenanceRecordsProve) {
  ScratchDir dir;
  Broker broker(dir);
  const std::string db = dir / "fieldproof.db";
  ImportSite(dir, db);
  {
    Gateway gateway(dir, broker, VerifyingGatewayArgs(dir));
    RunSim(dir, broker, {"--messages", "1500"});
    ASSERT_EQ(gateway.Stop(), 0);
  }
  store::Database database(db);
  const auto covered = database.QueryInt(
      "SELECT count(DISTINCT asset_id) FROM maintenance_records WHERE verdict IN ('verified', "
      "'verified_with_defects')");
  ASSERT_GT(covered, 20);

  auto cli = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db, "coverage"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunToCompletion(argv, dir);
  };
  const auto json = cli({"--site", "FRA", "--as-of", "2026-11-30", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.out;
  const auto report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report["total"]["assets"], 300);
  EXPECT_EQ(report["total"]["compliant"], covered);
  EXPECT_EQ(report["total"]["never_inspected"], 300 - covered);
  EXPECT_EQ(report["overdue_count"], 300 - covered);
  std::int64_t verified = 0;
  for (const auto& t : report["by_technician"])
    verified += t["verified"].get<std::int64_t>() + t["verified_with_defects"].get<std::int64_t>();
  EXPECT_EQ(verified,
            database.QueryInt("SELECT count(*) FROM inspections WHERE verdict LIKE 'verified%'"));

  // Before the work started nothing was covered.
  const auto before = nlohmann::json::parse(
      cli({"--site", "FRA", "--as-of", "2026-11-01", "--format", "json"}).out);
  EXPECT_EQ(before["total"]["never_inspected"], 300);

  const auto html = cli({"--site", "FRA", "--as-of", "2026-11-30", "--format", "html", "--out",
                         dir / "coverage.html"});
  ASSERT_EQ(html.exit_code, 0) << html.out;
  EXPECT_NE(ReadText(dir / "coverage.html").find("% covered"), std::string::npos);
  const auto csv = cli({"--site", "FRA", "--as-of", "2026-11-30", "--format", "csv"});
  EXPECT_EQ(csv.out.rfind("scope,building,floor", 0), 0u);
  EXPECT_NE(cli({"--site", "FRA"}).out.find("site FRA"), std::string::npos);

  EXPECT_EQ(cli({"--site", "MUC"}).exit_code, 1);
  EXPECT_EQ(cli({"--site", "FRA", "--as-of", "2026-02-30"}).exit_code, 2);
}

}  // namespace
}  // namespace fieldproof::testing
