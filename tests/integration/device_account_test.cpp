// Handhelds' own accounts on the broker (docs/handheld.md), against a real mosquitto with its
// dynamic-security plugin on a WebSocket listener and a real gateway: an enrolled handheld
// connects over WebSockets with the credentials `fieldproof device enrol` printed, its taps
// are stored; it cannot publish as another handheld or connect under another client id; a
// revoked one is disconnected at once and refused from then on.
#include <gtest/gtest.h>
#include <mqtt/client.h>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

using namespace std::chrono_literals;

class DeviceAccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImportSite(dir, db);
    gateway = std::make_unique<Gateway>(dir, broker);
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
  const auto enrolled = Device({"enrol", device, "--site", "FRA"});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.out;
  const auto credentials = nlohmann::json::parse(enrolled.out.substr(0, enrolled.out.rfind('}') + 1));
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

  const auto revoked = Device({"revoke", device});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out;
  EXPECT_TRUE(WaitUntil([&] { return !handheld.is_connected(); }, 10s))
      << "the broker disconnects a revoked handheld at once";
  mqtt::client again(broker.devices_uri(), device);
  EXPECT_THROW(again.connect(Login(credentials)), mqtt::exception);
}

TEST_F(DeviceAccountTest, OnlyARegisteredHandheldIsEnrolledAndWrongCredentialsAreRefused) {
  const auto unknown = Device({"enrol", "HH-NOT-REGISTERED", "--site", "FRA"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.out.find("no registered handheld of FRA"), std::string::npos) << unknown.out;

  const auto enrolled = Device({"enrol", device, "--site", "FRA"});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.out;
  auto credentials = nlohmann::json::parse(enrolled.out.substr(0, enrolled.out.rfind('}') + 1));
  credentials["mqtt"]["password"] = "guessed";
  mqtt::client handheld(broker.devices_uri(), device);
  EXPECT_THROW(handheld.connect(Login(credentials)), mqtt::exception);

  const auto enrolled_again = Device({"enrol", device, "--site", "FRA"});
  ASSERT_EQ(enrolled_again.exit_code, 0) << "enrolling again replaces the account";
  const auto fresh = nlohmann::json::parse(enrolled_again.out.substr(0, enrolled_again.out.rfind('}') + 1));
  EXPECT_NE(fresh["mqtt"]["password"], credentials["mqtt"]["password"]);
  mqtt::client with_new(broker.devices_uri(), device);
  EXPECT_NO_THROW(with_new.connect(Login(fresh)));
  with_new.disconnect();
}

}  // namespace
}  // namespace fieldproof::testing
