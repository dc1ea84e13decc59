// The handheld app (gateway/http/app/) served by a real gateway, in Debian's Chromium, with
// its MQTT over WebSockets to a real mosquitto's device listener: a technician sets the
// handheld up with the code `fieldproof device enrol` printed, signs in with a PIN, inspects
// a fire shutter online and another visit offline, and sees each verdict; a replayed read is
// shown as rejected, and a revoked handheld says so (tests/browser/handheld_app.test.mjs). The NFC reader is the one part that cannot exist
// here: the browser test injects NDEFReader, fed with SUN URLs of an emulated tag.
// Screenshots are kept in build/test-artifacts/handheld-*.png.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

TEST(HandheldAppTest, ATechnicianInspectsOnlineAndOfflineAndSeesEachVerdict) {
  ScratchDir dir;
  HandheldSite site(dir);
  crypto::TagEmulator tag(site.shutter.tag);
  std::mt19937 rng(20);
  std::vector<std::string> argv = {FIELDPROOF_NODE,
                                   std::string(FIELDPROOF_SOURCE_DIR) + "/tests/browser/handheld_app.test.mjs",
                                   "http://127.0.0.1:" + std::to_string(site.gateway->HttpPort()),
                                   site.code,
                                   HandheldSite::kTechnician,
                                   HandheldSite::kPin,
                                   FIELDPROOF_ARTIFACTS_DIR,
                                   nlohmann::json::array({FIELDPROOF_CLI_BIN, "--db", site.db, "device", "revoke",
                                                          HandheldSite::kDevice, "--devices-broker",
                                                          site.broker.devices_uri(), "--broker-admin-file",
                                                          site.broker.admin_file()})
                                       .dump()};
  for (int read = 0; read < 6; ++read) argv.push_back(*tag.Read(rng));
  std::filesystem::create_directories(FIELDPROOF_ARTIFACTS_DIR);
  const auto run = RunToCompletion(argv, dir);
  std::cout << run.out;
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find(" 0 failed"), std::string::npos) << run.out;

  // What the gateway kept: each tap once, the offline visit's photo with its inspection.
  store::Database database(site.db);
  auto taps = database.Prepare("SELECT count(*) FROM taps WHERE device_id = 'HH-0002'");
  ASSERT_TRUE(taps.Step());
  EXPECT_EQ(taps.Int(0), 6);
  auto verdicts = database.Prepare(
      "SELECT verdict, (SELECT count(*) FROM inspection_photos p WHERE p.inspection_id = i.id) "
      "AS photos FROM inspections i WHERE asset_id = ? ORDER BY id");
  verdicts.Bind(1, site.shutter.asset_id);
  ASSERT_TRUE(verdicts.Step());
  EXPECT_EQ(verdicts.Text(0), "verified");
  ASSERT_TRUE(verdicts.Step());
  EXPECT_EQ(verdicts.Text(0), "verified_with_defects");
  EXPECT_EQ(verdicts.Int(1), 1);
  ASSERT_TRUE(verdicts.Step());
  EXPECT_EQ(verdicts.Text(0), "rejected") << "the replayed read";
  EXPECT_FALSE(verdicts.Step());
  EXPECT_EQ(site.gateway->Stop(), 0);
}

}  // namespace
}  // namespace fieldproof::testing
