// The ingest spine end to end: simulator -> mosquitto -> gateway -> SQLite, with exact
// counts. The simulator's summary says what it sent; the database must hold exactly
// the good messages once each and every bad one with its reason.
#include <gtest/gtest.h>
#include <mqtt/async_client.h>
#include <signal.h>

#include <random>
#include <sstream>
#include <set>
#include <thread>

#include "gateway/codec/message_codec.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

void ExpectExactly(const nlohmann::json& sent, DbCounts stored) {
  EXPECT_EQ(stored.taps, sent["taps"].get<std::int64_t>());
  EXPECT_EQ(stored.telemetry, sent["telemetry"].get<std::int64_t>());
  EXPECT_EQ(stored.rejected, sent["garbage"].get<std::int64_t>());
  for (const auto& [reason, count] : sent["garbage_by_reason"].items()) {
    EXPECT_EQ(stored.rejected_by_reason[reason], count.get<std::int64_t>()) << reason;
  }
  EXPECT_TRUE(sent["all_acknowledged"].get<bool>());
}

// The gateway has taken everything the simulator sent (the broker holds it until then).
void AwaitAll(const std::string& db, const nlohmann::json& sent) {
  WaitForRows(db, sent["taps"].get<std::int64_t>(), sent["telemetry"].get<std::int64_t>(),
              sent.value("garbage", std::int64_t{0}));
}

class IngestTest : public SiteTest {};

TEST_F(IngestTest, StoresEveryGoodMessageOnce) {
  Gateway gateway(dir, broker);
  const auto sent = RunSim(dir, broker, {"--messages", "3000"});
  AwaitAll(db, sent);
  ASSERT_EQ(gateway.Stop(), 0);
  ASSERT_EQ(sent["taps"].get<int>() + sent["telemetry"].get<int>(), 3000);
  EXPECT_GT(sent["taps"].get<int>(), 100);
  EXPECT_GT(sent["telemetry"].get<int>(), 100);
  ExpectExactly(sent, CountRows(db));
}

TEST_F(IngestTest, DuplicatesAndGarbageInterleavedGiveExactCounts) {
  Gateway gateway(dir, broker);
  const auto sent = RunSim(
      dir, broker, {"--messages", "4000", "--duplicate-ratio", "0.25", "--garbage-ratio", "0.1"});
  AwaitAll(db, sent);
  ASSERT_EQ(gateway.Stop(), 0);
  EXPECT_GT(sent["duplicates"].get<int>(), 500);
  // Every kind of garbage the simulator makes was exercised.
  EXPECT_EQ(sent["garbage_by_reason"].size(), 8u);
  ExpectExactly(sent, CountRows(db));
}

TEST_F(IngestTest, DroppedHandheldLinksResendWithoutDoubleStoring) {
  Gateway gateway(dir, broker);
  const auto sent = RunSim(dir, broker,
                           {"--messages", "4000", "--drop-connection-every", "700",
                            "--garbage-ratio", "0.05"});
  AwaitAll(db, sent);
  ASSERT_EQ(gateway.Stop(), 0);
  EXPECT_GT(sent["sent_after_reconnect"].get<int>(), 0);
  ExpectExactly(sent, CountRows(db));
}

std::int64_t StoredRows(const std::string& db) {
  const DbCounts c = CountRows(db);
  return c.taps + c.telemetry + c.rejected;
}

std::int64_t SentRows(const nlohmann::json& sent) {
  return sent["taps"].get<std::int64_t>() + sent["telemetry"].get<std::int64_t>() +
         sent.value("garbage", std::int64_t{0});
}

TEST_F(IngestTest, GatewayRestartMidStreamLosesNothing) {
  Gateway gateway(dir, broker);
  std::int64_t stored_at_stop = -1;
  std::thread restarter([&] {
    EXPECT_TRUE(WaitUntil([&] { return StoredRows(db) >= 500; }, std::chrono::seconds(60)));
    EXPECT_EQ(gateway.Stop(), 0);  // Drains what it has; the broker queues the rest.
    stored_at_stop = StoredRows(db);
    gateway.Start();
  });
  const auto sent = RunSim(dir, broker, {"--messages", "5000", "--rate", "2500",
                                         "--duplicate-ratio", "0.1", "--garbage-ratio", "0.05"});
  restarter.join();
  AwaitAll(db, sent);
  ASSERT_EQ(gateway.Stop(), 0);
  ExpectExactly(sent, CountRows(db));
  EXPECT_LT(stored_at_stop, SentRows(sent)) << "the gateway must stop mid-stream";
}

