// Photos against a real gateway: a handheld's token uploads a photo under its SHA-256; the
// gateway tells JPEG and PNG by content, checks the hash, keeps a photo once, refuses what is
// too large; the end tap names the photos, the maintenance record chains them, and only
// those who see the inspection see its photos.
#include <gtest/gtest.h>

#include <mqtt/async_client.h>

#include <random>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

// A 1×1 PNG, complete: signature, IHDR, IDAT, IEND.
const std::string kPng(
    "\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    "\x1F\x15\xC4\x89\x00\x00\x00\x0AIDATx\x9C\x63\x00\x01\x00\x00\x05\x00\x01\x0D\x0A\x2D\xB4"
    "\x00\x00\x00\x00IEND\xAE\x42\x60\x82",
    67);

class PhotoTest : public SiteTest {
 protected:
  void SetUp() override {
    SiteTest::SetUp();
    auto args = VerifyingGatewayArgs(dir);
    args.insert(args.end(), {"--max-photo-bytes", "70000"});
    gateway = std::make_unique<Gateway>(dir, broker, args);
    for (auto [name, role] : std::vector<std::pair<std::string, std::string>>{
             {"HH-0101", "device"}, {"admin", "admin"}, {"supervisor", "supervisor"}}) {
      tokens[name] = CreateToken({"--name", name, "--role", role});
    }
    tokens["owner"] = CreateToken({"--name", "owner", "--role", "owner", "--customer", "OWN-FRA"});
    port = gateway->HttpPort();
  }
  void TearDown() override { EXPECT_EQ(gateway->Stop(), 0); }

  std::string CreateToken(std::vector<std::string> args) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db, "token", "create"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto created = RunToCompletion(argv, dir);
    EXPECT_EQ(created.exit_code, 0) << created.out;
    return created.out.substr(0, created.out.find('\n'));
  }
  HttpResult Put(const std::string& who, const std::string& name, const std::string& content) {
    return HttpRequest(port, "PUT", "/api/v1/photos/" + name, tokens[who], content);
  }

  std::unique_ptr<Gateway> gateway;
  std::map<std::string, std::string> tokens;
  int port = 0;
};

TEST_F(PhotoTest, AHandheldUploadsAPhotoOnceUnderItsHash) {
  const std::string hash = crypto::Sha256Hex(kPng);
  const auto first = Put("HH-0101", hash, kPng);
  ASSERT_EQ(first.status, 201) << first.body;
  const auto info = nlohmann::json::parse(first.body);
  EXPECT_EQ(info["sha256"], hash);
  EXPECT_EQ(info["media_type"], "image/png");
  EXPECT_EQ(info["size"], 67);
  EXPECT_EQ(info["device_id"], "HH-0101");
  EXPECT_EQ(Put("HH-0101", hash, kPng).status, 200) << "a resend keeps the one photo";

  const auto fetched = HttpGet(port, "/api/v1/photos/" + hash, tokens["admin"]);
  ASSERT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.content_type, "image/png");
  EXPECT_EQ(fetched.body, kPng);
  EXPECT_EQ(HttpGet(port, "/api/v1/photos/" + hash, tokens["supervisor"]).status, 200);
  EXPECT_EQ(HttpGet(port, "/api/v1/photos/" + hash, tokens["owner"]).status, 404)
      << "an owner sees only the photos of its own inspections; this one is in none";
  EXPECT_EQ(HttpGet(port, "/api/v1/photos/" + hash, tokens["HH-0101"]).status, 403)
      << "a handheld uploads; it does not read the store";
  EXPECT_EQ(HttpGet(port, "/api/v1/photos/" + std::string(64, 'a'), tokens["admin"]).status, 404);

  // Larger than any other request may be (64 KiB), within --max-photo-bytes.
  const std::string large = kPng + std::string(67'000, '\x7F');
  EXPECT_EQ(Put("HH-0101", crypto::Sha256Hex(large), large).status, 201);
}

