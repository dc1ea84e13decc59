// The handheld app (gateway/http/app/) served by a real gateway, in Debian's Chromium, with
// its MQTT over WebSockets to a real mosquitto's device listener: a technician sets the
// handheld up with the code `fieldproof device enrol` printed, signs in with a PIN, inspects
// a fire shutter online and another visit offline, and sees each verdict
// (tests/browser/handheld_app.test.mjs). The NFC reader is the one part that cannot exist
// here: the browser test injects NDEFReader, fed with SUN URLs of an emulated tag.
// Screenshots are kept in build/test-artifacts/handheld-*.png.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

// The fire shutter's three-minute minimum stay is not what this test is about.
std::string AssetTypesWithoutMinimumStay(const ScratchDir& dir) {
  const std::string path = dir / "asset-types.json";
  std::ofstream(path) << std::regex_replace(
      ReadText(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/asset-types.json"),
      std::regex(R"("min_dwell_s": \d+)"), R"("min_dwell_s": 0)");
  return path;
}

std::string EnrolmentCode(const RunResult& printed) {
  std::smatch found;
  if (!std::regex_search(printed.out, found, std::regex("\\n([A-Z2-7]{4}(-[A-Z2-7]{4}){3})\\n"))) {
    return "";
  }
  return found[1];
}

TEST(HandheldAppTest, ATechnicianInspectsOnlineAndOfflineAndSeesEachVerdict) {
  ScratchDir dir;
  Broker broker(dir, {}, Broker::Devices::kWebSockets);
  const std::string db = dir / "fieldproof.db";
  ImportSite(dir, db);
  Gateway gateway(dir, broker,
                  {"--master-key-file", WriteMasterKey(dir), "--asset-types",
                   AssetTypesWithoutMinimumStay(dir), "--devices-broker", broker.devices_uri(),
                   "--broker-admin-file", broker.admin_file()});
  auto cli = [&](std::vector<std::string> args, std::optional<std::string> input = std::nullopt) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunToCompletion(argv, dir, input);
  };
  // HH-0002 and T-0002 are the handheld and technician of HandTap: registered to each other.
  const auto pin = cli({"technician", "set-pin", "T-0002", "--site", "FRA"}, "2468\n");
  ASSERT_EQ(pin.exit_code, 0) << pin.out;
  const auto enrolled = cli({"device", "enrol", "HH-0002", "--site", "FRA", "--devices-broker",
                             broker.devices_uri(), "--broker-admin-file", broker.admin_file()});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.out;
  const std::string code = EnrolmentCode(enrolled);
  ASSERT_FALSE(code.empty()) << enrolled.out;

  // The tag as the app reads it: the asset id in its URL's static part.
  PlainShutter shutter = FirstPlainShutter(db);
  shutter.tag.base_url += "/" + shutter.asset_id;
  crypto::TagEmulator tag(shutter.tag);
  std::mt19937 rng(20);
  std::vector<std::string> argv = {FIELDPROOF_NODE,
                                   std::string(FIELDPROOF_SOURCE_DIR) + "/tests/browser/handheld_app.test.mjs",
                                   "http://127.0.0.1:" + std::to_string(gateway.HttpPort()),
                                   code,
                                   "T-0002",
                                   "2468",
                                   FIELDPROOF_ARTIFACTS_DIR};
  for (int read = 0; read < 6; ++read) argv.push_back(*tag.Read(rng));
  std::filesystem::create_directories(FIELDPROOF_ARTIFACTS_DIR);
  const auto run = RunToCompletion(argv, dir);
  std::cout << run.out;
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find(" 0 failed"), std::string::npos) << run.out;

  // What the gateway kept: each tap once, the offline visit's photo with its inspection.
  store::Database database(db);
  auto taps = database.Prepare("SELECT count(*) FROM taps WHERE device_id = 'HH-0002'");
  ASSERT_TRUE(taps.Step());
  EXPECT_EQ(taps.Int(0), 4);
  auto verdicts = database.Prepare(
      "SELECT verdict, (SELECT count(*) FROM inspection_photos p WHERE p.inspection_id = i.id) "
      "AS photos FROM inspections i WHERE asset_id = ? ORDER BY id");
  verdicts.Bind(1, shutter.asset_id);
  ASSERT_TRUE(verdicts.Step());
  EXPECT_EQ(verdicts.Text(0), "verified");
  ASSERT_TRUE(verdicts.Step());
  EXPECT_EQ(verdicts.Text(0), "verified_with_defects");
  EXPECT_EQ(verdicts.Int(1), 1);
  EXPECT_FALSE(verdicts.Step());
  EXPECT_EQ(gateway.Stop(), 0);
}

}  // namespace
}  // namespace fieldproof::testing