TEST_F(IngestTest, BrokerRestartKeepsWhatItQueuedForTheStoppedGateway) {
  Gateway gateway(dir, broker);
  const auto first = RunSim(dir, broker, {"--messages", "1500"});
  ASSERT_EQ(gateway.Stop(), 0);
  // The gateway is away: the broker queues the next 1500 for its persistent session...
  const auto second = RunSim(dir, broker, {"--messages", "1500", "--skip", "1500"});
  broker.Restart();  // ...and must still have them after a restart (persistence on).
  gateway.Start();
  WaitForRows(db, first["taps"].get<int>() + second["taps"].get<int>(),
              first["telemetry"].get<int>() + second["telemetry"].get<int>(), 0);
  ASSERT_EQ(gateway.Stop(), 0);
  const DbCounts stored = CountRows(db);
  EXPECT_EQ(stored.taps, first["taps"].get<int>() + second["taps"].get<int>());
  EXPECT_EQ(stored.telemetry, first["telemetry"].get<int>() + second["telemetry"].get<int>());
  EXPECT_EQ(stored.rejected, 0);
}

TEST_F(IngestTest, BrokerRestartMidStreamLosesNothing) {
  Gateway gateway(dir, broker);
  std::int64_t stored_at_restart = -1;
  std::thread restarter([&] {
    EXPECT_TRUE(WaitUntil([&] { return StoredRows(db) >= 500; }, std::chrono::seconds(60)));
    stored_at_restart = StoredRows(db);
    broker.Restart();  // Persistence on: queued messages survive; both clients reconnect.
  });
  const auto sent = RunSim(dir, broker, {"--messages", "5000", "--rate", "2500",
                                         "--garbage-ratio", "0.05"});
  restarter.join();
  AwaitAll(db, sent);
  ASSERT_EQ(gateway.Stop(), 0);
  ExpectExactly(sent, CountRows(db));
  EXPECT_LT(stored_at_restart, SentRows(sent)) << "the broker must restart mid-stream";
}

TEST_F(IngestTest, IntakeSlowsButDropsNothingWithATinyInFlightWindow) {
  Gateway gateway(dir, broker, {"--max-in-flight", "4", "--max-batch", "2"});
  const auto sent =
      RunSim(dir, broker, {"--messages", "2000", "--garbage-ratio", "0.05"});
  AwaitAll(db, sent);
  ASSERT_EQ(gateway.Stop(), 0);
  ExpectExactly(sent, CountRows(db));
}

TEST_F(IngestTest, RejectedSenderReceivesANoticeWithTheReason) {
  Gateway gateway(dir, broker);
  mqtt::async_client handheld(broker.uri(), "HH-9999");
  handheld.connect()->wait();
  const std::string topic = "fieldproof/v1/FRA/tap/HH-9999";
  handheld.start_consuming();
  handheld.subscribe(topic + "/notice", 1)->wait();
  handheld.publish(topic, std::string(R"({"msg_id":"m-1","device_id":"HH-9999",)"), 1, false)
      ->wait();

  mqtt::const_message_ptr notice;
  ASSERT_TRUE(handheld.try_consume_message_for(&notice, std::chrono::seconds(10)));
  const auto decoded = codec::DecodeRejectionNotice(notice->get_payload_str());
  ASSERT_TRUE(decoded.ok()) << notice->get_payload_str();
  EXPECT_EQ(decoded.value().reason, core::RejectReason::kMalformedJson);
  EXPECT_EQ(decoded.value().topic, topic);
  EXPECT_FALSE(decoded.value().msg_id.has_value());  // Unreadable JSON has no readable id.
  handheld.disconnect()->wait();
  ASSERT_EQ(gateway.Stop(), 0);

  DbCounts stored = CountRows(db);
  EXPECT_EQ(stored.rejected, 1);
  EXPECT_EQ(stored.rejected_by_reason["malformed_json"], 1);
}

}  // namespace
}  // namespace fieldproof::testing

