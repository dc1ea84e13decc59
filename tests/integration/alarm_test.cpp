// Alarms from telemetry played through mosquitto into a real gateway: each kind is raised
// once with the readings it rests on, opens a work order where the asset type's policy says so,
// shows on the floor map, is acknowledged and closed by people through the API, and is
// cleared by a later reading.
#include <gtest/gtest.h>

#include <mqtt/async_client.h>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

const core::UnixMillis kT0 = *core::ParseRfc3339("2026-11-02T06:00:00Z");

class AlarmTest : public SiteTest {
 protected:
  void SetUp() override {
    SiteTest::SetUp();
    gateway = std::make_unique<Gateway>(dir, broker, VerifyingGatewayArgs(dir));
    for (auto [name, role, customer] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"owner", "owner", "OWN-FRA"}, {"stranger", "owner", "OWN-NONE"}, {"supervisor", "supervisor", ""},
             {"admin", "admin", ""}}) {
      std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db, "token", "create", "--name", name, "--role", role};
      if (!customer.empty()) argv.insert(argv.end(), {"--customer", customer});
      const auto created = RunToCompletion(argv, dir);
      ASSERT_EQ(created.exit_code, 0) << created.out;
      tokens[name] = created.out.substr(0, created.out.find('\n'));
    }
    store::Database database(db);
    auto s = database.Prepare(
        "SELECT asset_id FROM assets WHERE sensor_equipped AND asset_type = 'fire_shutter' ORDER BY asset_id LIMIT 6");
    while (s.Step()) sensors.push_back(s.Text(0));
    ASSERT_EQ(sensors.size(), 6u);
    sensor.connect()->wait();
  }
  void TearDown() override {
    sensor.disconnect()->wait();
    EXPECT_EQ(gateway->Stop(), 0);
  }

  void Send(int asset, core::UnixMillis at, std::vector<core::Reading> readings) {
    const std::string& id = sensors[static_cast<std::size_t>(asset)];
    const core::Telemetry t{id + "-" + std::to_string(at), id, "FRA", at, std::nullopt, std::move(readings)};
    sensor.publish(core::TelemetryTopic("FRA", id), codec::EncodeTelemetry(t), 1, false)->wait();
  }
  nlohmann::json Alarms(const std::string& who, const std::string& query) {
    const auto r = HttpGet(gateway->HttpPort(), "/api/v1/alarms?site=FRA&limit=100&" + query, tokens[who]);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? nlohmann::json::parse(r.body)["items"] : nlohmann::json::array();
  }
  // Waiting reads the database: polling the API would meet the token's rate limit.
  std::int64_t ActiveInDatabase() {
    store::Database database(db);
    return database.QueryInt("SELECT count(*) FROM alarms WHERE status != 'closed'");
  }
  std::int64_t ClearedInDatabase() {
    store::Database database(db);
    return database.QueryInt("SELECT count(*) FROM alarms WHERE closed_by = 'fieldproof'");
  }
  // The alarm of `kind` on sensor `asset` among `alarms`, or null.
  nlohmann::json Find(const nlohmann::json& alarms, int asset, const std::string& kind) {
    for (const auto& a : alarms) {
      if (a["asset_id"] == sensors[static_cast<std::size_t>(asset)] && a["kind"] == kind) return a;
    }
    return nullptr;
  }
  HttpResult Post(const std::string& who, const std::string& target, const std::string& body) {
    return HttpPost(gateway->HttpPort(), target, tokens[who], body);
  }

  std::unique_ptr<Gateway> gateway;
  std::map<std::string, std::string> tokens;
  std::vector<std::string> sensors;  // 0 battery, 1 slow, 2 stuck, 3 silent, 4 drift, 5 closed by a person
  mqtt::async_client sensor{broker.uri(), "sensor-alarm-test"};
};

