// Commissioning tags with `fieldproof tag` against a real gateway (docs/handheld.md): a
// supplier's UID list is imported, a new tag is installed on a fire shutter only with a valid
// SUN read of it and only in place of the old one with a reason, the history shows both with
// who and when (CLI and API), and the retired tag's reads are refused with that reason while
// the new tag's inspection is verified.
#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include <fstream>
#include <random>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

constexpr const char* kNewUid = "04AA0000000001";

TEST(TagCommissioningTest, ANewTagIsProvedReplacesTheOldForGoodAndTheOldReadsAreRefused) {
  ScratchDir dir;
  Broker broker(dir);
  const std::string db = dir / "fieldproof.db";
  ImportSite(dir, db);
  Gateway gateway(dir, broker, VerifyingGatewayArgs(dir));
  auto cli = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db, "tag"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunToCompletion(argv, dir);
  };
  // The supplier's list: two tags, one corrupt row.
  std::ofstream(dir / "delivery.csv") << "uid,carton\n" << kNewUid << ",1\n04aa0000000002,1\nnot-a-uid,2\n";
  const auto imported = cli({"import-supplied", dir / "delivery.csv", "--batch", "PO-4711", "--by", "stores"});
  EXPECT_EQ(imported.exit_code, 1) << imported.out;
  EXPECT_NE(imported.out.find("delivery.csv:4: uid: 'NOT-A-UID' is not a tag UID"), std::string::npos)
      << imported.out;
  EXPECT_NE(imported.out.find("2 new, 0 listed before, 1 rejected"), std::string::npos) << imported.out;

  PlainShutter shutter = FirstPlainShutter(db);
  crypto::TagEmulator old_tag(shutter.tag);
  crypto::TagEmulator::Config fresh = shutter.tag;  // Same site keys, the new UID's file key.
  crypto::Key128 master{};
  ASSERT_TRUE(crypto::HexDecodeInto(kMasterKey, master) && crypto::HexDecodeInto(kNewUid, fresh.uid));
  fresh.file_read_key = crypto::TagFileReadKey(master, fresh.uid);
  fresh.base_url += "/" + shutter.asset_id;
  crypto::TagEmulator new_tag(fresh);
  std::mt19937 rng(4);
  auto install = [&](std::vector<std::string> extra, const std::string& url) {
    std::vector<std::string> args = {"install", shutter.asset_id, "--site", "FRA", "--url", url,
                                     "--master-key-file", dir / "master.key", "--by", "T-0002"};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  };
  const std::string proof = *new_tag.Read(rng);
  auto refused = install({}, proof);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("replacing it needs --replace and a reason"), std::string::npos) << refused.out;
  refused = install({"--replace", "--reason", "damaged"}, proof.substr(0, proof.size() - 1) + "0");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("proves no tag of this site"), std::string::npos) << refused.out;
  const auto installed = install({"--replace", "--reason", "damaged"}, proof);
  ASSERT_EQ(installed.exit_code, 0) << installed.out;
  EXPECT_NE(installed.out.find("tag " + std::string(kNewUid) + " installed on " + shutter.asset_id),
            std::string::npos)
      << installed.out;

  const auto history = nlohmann::json::parse(cli({"history", shutter.asset_id, "--site", "FRA", "--json"}).out);
  ASSERT_EQ(history["tags"].size(), 2u) << history;
  EXPECT_EQ(history["tags"][0]["retired_by"], "T-0002");
  EXPECT_NE(history["tags"][0]["retired_reason"].get<std::string>().find("damaged; replaced by 04AA"),
            std::string::npos);
  EXPECT_EQ(history["tags"][1]["tag_uid"], kNewUid);
  EXPECT_EQ(history["tags"][1]["retired_at"], nullptr);
  const auto token = RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "token", "create", "--name",
                                      "ops", "--role", "admin"},
                                     dir);
  const auto api = HttpGet(gateway.HttpPort(), "/api/v1/assets/" + shutter.asset_id + "/tags?site=FRA",
                           token.out.substr(0, token.out.find('\n')));
  EXPECT_EQ(api.status, 200) << api.body;
  EXPECT_EQ(nlohmann::json::parse(api.body)["tags"], history["tags"]) << api.body;

  // An inspection with the old tag, then one with the new tag.
  mqtt::async_client handheld(broker.uri(), "HH-0002-commissioning");
  handheld.connect()->wait();
  auto inspect = [&](const std::string& name, crypto::TagEmulator& tag, core::UnixMillis at) {
    for (const auto& tap : {HandTap(name + "-start", core::TapKind::kStart, *tag.Read(rng), at),
                            HandTap(name + "-end", core::TapKind::kEnd, *tag.Read(rng), at + 300'000)}) {
      handheld.publish(core::TapTopic("FRA", "HH-0002"), codec::EncodeTap(tap), 1, false)->wait();
    }
  };
  auto verdict_of = [&](const std::string& end_msg_id) {
    store::Database database(db);
    auto s = database.Prepare(
        "SELECT i.verdict, c.detail FROM inspections i JOIN taps t ON t.id = i.end_tap_id JOIN "
        "inspection_checks c ON c.inspection_id = i.id AND c.name = 'start_tag_authentic' "
        "WHERE t.msg_id = ?");
    s.Bind(1, end_msg_id);
    return s.Step() ? std::vector<std::string>{s.Text(0), s.Text(1)} : std::vector<std::string>{};
  };
  inspect("old", old_tag, *core::ParseRfc3339("2026-11-06T08:00:00Z"));
  inspect("new", new_tag, *core::ParseRfc3339("2026-11-06T09:00:00Z"));
  ASSERT_TRUE(WaitUntil([&] { return !verdict_of("new-end").empty(); }, std::chrono::seconds(30)))
      << gateway.log();
  const auto old_verdict = verdict_of("old-end");
  ASSERT_EQ(old_verdict.size(), 2u);
  EXPECT_EQ(old_verdict[0], "rejected");
  EXPECT_NE(old_verdict[1].find("was retired from asset " + shutter.asset_id), std::string::npos)
      << old_verdict[1];
  EXPECT_EQ(verdict_of("new-end")[0], "verified");
  handheld.disconnect()->wait();
  EXPECT_EQ(gateway.Stop(), 0);
}

}  // namespace
}  // namespace fieldproof::testing
