// Handhelds' own accounts on the broker (docs/handheld.md), against a real mosquitto with its
// dynamic-security plugin on a WebSocket listener and a real gateway: a handheld exchanges
// the one-time code `fieldproof device enrol` printed for its credentials, connects over
// WebSockets and its taps are stored; it cannot publish as another handheld or connect under
// another client id; a revoked one is disconnected at once and refused from then on.
#include <gtest/gtest.h>
#include <mqtt/client.h>

#include <algorithm>
#include <regex>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

using namespace std::chrono_literals;

class DeviceAccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImportSite(dir, db);
    gateway = std::make_unique<Gateway>(
        dir, broker,
        std::vector<std::string>{"--devices-broker", broker.devices_uri(), "--broker-admin-file",
                                 broker.admin_file(), "--asset-types",
                                 std::string(FIELDPROOF_SOURCE_DIR) + "/ops/asset-types.json"});
    store::Database database(db);
    auto s = database.Prepare("SELECT device_id FROM devices WHERE site = 'FRA' ORDER BY device_id");
    ASSERT_TRUE(s.Step());
    device = s.Text(0);
    ASSERT_TRUE(s.Step());
    other_device = s.Text(0);
  }
  void TearDown() override { EXPECT_EQ(gateway->Stop(), 0); }

  RunResult Device(std::vector<std::string> args) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db, "device"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--devices-broker", broker.devices_uri(), "--broker-admin-file",
                             broker.admin_file()});
    return RunToCompletion(argv, dir);
  }

  // The code `device enrol` printed below its QR code, exchanged at the gateway.
  nlohmann::json EnrolByCode(const std::string& device_id) {
    const auto printed = Device({"enrol", device_id, "--site", "FRA"});
    EXPECT_EQ(printed.exit_code, 0) << printed.out;
    std::smatch found;  // The output holds the QR code, the code, and a line on stderr.
    EXPECT_TRUE(std::regex_search(printed.out, found, std::regex("\\n([A-Z2-7]{4}(-[A-Z2-7]{4}){3})\\n")))
        << printed.out;
    const std::string code = found[1];
    const std::string body = R"({"code": ")" + code + R"("})";
    const auto exchanged = HttpPost(gateway->HttpPort(), "/api/v1/enrol", "", body);
    EXPECT_EQ(exchanged.status, 200) << exchanged.body;
    EXPECT_EQ(HttpPost(gateway->HttpPort(), "/api/v1/enrol", "", body).status, 404)
        << "a code works once";
    return nlohmann::json::parse(exchanged.body);
  }

  std::string Tap(const std::string& msg_id, const std::string& as_device) const {
    core::Tap tap;
    tap.msg_id = msg_id;
    tap.device_id = as_device;
    tap.technician_id = "T-0001";
    tap.site = "FRA";
    tap.tag = {core::TagRead::Type::kUid, "04A1B2C3D4E5F6"};
    tap.read_at = *core::ParseRfc3339("2026-11-03T09:00:00Z");
    tap.sent_at = tap.read_at + 200;
    tap.kind = core::TapKind::kStart;
    tap.firmware = "hh-web-1.0.0";
    return codec::EncodeTap(tap);
  }

  std::int64_t StoredTaps(const std::string& of_device) const {
    store::Database database(db);
    auto s = database.Prepare("SELECT count(*) FROM taps WHERE device_id = ?");
    s.Bind(1, of_device);
    s.Step();
    return s.Int(0);
  }

  ScratchDir dir;
  Broker broker{dir, {}, Broker::Devices::kWebSockets};
  std::string db = dir / "fieldproof.db";
  std::unique_ptr<Gateway> gateway;
  std::string device, other_device;
};

mqtt::connect_options Login(const nlohmann::json& credentials) {
  return mqtt::connect_options_builder()
      .clean_session(true)
      .user_name(credentials["mqtt"]["username"].get<std::string>())
      .password(credentials["mqtt"]["password"].get<std::string>())
      .connect_timeout(5s)
      .finalize();
}

