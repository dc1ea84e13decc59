// Photos over HTTP against a real gateway: a handheld's token uploads a photo under its
// SHA-256; the gateway tells JPEG and PNG by content, checks the hash, keeps a photo once,
// refuses what is too large, and shows photos only to the roles allowed to see them.
#include <gtest/gtest.h>

#include "gateway/crypto/sha256.hpp"
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
    gateway = std::make_unique<Gateway>(dir, broker, std::vector<std::string>{"--max-photo-bytes", "70000"});
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
      << "photos are not yet tied to an owner's inspections";
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

}  // namespace
}  // namespace fieldproof::testing
