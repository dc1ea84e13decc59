// Notifications from a real gateway: a webhook receiver started by the test on loopback (down
// at first, then up), and Debian's aiosmtpd as the site's SMTP relay. Every event is delivered
// once per subscription, signed, retried after the receiver was down, kept across a gateway
// restart, and only to the subscriptions whose owner it concerns.
#include <gtest/gtest.h>

#include <mqtt/async_client.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

const core::UnixMillis kT0 = *core::ParseRfc3339("2026-11-02T06:00:00Z");

// A webhook receiver: records each POST and answers 200. Not listening until Start().
class WebhookReceiver {
 public:
  struct Received {
    std::map<std::string, std::string> headers;
    std::string body;
  };
  explicit WebhookReceiver(int port) : port_(port) {}
  ~WebhookReceiver() { Stop(); }

  void Start() {
    acceptor_.emplace(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)));
    thread_ = std::thread([this] { Serve(); });
  }
  // A blocking accept is not woken by closing the acceptor: a last connection wakes it.
  void Stop() {
    if (!acceptor_) return;
    stopping_ = true;
    asio::io_context io;
    asio::ip::tcp::socket wake(io);
    boost::system::error_code ignored;
    wake.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)}, ignored);
    thread_.join();
    acceptor_.reset();
  }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void Serve() {
    while (true) {
      asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_->accept(socket, ec);
      if (ec || stopping_) return;
      beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) continue;
      Received r;
      for (const auto& field : request) r.headers[std::string(field.name_string())] = std::string(field.value());
      r.body = request.body();
      {
        std::lock_guard lock(mutex_);
        received_.push_back(std::move(r));
      }
      http::response<http::string_body> response(http::status::ok, 11);
      response.body() = "{\"ok\":true}";
      response.prepare_payload();
      http::write(socket, response, ec);
    }
  }

  int port_;
  asio::io_context io_;
  std::optional<asio::ip::tcp::acceptor> acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<Received> received_;
};

class NotificationTest : public SiteTest {
 protected:
  void SetUp() override {
    SiteTest::SetUp();
    maildir = dir / "mail";
    smtp = std::make_unique<Process>(std::vector<std::string>{AIOSMTPD_PYTHON, "-m", "aiosmtpd", "-n", "-l",
                                                              "127.0.0.1:" + std::to_string(smtp_port), "-c",
                                                              "aiosmtpd.handlers.Mailbox", maildir},
                                     dir / "smtp.log");
    args = VerifyingGatewayArgs(dir);
    args.insert(args.end(), {"--smtp-url", "smtp://127.0.0.1:" + std::to_string(smtp_port), "--smtp-from",
                             "fieldproof@airport.example"});
    std::ofstream(dir / "hook.secret") << kSecret << "\n";
    store::Database database(db);
    auto s = database.Prepare(
        "SELECT asset_id FROM assets WHERE sensor_equipped AND asset_type = 'fire_shutter' AND owner_id = 'OWN-FRA' "
        "ORDER BY asset_id LIMIT 2");
    while (s.Step()) sensors.push_back(s.Text(0));
    ASSERT_EQ(sensors.size(), 2u);
  }

  RunResult Cli(std::vector<std::string> args_) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db};
    argv.insert(argv.end(), args_.begin(), args_.end());
    return RunToCompletion(argv, dir);
  }
  void Send(mqtt::async_client& client, const std::string& asset, core::UnixMillis at, std::vector<core::Reading> readings) {
    const core::Telemetry t{asset + "-" + std::to_string(at), asset, "FRA", at, std::nullopt, std::move(readings)};
    client.publish(core::TelemetryTopic("FRA", asset), codec::EncodeTelemetry(t), 1, false)->wait();
  }
  std::int64_t Count(const std::string& sql) { return store::Database(db).QueryInt(sql); }
  std::vector<std::string> Mails() {
    std::vector<std::string> mails;
    if (!std::filesystem::exists(maildir + "/new")) return mails;
    for (const auto& f : std::filesystem::directory_iterator(maildir + "/new")) mails.push_back(ReadText(f.path()));
    return mails;
  }

  static constexpr const char* kSecret = "a-webhook-secret-of-some-length";
  int hook_port = FreeLoopbackPort();
  int smtp_port = FreeLoopbackPort();
  std::string maildir;
  std::unique_ptr<Process> smtp;
  std::vector<std::string> args;
  std::vector<std::string> sensors;
};