TEST_F(PhotoTest, WhatIsNotAPhotoOfThatHashIsRefusedWithItsReason) {
  const std::string gif("GIF89a\x01\x00\x01\x00\x80\x00\x00", 13);
  const auto not_image = Put("HH-0101", crypto::Sha256Hex(gif), gif);
  EXPECT_EQ(not_image.status, 415);
  EXPECT_NE(not_image.body.find("only JPEG and PNG"), std::string::npos) << not_image.body;

  const auto wrong_hash = Put("HH-0101", std::string(64, 'e'), kPng);
  EXPECT_EQ(wrong_hash.status, 422);
  EXPECT_NE(wrong_hash.body.find(crypto::Sha256Hex(kPng)), std::string::npos) << wrong_hash.body;

  // Both refusals are where an operator looks for what devices sent that was refused.
  const auto rejected = nlohmann::json::parse(HttpGet(port, "/api/v1/rejected", tokens["admin"]).body);
  ASSERT_EQ(rejected["items"].size(), 2u) << rejected;
  EXPECT_EQ(rejected["items"][0]["topic"], "PUT /api/v1/photos/" + std::string(64, 'e') + " by HH-0101");
  EXPECT_NE(rejected["items"][0]["detail"].get<std::string>().find("not the eeee"), std::string::npos);
  EXPECT_NE(rejected["items"][1]["detail"].get<std::string>().find("only JPEG and PNG"), std::string::npos);

  EXPECT_EQ(Put("HH-0101", "../../etc/passwd", kPng).status, 404);
  EXPECT_EQ(Put("supervisor", crypto::Sha256Hex(kPng), kPng).status, 403);
  EXPECT_EQ(Put("", crypto::Sha256Hex(kPng), kPng).status, 401);

  // Small enough to sit in the socket's buffers whole: the gateway answers 413 after the
  // header and closes without reading the rest.
  const std::string too_large = kPng + std::string(71'000, '\0');
  EXPECT_EQ(Put("HH-0101", crypto::Sha256Hex(too_large), too_large).status, 413)
      << "--max-photo-bytes 70000";
  const std::string json_as_large(68'000, ' ');
  EXPECT_EQ(HttpRequest(port, "POST", "/api/v1/reviews", tokens["admin"], json_as_large).status, 413)
      << "only photo uploads may be that large";
  EXPECT_EQ(HttpGet(port, "/api/v1/photos/" + crypto::Sha256Hex(kPng), tokens["admin"]).status,
            404)
      << "nothing refused was kept";
  EXPECT_EQ(HttpGet(port, "/healthz").status, 200) << "and the gateway serves on";
}

// An honest inspection by hand whose end tap names two photos, one of them never uploaded:
// the photos check asks for review, the names stay on the inspection; then the same with
// only the uploaded photo: verified, and the maintenance record chains its hash. The owner of
// the asset sees the photo; another owner does not.
TEST_F(PhotoTest, PhotosTravelInTheEndTapIntoTheMaintenanceRecord) {
  const std::string hash = crypto::Sha256Hex(kPng);
  ASSERT_EQ(Put("HH-0101", hash, kPng).status, 201);
  const std::string never_uploaded(64, 'd');
  auto [asset_id, tag_config] = FirstPlainShutter(db);
  tag_config.read_counter = 100;
  crypto::TagEmulator tag(tag_config);
  std::mt19937 rng(9);
  mqtt::async_client handheld(broker.uri(), "HH-0002-photos");
  handheld.connect()->wait();
  // Five minutes at the shutter: long enough a stay.
  auto inspect = [&](const std::string& name, core::UnixMillis at, std::vector<std::string> photos) {
    auto start = HandTap(name + "-start", core::TapKind::kStart, *tag.Read(rng), at);
    auto end = HandTap(name + "-end", core::TapKind::kEnd, *tag.Read(rng), at + 5 * 60'000);
    end.photos = std::move(photos);
    for (const auto& tap : {start, end}) {
      handheld.publish(core::TapTopic("FRA", "HH-0002"), codec::EncodeTap(tap), 1, false)->wait();
    }
  };
  auto verdict_of = [&](const std::string& end_msg_id) {
    store::Database database(db);
    auto s = database.Prepare(
        "SELECT i.id, i.verdict, c.status, c.detail FROM inspections i JOIN taps t ON "
        "t.id = i.end_tap_id JOIN inspection_checks c ON c.inspection_id = i.id AND "
        "c.name = 'photos' WHERE t.msg_id = ?");
    s.Bind(1, end_msg_id);
    std::vector<std::string> row;
    if (s.Step()) row = {std::to_string(s.Int(0)), s.Text(1), s.Text(2), s.Text(3)};
    return row;
  };
  inspect("missing", *core::ParseRfc3339("2026-11-06T08:00:00Z"), {hash, never_uploaded});
  ASSERT_TRUE(WaitUntil([&] { return !verdict_of("missing-end").empty(); }, std::chrono::seconds(20)))
      << gateway->log();
  auto row = verdict_of("missing-end");
  EXPECT_EQ(row[1], "needs_review");
  EXPECT_EQ(row[2], "review");
  EXPECT_NE(row[3].find("1 of 2 photos never uploaded (dddddddddddd"), std::string::npos) << row[3];

  inspect("kept", *core::ParseRfc3339("2026-11-06T09:00:00Z"), {hash});
  ASSERT_TRUE(WaitUntil([&] { return !verdict_of("kept-end").empty(); }, std::chrono::seconds(20)));
  row = verdict_of("kept-end");
  EXPECT_EQ(row[1], "verified");
  EXPECT_EQ(row[2], "pass");
  handheld.disconnect()->wait();
  {
    store::Database database(db);
    auto s = database.Prepare("SELECT photos FROM maintenance_records WHERE inspection_id = ?");
    s.Bind(1, static_cast<std::int64_t>(std::stoll(row[0])));
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Text(0), "[\"" + hash + "\"]") << "the record chains the photo's hash";
  }
  EXPECT_EQ(RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "verify-chain"}, dir).exit_code, 0);

  const auto detail = nlohmann::json::parse(
      HttpGet(port, "/api/v1/inspections/" + row[0], tokens["admin"]).body);
  EXPECT_EQ(detail["photos"], nlohmann::json::array({hash}));
  std::string owner;
  {
    store::Database database(db);
    auto s = database.Prepare("SELECT owner_id FROM assets WHERE site = 'FRA' AND asset_id = ?");
    s.Bind(1, asset_id);
    ASSERT_TRUE(s.Step());
    owner = s.Text(0);
  }
  tokens["its-owner"] = CreateToken({"--name", "its-owner", "--role", "owner", "--customer", owner});
  tokens["another-owner"] =
      CreateToken({"--name", "another-owner", "--role", "owner", "--customer", "OWN-NOBODY"});
  EXPECT_EQ(HttpGet(port, "/api/v1/photos/" + hash, tokens["its-owner"]).status, 200);
  EXPECT_EQ(HttpGet(port, "/api/v1/photos/" + hash, tokens["another-owner"]).status, 404);
}

}  // namespace
}  // namespace fieldproof::testing