namespace fieldproof::testing {
namespace {

// Random bytes of random sizes on valid and invalid topics: the gateway stays up, keeps
// every one with a reason, and the good messages around them are stored.
TEST_F(IngestTest, SurvivesRandomBytesAndKeepsTheGoodMessagesAroundThem) {
  Gateway gateway(dir, broker);
  mqtt::async_client attacker(broker.uri(), "HH-6666");
  attacker.connect()->wait();
  std::mt19937 rng(1234);
  const std::vector<std::string> topics = {
      "fieldproof/v1/FRA/tap/HH-6666", "fieldproof/v1/FRA/telemetry/FRA-T1-F0-FS-00001",
      "fieldproof/v1/FRA/taps/HH-6666", "fieldproof/v1/%%%/tap/HH-6666",
      "fieldproof/v1/FRA/tap/HH-6666/extra/levels"};  // Last: not subscribed, never seen.
  int sent_to_subscribed = 0;
  std::set<std::pair<std::string, std::string>> distinct;
  for (int i = 0; i < 300; ++i) {
    std::string payload(rng() % (i % 10 == 0 ? 40000 : 300), '\0');
    for (char& c : payload) c = static_cast<char>(rng());
    if (i % 7 == 0) payload = "{\"msg_id\":" + std::to_string(i);  // Truncated JSON.
    const std::string& topic = topics[rng() % topics.size()];
    attacker.publish(topic, payload, 1, false)->wait();
    if (topic.find("/extra/") == std::string::npos) {
      ++sent_to_subscribed;
      distinct.emplace(topic, payload);
    }
  }
  attacker.disconnect()->wait();
  const auto good = RunSim(dir, broker, {"--messages", "500"});
  ASSERT_EQ(gateway.Stop(), 0);  // Still alive, and shuts down cleanly.

  DbCounts stored = CountRows(db);
  EXPECT_EQ(stored.taps, good["taps"].get<int>());
  EXPECT_EQ(stored.telemetry, good["telemetry"].get<int>());
  EXPECT_EQ(stored.rejected, static_cast<std::int64_t>(distinct.size()));
  store::Database database(db);
  EXPECT_EQ(database.QueryInt("SELECT sum(times_seen) FROM rejected_messages"), sent_to_subscribed);
  EXPECT_EQ(database.QueryInt("SELECT count(*) FROM rejected_messages WHERE length(payload) > 4096"),
            0);
}

}  // namespace
}  // namespace fieldproof::testing

namespace fieldproof::testing {
namespace {

// A handheld app killed while the broker is not answering: what it had queued but not
// seen acknowledged is in its outbox journal and is delivered after it restarts.
TEST_F(IngestTest, KilledHandheldDeliversItsOutboxAfterRestart) {
  Gateway gateway(dir, broker);
  const std::string outbox = dir / "outbox.journal";
  Process sim(SimArgv(broker, {"--messages", "3000", "--rate", "1500", "--outbox", outbox}),
              dir / "sim-killed.log");
  auto journaled = [&] {
    std::int64_t n = 0;
    std::istringstream journal(ReadText(outbox));
    for (std::string line; std::getline(journal, line);) n += !line.empty() && line[0] == '+';
    return n;
  };
  ASSERT_TRUE(WaitUntil([&] { return StoredRows(db) >= 300; }, std::chrono::seconds(60)));
  broker.Signal(SIGSTOP);  // Stops acknowledging; the outbox fills.
  const std::int64_t before = journaled();
  EXPECT_TRUE(WaitUntil([&] { return journaled() >= before + 100; }, std::chrono::seconds(30)));
  sim.Signal(SIGKILL);
  sim.Wait(std::chrono::seconds(10));
  broker.Signal(SIGCONT);

  // Every message the app generated was journaled before it was sent.
  const std::int64_t generated = journaled();
  ASSERT_GT(generated, 0);
  const auto resumed = RunSim(dir, broker, {"--messages", "1", "--skip", std::to_string(generated),
                                            "--outbox", outbox});
  EXPECT_GT(resumed["recovered_from_outbox"].get<int>(), 0);
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
       std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(100))) {
    const DbCounts now = CountRows(db);
    if (now.taps + now.telemetry >= generated + 1) break;
  }
  ASSERT_EQ(gateway.Stop(), 0);
  const DbCounts stored = CountRows(db);
  EXPECT_EQ(stored.taps + stored.telemetry, generated + 1);
  EXPECT_EQ(stored.rejected, 0);
}

}  // namespace
}  // namespace fieldproof::testing