TEST_F(NotificationTest, EveryEventReachesItsSubscribersOnceSignedAndAfterTheReceiverWasDown) {
  const std::string hook = "http://127.0.0.1:" + std::to_string(hook_port) + "/fieldproof";
  ASSERT_EQ(Cli({"subscription", "add", "--name", "FM control room", "--customer", "OWN-FRA", "--events",
                 "alarm_raised,work_order_opened", "--webhook", hook, "--secret-file", dir / "hook.secret"})
                .exit_code, 0);
  // The day's digest goes out from hour 0 (UTC): at once.
  ASSERT_EQ(Cli({"subscription", "add", "--name", "FM digest", "--customer", "OWN-FRA", "--events", "due_digest",
                 "--digest-hour", "0", "--webhook", hook, "--secret-file", dir / "hook.secret"})
                .exit_code, 0);
  ASSERT_EQ(Cli({"subscription", "add", "--name", "ACME dispatch", "--every-customer", "--events", "alarm_raised",
                 "--email", "dispatch@acme.example"})
                .exit_code, 0);
  ASSERT_EQ(Cli({"subscription", "add", "--name", "tenant", "--customer", "OWN-TNT", "--events", "alarm_raised",
                 "--webhook", hook, "--secret-file", dir / "hook.secret"})
                .exit_code, 0);
  // Bad subscriptions are refused with their reason.
  const auto ftp = Cli({"subscription", "add", "--name", "x", "--every-customer", "--events", "alarm_raised",
                        "--webhook", "ftp://example.com/x"});
  EXPECT_EQ(ftp.exit_code, 2);
  EXPECT_NE(ftp.out.find("must start with https:// or http://"), std::string::npos) << ftp.out;
  EXPECT_NE(Cli({"subscription", "add", "--name", "x", "--every-customer", "--events", "fire", "--email", "a@b.example"})
                .out.find("no event 'fire'"), std::string::npos);
  EXPECT_NE(Cli({"subscription", "add", "--name", "x", "--every-customer", "--events", "alarm_raised", "--email",
                 "not-an-address"}).out.find("not an e-mail address"), std::string::npos);

  // The receiver is down: a low battery and a slow closure (which opens a work order) are raised.
  auto gateway = std::make_unique<Gateway>(dir, broker, args);
  mqtt::async_client sensor(broker.uri(), "sensor-notify-test");
  sensor.connect()->wait();
  Send(sensor, sensors[0], kT0, {core::BatteryReading{9}});
  Send(sensor, sensors[1], kT0 + core::kMinute, {core::StateReading{core::ShutterState::kClosed},
                                                 core::ClosingDurationReading{50000}});
  ASSERT_TRUE(WaitUntil([&] { return Count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts > 0") == 4; },
                        std::chrono::seconds(30)))
      << ReadText(gateway->log());
  EXPECT_EQ(Count("SELECT count(*) FROM deliveries"), 6) << "3 webhooks and a digest, 2 e-mails; none for the tenant";
  EXPECT_EQ(Count("SELECT count(*) FROM deliveries WHERE status = 'delivered'"), 2) << "the e-mails went out";
  const auto log = Cli({"notification", "log", "--status", "pending"});
  EXPECT_NE(log.out.find("last error: "), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("4 deliveries"), std::string::npos) << log.out;

  // A restart in between: the queue is in the database.
  EXPECT_EQ(gateway->Stop(), 0);
  WebhookReceiver receiver(hook_port);
  receiver.Start();
  gateway = std::make_unique<Gateway>(dir, broker, args);
  ASSERT_TRUE(WaitUntil([&] { return Count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 6; },
                        std::chrono::seconds(90)))
      << Cli({"notification", "log"}).out;

  const auto got = receiver.received();
  ASSERT_EQ(got.size(), 4u) << "each event once";
  std::set<std::string> keys;
  for (const auto& r : got) {
    const auto& h = r.headers;
    const std::string expected = "sha256=" + crypto::HmacSha256Hex(kSecret, h.at("X-Fieldproof-Timestamp") + "." + r.body);
    EXPECT_EQ(h.at("X-Fieldproof-Signature"), expected);
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["key"], h.at("Idempotency-Key"));
    EXPECT_EQ(body["event"], h.at("X-Fieldproof-Event"));
    if (body["event"] == "due_digest") {
      EXPECT_TRUE(body["site"].is_null()) << "a digest covers the customer's sites";
    } else {
      EXPECT_EQ(body["site"], "FRA");
    }
    keys.insert(h.at("Idempotency-Key"));
  }
  EXPECT_EQ(keys.size(), 4u);
  std::int64_t work_orders = 0;
  for (const auto& k : keys) work_orders += k.starts_with("work-order-");
  EXPECT_EQ(work_orders, 1);
  for (const auto& r : got) {
    if (r.headers.at("X-Fieldproof-Event") != "due_digest") continue;
    const auto digest = nlohmann::json::parse(r.body);
    ASSERT_EQ(digest["data"]["sites"].size(), 1u) << "OWN-FRA's one site";
    const auto& fra = digest["data"]["sites"][0];
    EXPECT_EQ(fra["site"], "FRA");
    EXPECT_EQ(fra["overdue_count"].get<std::int64_t>(),
              fra["counts"]["overdue"].get<std::int64_t>() + fra["counts"]["never_inspected"].get<std::int64_t>());
    EXPECT_NE(digest["title"].get<std::string>().find("overdue"), std::string::npos);
  }

  const auto mails = Mails();
  ASSERT_EQ(mails.size(), 2u) << "an e-mail per alarm";
  for (const auto& mail : mails) {
    EXPECT_NE(mail.find("To: <dispatch@acme.example>"), std::string::npos) << mail;
    EXPECT_NE(mail.find("Subject: =?UTF-8?B?"), std::string::npos);
    EXPECT_NE(mail.find("\"event\": \"alarm_raised\""), std::string::npos) << mail;
  }

  // An admin replays a delivery: the same key again.
  const auto delivered = nlohmann::json::parse(Cli({"notification", "log", "--json"}).out)["items"];
  std::int64_t webhook_delivery = 0;
  for (const auto& d : delivered) {
    if (d["subscription"] == "FM control room") webhook_delivery = d["id"];
  }
  ASSERT_EQ(Cli({"notification", "replay", std::to_string(webhook_delivery)}).exit_code, 0);
  ASSERT_TRUE(WaitUntil([&] { return receiver.received().size() == 5; }, std::chrono::seconds(30)));
  EXPECT_TRUE(keys.contains(receiver.received().back().headers.at("Idempotency-Key")));
  EXPECT_EQ(Cli({"notification", "replay", "999999"}).exit_code, 1);
  EXPECT_EQ(gateway->Stop(), 0);
  sensor.disconnect()->wait();
}

}  // namespace
}  // namespace fieldproof::testing
