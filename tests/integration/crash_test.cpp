// Crashes while the stream runs: the gateway killed with SIGKILL at random moments and
// restarted, the broker restarted (persistence on) mid-stream. Every message the broker
// accepted must be in the database exactly once (docs/reliability.md).
// The suite runs a short variant; ops/crash-test.sh sets FIELDPROOF_CRASH_MESSAGES,
// FIELDPROOF_CRASH_KILLS and FIELDPROOF_CRASH_BROKER_RESTARTS for the long one.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <random>
#include <regex>
#include <thread>

#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value ? std::atoi(value) : fallback;
}

// "journal: N message(s) received before the last stop" over every run of the gateway.
int ReplayedFromJournal(const std::vector<std::string>& logs) {
  static const std::regex replay(R"(journal: (\d+) message\(s\) received before the last stop)");
  int total = 0;
  for (const auto& log : logs) {
    const std::string text = ReadText(log);
    for (std::sregex_iterator it(text.begin(), text.end(), replay), end; it != end; ++it) {
      total += std::stoi((*it)[1]);
    }
  }
  return total;
}

TEST(CrashTest, KilledGatewayAndRestartedBrokerLoseNothingAndStoreNothingTwice) {
  const int messages = EnvInt("FIELDPROOF_CRASH_MESSAGES", 20000);
  const int kills = EnvInt("FIELDPROOF_CRASH_KILLS", 4);
  const int broker_restarts = EnvInt("FIELDPROOF_CRASH_BROKER_RESTARTS", 1);
  const unsigned seed = static_cast<unsigned>(EnvInt("FIELDPROOF_CRASH_SEED", 7));
  const int publish_qos = EnvInt("FIELDPROOF_CRASH_PUBLISH_QOS", 1);
  const int drain_minutes = EnvInt("FIELDPROOF_CRASH_DRAIN_MINUTES", 3);
  const int rate = EnvInt("FIELDPROOF_CRASH_RATE", 0);  // Messages/s; 0: as fast as possible.

  ScratchDir dir;
  Broker broker(dir);
  const std::string db = dir / "fieldproof.db";
  ImportSite(dir, db);
  Gateway gateway(dir, broker);
  std::vector<std::string> logs = {gateway.log()};

  // Kills at random moments (0.2 to 1.2 s apart, or spread over the stream when it has a
  // rate), while the simulator streams and afterwards while the gateway drains the
  // broker's backlog; broker restarts in between.
  std::thread chaos([&] {
    std::mt19937 rng(seed);
    const int mean_ms = rate > 0 ? messages * 1000 / rate / (kills + broker_restarts + 1) : 700;
    std::uniform_int_distribution<int> pause_ms(mean_ms / 3, mean_ms * 5 / 3);
    std::vector<bool> restart_broker(static_cast<std::size_t>(kills), false);
    restart_broker.insert(restart_broker.end(), static_cast<std::size_t>(broker_restarts), true);
    std::shuffle(restart_broker.begin(), restart_broker.end(), rng);
    for (const bool broker_turn : restart_broker) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
      if (broker_turn) {
        broker.Restart();
      } else {
        gateway.Kill();
        gateway.Start();
        logs.push_back(gateway.log());
      }
    }
  });
  const auto start = std::chrono::steady_clock::now();
  const auto sent = RunSim(dir, broker, {"--messages", std::to_string(messages), "--duplicate-ratio",
                                         "0.02", "--garbage-ratio", "0.01", "--window", "2000",
                                         "--qos", std::to_string(publish_qos), "--rate",
                                         std::to_string(rate)});
  chaos.join();
  ASSERT_TRUE(sent["all_acknowledged"].get<bool>()) << "the broker did not accept everything";
  const std::int64_t expected = sent["taps"].get<std::int64_t>() + sent["telemetry"].get<std::int64_t>();
  ASSERT_EQ(expected, messages);

  // The last gateway takes the rest of the backlog.
  DbCounts stored;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(drain_minutes);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stored = CountRows(db);
  } while (stored.taps + stored.telemetry < expected && std::chrono::steady_clock::now() < deadline);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // Anything stored twice would show now.
  ASSERT_EQ(gateway.Stop(), 0);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  stored = CountRows(db);

  // Exactly once: the unique keys make "twice" impossible for taps and telemetry, so
  // equal counts mean every accepted message is there; rejected ones are counted by reason.
  EXPECT_EQ(stored.taps, sent["taps"].get<std::int64_t>());
  EXPECT_EQ(stored.telemetry, sent["telemetry"].get<std::int64_t>());
  EXPECT_EQ(stored.rejected, sent["garbage"].get<std::int64_t>());
  for (const auto& [reason, count] : sent["garbage_by_reason"].items()) {
    EXPECT_EQ(stored.rejected_by_reason[reason], count.get<std::int64_t>()) << reason;
  }
  const int replayed = ReplayedFromJournal(logs);
  std::cout << "crash test: " << messages << " messages (" << sent["taps"] << " taps, "
            << sent["telemetry"] << " telemetry, QoS " << publish_qos << ") + " << sent["duplicates"]
            << " resends + " << sent["garbage"] << " bad; " << kills << " SIGKILLs of the gateway, "
            << broker_restarts << " broker restart(s); " << replayed
            << " message(s) replayed from the journal; stored " << stored.taps << " taps, "
            << stored.telemetry << " telemetry, " << stored.rejected << " rejected; "
            << elapsed.count() << " s\n";
}

}  // namespace
}  // namespace fieldproof::testing
