// The dashboard served by a real gateway, in Debian's Chromium: a facility owner signs in
// with a token, sees the numbers the API returns and clicks through to an inspection's
// evidence and photos, and across a floor map; the HTML report's maps are checked too
// (tests/browser/dashboard.test.mjs). The screenshot is kept as a test artefact
// in build/test-artifacts/dashboard.png.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

TEST(DashboardTest, AnOwnerSignsInSeesTheNumbersAndOpensAnInspection) {
  ScratchDir dir;
  Broker broker(dir);
  const std::string db = dir / "fieldproof.db";
  ImportSite(dir, db);
  Gateway gateway(dir, broker, VerifyingGatewayArgs(dir));
  auto cli = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunToCompletion(argv, dir);
  };
  // A visit in ten with a photo, uploaded by the simulated handhelds before their end taps.
  const auto camera = cli({"token", "create", "--name", "sim-handhelds", "--role", "device"});
  ASSERT_EQ(camera.exit_code, 0) << camera.out;
  const auto sent = RunSim(dir, broker,
                           {"--messages", "1500", "--photo-ratio", "0.1", "--sensor-fault-ratio", "0.3", "--api-url",
                            "http://127.0.0.1:" + std::to_string(gateway.HttpPort()), "--api-token",
                            camera.out.substr(0, camera.out.find('\n'))});
  EXPECT_GT(sent["photos_uploaded"].get<int>(), 0) << sent;
  EXPECT_EQ(sent["photos_failed"], 0) << sent;
  WaitForRows(db, sent["taps"].get<std::int64_t>(), sent["telemetry"].get<std::int64_t>(), 0);
  ASSERT_TRUE(WaitForVerification(db));
  ASSERT_TRUE(WaitForAlarms(db)) << "the faulty sensors' alarms";
  ASSERT_EQ(cli({"contract", "import",
                 std::string(FIELDPROOF_SOURCE_DIR) + "/ops/contracts/OWN-FRA.json"})
                .exit_code,
            0);
  ASSERT_EQ(
      cli({"invoice", "close", "--period", "2026-11", "--issue-date", "2026-12-01"}).exit_code, 0);
  const auto token =
      cli({"token", "create", "--name", "fm", "--role", "owner", "--customer", "OWN-FRA"});
  ASSERT_EQ(token.exit_code, 0);
  const auto supervisor = cli({"token", "create", "--name", "sup", "--role", "supervisor"});
  ASSERT_EQ(supervisor.exit_code, 0);
  {  // One inspection for the supervisor to decide.
    store::Database database(db);
    database.Exec("UPDATE inspections SET verdict = 'needs_review' WHERE id = (SELECT max(id) FROM inspections)");
  }

  const std::string report = dir / "coverage.html";
  ASSERT_EQ(cli({"coverage", "--site", "FRA", "--format", "html", "--out", report}).exit_code, 0);

  std::filesystem::create_directories(FIELDPROOF_ARTIFACTS_DIR);
  const std::string screenshot = std::string(FIELDPROOF_ARTIFACTS_DIR) + "/dashboard.png";
  std::filesystem::remove(screenshot);
  const auto run = RunToCompletion(
      {FIELDPROOF_NODE, std::string(FIELDPROOF_SOURCE_DIR) + "/tests/browser/dashboard.test.mjs",
       "http://127.0.0.1:" + std::to_string(gateway.HttpPort()),
       token.out.substr(0, token.out.find('\n')), screenshot, supervisor.out.substr(0, supervisor.out.find('\n')),
       report},
      dir);
  std::cout << run.out;
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find(" 0 failed"), std::string::npos) << run.out;
  EXPECT_GT(std::filesystem::file_size(screenshot), 10'000u);
  EXPECT_EQ(gateway.Stop(), 0);
}

}  // namespace
}  // namespace fieldproof::testing