TEST_F(AlarmTest, EachKindIsRaisedOnceWithItsEvidenceAndClearedByALaterReading) {
  using core::ShutterState;
  // Phase 1, a day's readings: each sensor shows its fault.
  for (int day = -40; day <= -6; ++day) {  // Four weeks at 10 s, then a week at 14 s.
    Send(4, kT0 + day * core::kDay, {core::ClosingDurationReading{day <= -13 ? 10000 : 14000}});
  }
  Send(0, kT0, {core::BatteryReading{12}});
  Send(5, kT0, {core::BatteryReading{8}});
  Send(1, kT0 + 10 * core::kMinute, {core::StateReading{ShutterState::kClosed}, core::ClosingDurationReading{45000}});
  Send(2, kT0 + 20 * core::kMinute, {core::StateReading{ShutterState::kClosing}});
  Send(2, kT0 + 21 * core::kMinute, {core::StateReading{ShutterState::kOpening}});
  Send(3, kT0, {core::HeartbeatReading{100}});
  for (int s : {0, 1, 2, 4, 5}) Send(s, kT0 + 3 * core::kHour, {core::HeartbeatReading{200}});  // Sensor 3 is silent.

  const std::vector<std::pair<int, std::string>> expected = {
      {0, "battery_low"}, {1, "closing_out_of_range"}, {2, "closing_incomplete"}, {3, "sensor_silent"},
      {4, "closing_drift"}, {5, "battery_low"}};
  ASSERT_TRUE(WaitUntil([&] { return ActiveInDatabase() == static_cast<std::int64_t>(expected.size()); },
                        std::chrono::seconds(30)))
      << Alarms("owner", "").dump(1) << gateway->log();
  const auto raised = Alarms("owner", "status=active");
  for (const auto& [s, kind] : expected) {
    const auto alarm = Find(raised, s, kind);
    ASSERT_FALSE(alarm.is_null()) << kind;
    EXPECT_EQ(alarm["status"], "open");
    EXPECT_FALSE(alarm["evidence"].empty()) << alarm;
    const bool work_order = kind == "closing_out_of_range" || kind == "closing_incomplete";
    EXPECT_EQ(alarm["work_order"].is_string(), work_order) << alarm;
  }
  EXPECT_EQ(Find(raised, 0, "battery_low")["evidence"][0]["what"], "battery 12 %");
  EXPECT_EQ(Find(raised, 0, "battery_low")["evidence"][0]["msg_id"], sensors[0] + "-" + std::to_string(kT0));
  EXPECT_EQ(Find(raised, 2, "closing_incomplete")["evidence"].size(), 2u);
  EXPECT_NE(Find(raised, 3, "sensor_silent")["detail"].get<std::string>().find("silent for 3.0 h"), std::string::npos);
  EXPECT_NE(Find(raised, 4, "closing_drift")["detail"].get<std::string>().find("+40 %"), std::string::npos)
      << Find(raised, 4, "closing_drift");
  const auto orders = nlohmann::json::parse(
      HttpGet(gateway->HttpPort(), "/api/v1/work-orders?site=FRA&asset=" + sensors[1], tokens["owner"]).body);
  ASSERT_EQ(orders["items"].size(), 1u);
  EXPECT_EQ(orders["items"][0]["defect_code"], "alarm_closing_out_of_range");

  // On the floor map, each of them is an alarm.
  {
    store::Database database(db);
    auto s = database.Prepare("SELECT building, floor FROM assets WHERE site = 'FRA' AND asset_id = ?");
    s.Bind(1, sensors[0]);
    ASSERT_TRUE(s.Step());
    const auto map = nlohmann::json::parse(
        HttpGet(gateway->HttpPort(), "/api/v1/plans/" + s.Text(0) + "/" + std::to_string(s.Int(1)) + "?site=FRA",
                tokens["owner"]).body);
    s.Reset();
    bool shown = false;
    for (const auto& m : map["markers"]) shown = shown || (m["asset_id"] == sensors[0] && m["state"] == "alarm");
    EXPECT_TRUE(shown) << map["counts"];
    EXPECT_GE(map["counts"]["alarm"].get<int>(), 1);
  }

  // People: an owner reads, a supervisor acknowledges and closes with a reason.
  const std::string first = "/api/v1/alarms/" + std::to_string(Find(raised, 0, "battery_low")["id"].get<int>());
  const std::string replaced = "/api/v1/alarms/" + std::to_string(Find(raised, 5, "battery_low")["id"].get<int>());
  EXPECT_EQ(HttpGet(gateway->HttpPort(), first, tokens["owner"]).status, 200);
  EXPECT_EQ(HttpGet(gateway->HttpPort(), first, tokens["stranger"]).status, 404) << "another customer's alarm";
  EXPECT_EQ(HttpGet(gateway->HttpPort(), "/api/v1/alarms?site=FRA", tokens["stranger"]).status, 404);
  EXPECT_EQ(Post("owner", first + "/acknowledge", "{}").status, 403);
  const auto acknowledged = Post("supervisor", first + "/acknowledge", "{}");
  EXPECT_EQ(acknowledged.status, 200) << acknowledged.body;
  EXPECT_EQ(nlohmann::json::parse(acknowledged.body)["acknowledged_by"], "supervisor");
  EXPECT_EQ(Post("supervisor", first + "/acknowledge", "{}").status, 409);
  EXPECT_EQ(Post("supervisor", replaced + "/close", R"({"reason": " "})").status, 422);
  EXPECT_EQ(Post("supervisor", replaced + "/close", R"({"why": "x"})").status, 400);
  const auto closed = Post("supervisor", replaced + "/close", R"({"reason": "battery replaced on site"})");
  EXPECT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(nlohmann::json::parse(closed.body)["close_reason"], "battery replaced on site");
  EXPECT_EQ(Post("supervisor", "/api/v1/alarms/999999/acknowledge", "{}").status, 404);
  EXPECT_EQ(HttpGet(gateway->HttpPort(), "/api/v1/alarms?site=FRA&status=burning", tokens["owner"]).status, 400);

  // Phase 2, the next day: every fault but one is gone, the drift has settled.
  Send(0, kT0 + 4 * core::kHour, {core::BatteryReading{97}});
  Send(1, kT0 + core::kDay, {core::StateReading{ShutterState::kClosed}, core::ClosingDurationReading{9000}});
  Send(2, kT0 + core::kDay, {core::StateReading{ShutterState::kClosing}});
  Send(2, kT0 + core::kDay + 9000, {core::StateReading{ShutterState::kClosed}});
  for (int day = -5; day <= 1; ++day) Send(4, kT0 + day * core::kDay + 1, {core::ClosingDurationReading{10000}});
  Send(5, kT0 + core::kDay, {core::BatteryReading{9}});  // Not replaced after all: raised again.
  for (int s : {0, 1, 2, 3, 4}) Send(s, kT0 + core::kDay + core::kMinute, {core::HeartbeatReading{300}});

  ASSERT_TRUE(WaitUntil([&] { return ClearedInDatabase() == 5 && ActiveInDatabase() == 1; }, std::chrono::seconds(30)))
      << Alarms("owner", "status=active").dump(1);
  const auto all = Alarms("owner", "");
  EXPECT_EQ(all.size(), expected.size() + 1);
  for (const auto& [s, kind] : expected) {
    if (s == 5) continue;
    const auto alarm = Find(all, s, kind);
    EXPECT_EQ(alarm["status"], "closed") << alarm;
    EXPECT_EQ(alarm["closed_by"], "fieldproof") << alarm;
    EXPECT_FALSE(alarm["clear_evidence"].empty()) << alarm;
  }
  const auto again = Alarms("owner", "status=active");
  EXPECT_EQ(again[0]["asset_id"], sensors[5]);
  EXPECT_EQ(again[0]["kind"], "battery_low");
  const auto metrics = HttpGet(gateway->HttpPort(), "/metrics", tokens["admin"]).body;
  EXPECT_NE(metrics.find("fieldproof_alarms_raised_total 7"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("fieldproof_alarms_cleared_total 5"), std::string::npos);
}

}  // namespace
}  // namespace fieldproof::testing
