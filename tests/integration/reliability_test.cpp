// Backpressure and outages end to end (docs/reliability.md): a store that fails like a
// full disk pauses intake visibly and loses nothing; a handheld offline for hours
// delivers its whole outbox once, verified at the times the taps were made.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "gateway/core/timestamp.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

// A token for /metrics.
std::string AdminToken(const ScratchDir& dir, const std::string& db) {
  const auto created = RunToCompletion(
      {FIELDPROOF_CLI_BIN, "--db", db, "token", "create", "--name", "ops", "--role", "admin"}, dir);
  EXPECT_EQ(created.exit_code, 0) << created.out;
  return created.out.substr(0, created.out.find('\n'));
}

class ReliabilityTest : public SiteTest {
 protected:

  // Polls until everything good the simulator sent is stored.
  DbCounts WaitForStored(const nlohmann::json& sent, std::chrono::seconds timeout) {
    return WaitForRows(db, sent["taps"].get<std::int64_t>(), sent["telemetry"].get<std::int64_t>(), 0,
                       timeout);
  }
};

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(ReliabilityTest, FullDiskPausesIntakeVisiblyAndNothingIsLostWhenSpaceReturns) {
  const std::string disk_full = dir / "disk-full";
  std::ofstream(disk_full) << "while this file exists, every transaction fails\n";
  ::setenv("FIELDPROOF_FAULT_STORE_FULL", disk_full.c_str(), 1);
  Gateway gateway(dir, broker, {"--max-in-flight", "200"});
  ::unsetenv("FIELDPROOF_FAULT_STORE_FULL");
  const std::string token = AdminToken(dir, db);
  const int port = gateway.HttpPort();

  // The broker accepts everything and keeps it for the gateway, which takes 200 and waits.
  const auto sent = RunSim(dir, broker, {"--messages", "3000", "--garbage-ratio", "0.02"});
  ASSERT_TRUE(sent["all_acknowledged"].get<bool>());
  EXPECT_TRUE(WaitUntil([&] { return Contains(HttpGet(port, "/metrics", token).body, "fieldproof_intake_in_flight 200"); },
                        std::chrono::seconds(20)));
  const HttpResult paused = HttpGet(port, "/healthz");
  EXPECT_EQ(paused.status, 503) << paused.body;
  EXPECT_TRUE(Contains(paused.body, "intake_paused")) << paused.body;
  EXPECT_TRUE(Contains(paused.body, "database or disk is full")) << paused.body;
  const std::string metrics = HttpGet(port, "/metrics", token).body;
  EXPECT_TRUE(Contains(metrics, "fieldproof_intake_paused 1")) << metrics;
  EXPECT_TRUE(Contains(metrics, "fieldproof_intake_in_flight 200")) << metrics;
  EXPECT_FALSE(Contains(metrics, "fieldproof_store_errors_total 0\n")) << metrics;
  const DbCounts during = CountRows(db);
  EXPECT_EQ(during.taps + during.telemetry + during.rejected, 0);
  EXPECT_TRUE(WaitForText(gateway.log(), "intake paused", std::chrono::seconds(1)));

  std::filesystem::remove(disk_full);  // Space again.
  DbCounts stored = WaitForStored(sent, std::chrono::seconds(60));
  EXPECT_TRUE(WaitUntil([&] { return HttpGet(port, "/healthz").status == 200; }, std::chrono::seconds(20)));
  const HttpResult healthy = HttpGet(port, "/healthz");
  EXPECT_EQ(healthy.status, 200) << healthy.body;
  EXPECT_TRUE(Contains(HttpGet(port, "/metrics", token).body, "fieldproof_intake_paused 0"));
  ASSERT_EQ(gateway.Stop(), 0);
  stored = CountRows(db);
  EXPECT_EQ(stored.taps, sent["taps"].get<std::int64_t>());
  EXPECT_EQ(stored.telemetry, sent["telemetry"].get<std::int64_t>());
  EXPECT_EQ(stored.rejected, sent["garbage"].get<std::int64_t>());
}

// The durability boundary itself: Paho answers PUBACK only after the message callback has
// returned, and the callback returns only once the journal has the message. Paused by a full
// disk, the gateway has journaled 200 messages and is blocked before journaling the 201st;
// killed there, it must get that one (and the rest) from the broker again, and the 200 from
// its journal.
TEST_F(ReliabilityTest, KilledWhileIntakeIsPausedLosesNothing) {
  const std::string disk_full = dir / "disk-full";
  std::ofstream(disk_full) << "while this file exists, every transaction fails\n";
  ::setenv("FIELDPROOF_FAULT_STORE_FULL", disk_full.c_str(), 1);
  Gateway gateway(dir, broker, {"--max-in-flight", "200"});
  ::unsetenv("FIELDPROOF_FAULT_STORE_FULL");
  const auto sent = RunSim(dir, broker, {"--messages", "3000", "--no-repairs"});
  ASSERT_TRUE(sent["all_acknowledged"].get<bool>());
  ASSERT_TRUE(WaitForText(gateway.log(), "intake paused", std::chrono::seconds(10)));
  gateway.Kill();
  EXPECT_EQ(CountRows(db).taps + CountRows(db).telemetry, 0);

  std::filesystem::remove(disk_full);
  gateway.Start();  // Without the fault.
  EXPECT_TRUE(WaitForText(gateway.log(), "journal: 200 message(s) handed on again", std::chrono::seconds(10)))
      << ReadText(gateway.log());
  WaitForStored(sent, std::chrono::seconds(60));
  ASSERT_EQ(gateway.Stop(), 0);
  const DbCounts stored = CountRows(db);
  EXPECT_EQ(stored.taps, sent["taps"].get<std::int64_t>());
  EXPECT_EQ(stored.telemetry, sent["telemetry"].get<std::int64_t>());
  EXPECT_EQ(stored.rejected, 0);
}

