// `fieldproof tag verify` as support staff use it: JSON out, exit status by outcome.
#include <gtest/gtest.h>

#include <fstream>

#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

constexpr const char* kZeroKey = "00000000000000000000000000000000";

nlohmann::json Verify(const ScratchDir& dir, std::vector<std::string> args, int expected_exit) {
  std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "tag", "verify"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = RunToCompletion(argv, dir);
  EXPECT_EQ(result.exit_code, expected_exit) << result.out;
  return nlohmann::json::parse(result.out);
}

TEST(TagVerifyCli, AcceptsTheAn12196ExampleAndPrintsUidAndCounter) {
  ScratchDir dir;
  // NXP AN12196, SUN with encrypted PICC data only, all keys zero.
  const auto out = Verify(dir,
                          {"--meta-key", kZeroKey, "--file-key", kZeroKey,
                           "https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337086"},
                          0);
  EXPECT_EQ(out["valid"], true);
  EXPECT_EQ(out["uid"], "04DE5F1EACC040");
  EXPECT_EQ(out["counter"], 61);
}

TEST(TagVerifyCli, RefusesAForgedMacWithExitOne) {
  ScratchDir dir;
  const auto out = Verify(dir,
                          {"--meta-key", kZeroKey, "--file-key", kZeroKey,
                           "e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337087"},
                          1);
  EXPECT_EQ(out["valid"], false);
  EXPECT_NE(out["reason"].get<std::string>().find("SDMMAC mismatch"), std::string::npos);
}

TEST(TagVerifyCli, UnusableInputExitsTwo) {
  ScratchDir dir;
  Verify(dir, {"--meta-key", kZeroKey, "--file-key", kZeroKey, "https://x.example/?e=EF96"}, 2);
  Verify(dir, {"--meta-key", "00", "--file-key", kZeroKey, "e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337086"}, 2);
}

TEST(TagVerifyCli, VerifiesWhatTheSimulatedTagsProducedWithKeysDerivedFromTheMasterKey) {
  ScratchDir dir;
  Broker broker(dir);
  const std::string db = dir / "fieldproof.db";
  ImportSite(dir, db);
  Gateway gateway(dir, broker);
  RunSim(dir, broker, {"--messages", "200"});
  ASSERT_EQ(gateway.Stop(), 0);
  WriteMasterKey(dir);

  store::Database database(db);
  std::vector<std::string> urls;
  auto all = database.Prepare("SELECT tag_value FROM taps ORDER BY id LIMIT 20");
  while (all.Step()) urls.push_back(all.Text(0));
  ASSERT_EQ(urls.size(), 20u);
  for (const auto& url : urls) {
    const auto out = Verify(dir, {"--master-key-file", dir / "master.key", "--site", "FRA", url}, 0);
    // The UID the tag mirrored belongs to an asset of the registry.
    auto asset = database.Prepare("SELECT count(*) FROM assets WHERE site = 'FRA' AND tag_uid = ?");
    asset.Bind(1, out["uid"].get<std::string>());
    ASSERT_TRUE(asset.Step());
    EXPECT_EQ(asset.Int(0), 1) << url;
  }
  // Keys of another site cannot read these tags.
  Verify(dir, {"--master-key-file", dir / "master.key", "--site", "MUC", urls.front()}, 1);
}

}  // namespace
}  // namespace fieldproof::testing