TEST_F(DeviceAccountTest, AnEnrolledHandheldPublishesOnlyAsItselfUntilRevoked) {
  const auto credentials = EnrolByCode(device);
  ASSERT_TRUE(credentials.contains("mqtt"));
  EXPECT_EQ(credentials["device_id"], device);
  EXPECT_EQ(credentials["mqtt"]["client_id"], device);
  EXPECT_EQ(credentials["mqtt"]["url"], broker.devices_uri());

  mqtt::client handheld(broker.devices_uri(), device);
  handheld.connect(Login(credentials));
  handheld.publish(mqtt::make_message(core::TapTopic("FRA", device), Tap("web-1", device), 1, false));
  // Another handheld's topic: the broker drops it (MQTT 3.1.1 still acknowledges it).
  handheld.publish(mqtt::make_message(core::TapTopic("FRA", other_device),
                                      Tap("web-2", other_device), 1, false));
  handheld.publish(mqtt::make_message(core::TapTopic("FRA", device), Tap("web-3", device), 1, false));
  ASSERT_TRUE(WaitUntil([&] { return StoredTaps(device) == 2; }, 20s)) << gateway->log();
  EXPECT_EQ(StoredTaps(other_device), 0) << "nothing published as another handheld arrives";

  mqtt::client impostor(broker.devices_uri(), device + "-2");
  EXPECT_THROW(impostor.connect(Login(credentials)), mqtt::exception)
      << "the account is bound to its client id";

  // Its API token fetches its site for offline use and uploads its photos.
  const auto snapshot = HttpGet(gateway->HttpPort(), "/api/v1/handheld/snapshot?site=FRA",
                                credentials["api_token"]);
  ASSERT_EQ(snapshot.status, 200) << snapshot.body;
  const auto site = nlohmann::json::parse(snapshot.body);
  EXPECT_EQ(site["site"], "FRA");
  EXPECT_FALSE(site["assets"].empty());
  ASSERT_FALSE(site["asset_types"].empty());
  const auto& shutter = *std::find_if(site["asset_types"].begin(), site["asset_types"].end(),
                                      [](const auto& t) { return t["asset_type"] == "fire_shutter"; });
  EXPECT_FALSE(shutter["checklist"].empty()) << "the checklist comes from the asset-type policies";
  EXPECT_EQ(HttpGet(gateway->HttpPort(), "/api/v1/sites", credentials["api_token"]).status, 403)
      << "a handheld reads its snapshot, not the owners' API";
  const std::string png("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01", 20);
  const std::string photo = "/api/v1/photos/" + crypto::Sha256Hex(png);
  const std::string token = credentials["api_token"];
  EXPECT_EQ(HttpRequest(gateway->HttpPort(), "PUT", photo, token, png).status, 201);

  const auto revoked = Device({"revoke", device});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out;
  EXPECT_EQ(HttpRequest(gateway->HttpPort(), "PUT", photo, token, png).status, 401)
      << "a revoked handheld's token is refused too";
  EXPECT_TRUE(WaitUntil([&] { return !handheld.is_connected(); }, 10s))
      << "the broker disconnects a revoked handheld at once";
  mqtt::client again(broker.devices_uri(), device);
  EXPECT_THROW(again.connect(Login(credentials)), mqtt::exception);
}

TEST_F(DeviceAccountTest, OnlyARegisteredHandheldIsEnrolledAndWrongCredentialsAreRefused) {
  const auto unknown = Device({"enrol", "HH-NOT-REGISTERED", "--site", "FRA"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.out.find("no registered handheld of FRA"), std::string::npos) << unknown.out;

  EXPECT_EQ(HttpPost(gateway->HttpPort(), "/api/v1/enrol", "", R"({"code": "AAAA-BBBB-CCCC-DDDD"})")
                .status,
            404);
  EXPECT_EQ(HttpPost(gateway->HttpPort(), "/api/v1/enrol", "", R"({"code": "short"})").status, 400);
  EXPECT_EQ(HttpPost(gateway->HttpPort(), "/api/v1/enrol", "", "[]").status, 400);

  // Set up by hand: the credentials at once, without a code.
  const auto enrolled = Device({"enrol", device, "--site", "FRA", "--print-credentials"});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.out;
  auto credentials = nlohmann::json::parse(enrolled.out.substr(0, enrolled.out.rfind('}') + 1));
  credentials["mqtt"]["password"] = "guessed";
  mqtt::client handheld(broker.devices_uri(), device);
  EXPECT_THROW(handheld.connect(Login(credentials)), mqtt::exception);

  const auto fresh = EnrolByCode(device);  // Enrolling again replaces the account.
  EXPECT_NE(fresh["mqtt"]["password"], credentials["mqtt"]["password"]);
  mqtt::client with_new(broker.devices_uri(), device);
  EXPECT_NO_THROW(with_new.connect(Login(fresh)));
  with_new.disconnect();
}

}  // namespace
}  // namespace fieldproof::testing