TEST_F(ReliabilityTest, SlowStoreThrottlesIntakeAndDropsNothing) {
  ::setenv("FIELDPROOF_FAULT_STORE_DELAY_MS", "40", 1);
  Gateway gateway(dir, broker, {"--max-in-flight", "100", "--max-batch", "50"});
  ::unsetenv("FIELDPROOF_FAULT_STORE_DELAY_MS");
  // 25 transactions a second of at most 50: about 1,250 messages a second at best.
  const auto sent = RunSim(dir, broker, {"--messages", "4000"});
  const DbCounts stored = WaitForStored(sent, std::chrono::seconds(60));
  ASSERT_EQ(gateway.Stop(), 0);
  EXPECT_EQ(stored.taps, sent["taps"].get<std::int64_t>());
  EXPECT_EQ(stored.telemetry, sent["telemetry"].get<std::int64_t>());
}

TEST_F(ReliabilityTest, HandheldOfflineForHoursDeliversEveryTapOnceVerifiedAtItsOriginalTime) {
  Gateway gateway(dir, broker, VerifyingGatewayArgs(dir));
  const double offline_hours = 100;
  const auto sent = RunSim(dir, broker, {"--messages", "30000", "--offline-hours", "100", "--no-repairs", "--rate", "3000"});
  ASSERT_TRUE(sent["all_acknowledged"].get<bool>());
  const std::string device = sent["offline_device"];
  const std::int64_t held = sent["held_offline"];
  EXPECT_GE(held, 1500) << "the outbox should hold thousands of taps";
  const std::int64_t expected = sent["taps"].get<std::int64_t>() + sent["telemetry"].get<std::int64_t>();
  // The outbox arrives all at once: the gateway takes a while to catch up
  // (docs/reliability.md, the broker's in-flight limit).
  const DbCounts stored = WaitForStored(sent, std::chrono::seconds(180));
  ASSERT_EQ(stored.taps + stored.telemetry, expected);
  store::Database database(db);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (database.QueryInt("SELECT count(*) FROM taps WHERE assessed = 0") > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(gateway.Stop(), 0);

  const core::UnixMillis outage_end = *core::ParseRfc3339("2026-11-02T06:00:00Z") +
                                      static_cast<core::UnixMillis>(offline_hours * 3600 * 1000);
  auto count = [&](const std::string& sql) {
    auto s = database.Prepare(sql);
    s.Bind(1, device).Bind(2, outage_end);
    s.Step();
    return s.Int(0);
  };
  // Every tap from the outbox once, none refused.
  EXPECT_EQ(count("SELECT count(*) FROM taps WHERE device_id = ?1 AND sent_at < ?2"), held);
  EXPECT_EQ(count("SELECT count(DISTINCT msg_id) FROM taps WHERE device_id = ?1 AND sent_at < ?2"), held);
  EXPECT_EQ(database.QueryInt("SELECT count(*) FROM rejected_messages"), 0);
  // Assessed at the times they were made, within the outage, though every one of them was
  // stored after taps that other handhelds made once the outage was over.
  const std::int64_t inspections = count("SELECT count(*) FROM inspections WHERE device_id = ?1 AND ended_at < ?2");
  EXPECT_GE(inspections * 2, held - 2);
  EXPECT_EQ(count("SELECT count(*) FROM inspections WHERE device_id = ?1 AND ended_at < ?2 "
                  "AND verdict IN ('verified', 'verified_with_defects')"),
            inspections);
  EXPECT_EQ(count("SELECT count(*) FROM inspections i JOIN taps t ON t.id = i.end_tap_id "
                  "WHERE i.device_id = ?1 AND i.ended_at = t.read_at AND i.ended_at < ?2 "
                  "AND t.id > (SELECT min(id) FROM taps WHERE read_at > ?2)"),
            inspections);
}

// While the gateway is away the broker keeps at most max_queued_messages for it and drops the
// rest. Those readings are lost after the broker accepted them; the gateway must say so, in
// its log and in /metrics, as soon as it is back.
TEST(BrokerDropsTest, WhatTheBrokerDroppedForTheAbsentGatewayIsReported) {
  ScratchDir dir;
  Broker broker(dir, {"max_queued_messages 100", "sys_interval 1"});
  const std::string db = dir / "fieldproof.db";
  ImportSite(dir, db);
  Gateway gateway(dir, broker);
  ASSERT_EQ(gateway.Stop(), 0);
  const auto sent = RunSim(dir, broker, {"--messages", "500"});
  ASSERT_TRUE(sent["all_acknowledged"].get<bool>());  // The broker took every one...
  gateway.Start();                                    // ...and kept 100 for the gateway.
  EXPECT_TRUE(WaitForText(gateway.log(), "the broker dropped 400 message(s)", std::chrono::seconds(10)))
      << ReadText(gateway.log());
  const std::string metrics = HttpGet(gateway.HttpPort(), "/metrics", AdminToken(dir, db)).body;
  EXPECT_TRUE(Contains(metrics, "fieldproof_broker_dropped_messages_total 400")) << metrics;
  auto stored = [&db] { const DbCounts c = CountRows(db); return c.taps + c.telemetry; };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (stored() < 100 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(gateway.Stop(), 0);
  EXPECT_EQ(stored(), 100);
}

}  // namespace
}  // namespace fieldproof::testing
