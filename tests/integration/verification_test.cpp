// Verification end to end: simulated site -> broker -> gateway (with the master key and
// the asset-type policies) -> inspections with verdicts and evidence in SQLite, and the
// verdict on the handheld's topic.
#include <gtest/gtest.h>

#include <optional>
#include <mqtt/async_client.h>

#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/tag_emulator.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

class VerificationTest : public SiteTest {
 protected:
  std::vector<std::string> VerifyingGateway() { return VerifyingGatewayArgs(dir); }
  std::int64_t Count(const std::string& sql) { return store::Database(db).QueryInt(sql); }
};

TEST_F(VerificationTest, EveryHonestInspectionIsVerifiedWithItsEvidence) {
  Gateway gateway(dir, broker, VerifyingGateway());
  RunSim(dir, broker, {"--messages", "3000"});
  ASSERT_EQ(gateway.Stop(), 0);

  const auto end_taps = Count("SELECT count(*) FROM taps WHERE kind = 'end'");
  ASSERT_GT(end_taps, 100);
  EXPECT_EQ(Count("SELECT count(*) FROM taps WHERE assessed = 0"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM inspections"), end_taps);
  EXPECT_EQ(Count("SELECT count(*) FROM inspections WHERE verdict IN ('rejected', 'needs_review')"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM inspections WHERE verdict = 'verified_with_defects'"),
            Count("SELECT count(*) FROM taps WHERE kind = 'end' AND result = 'fail'"));
  EXPECT_EQ(Count("SELECT count(*) FROM inspections WHERE strength <> 'strong'"), 0);
  // Fifteen checks per inspection, and the sensor assets' functional tests were seen.
  EXPECT_EQ(Count("SELECT count(*) FROM inspection_checks"), 15 * end_taps);
  EXPECT_GT(Count("SELECT count(*) FROM inspection_checks WHERE name = 'functional_test' "
                  "AND status = 'pass'"), 0);
  // Every authentic read's counter is remembered for the freshness rule.
  EXPECT_EQ(Count("SELECT count(*) FROM tag_reads"), Count("SELECT count(*) FROM taps"));
}

TEST_F(VerificationTest, ReplayedAndForgedTagsAreRejectedAndTheHandheldIsTold) {
  Gateway gateway(dir, broker, VerifyingGateway());
  RunSim(dir, broker, {"--messages", "400"});
  std::string replayed_url;
  {
    store::Database database(db);
    auto s = database.Prepare("SELECT tag_value FROM taps WHERE kind = 'start' ORDER BY id LIMIT 1");
    ASSERT_TRUE(s.Step());
    replayed_url = s.Text(0);
  }

  mqtt::async_client handheld(broker.uri(), "HH-0001-replayer");
  handheld.connect()->wait();
  handheld.start_consuming();
  const std::string topic = core::TapTopic("FRA", "HH-0001");
  handheld.subscribe(topic + "/verdict", 1)->wait();

  core::Tap tap;
  tap.msg_id = "replay-1";
  tap.device_id = "HH-0001";
  tap.technician_id = "T-0001";
  tap.site = "FRA";
  tap.tag = {core::TagRead::Type::kSun, replayed_url};  // A copied, already used SUN URL.
  tap.read_at = *core::ParseRfc3339("2026-11-03T09:00:00Z");
  tap.sent_at = tap.read_at + 200;
  tap.kind = core::TapKind::kStart;
  tap.firmware = "hh-2.4.1";
  handheld.publish(topic, codec::EncodeTap(tap), 1, false)->wait();
  tap.msg_id = "replay-2";
  tap.kind = core::TapKind::kEnd;
  tap.read_at += 10 * 60 * 1000;
  tap.sent_at = tap.read_at + 200;
  // Forged: a well-formed SUN URL whose MAC is wrong.
  tap.tag.value = "https://tag.fieldproof.example/t?picc_data=00112233445566778899AABBCCDDEEFF"
                  "&cmac=0011223344556677";
  tap.checklist = {{"labels_legible", core::ChecklistAnswer::kPass}};
  tap.result = core::InspectionResult::kPass;
  const auto end_sent = std::chrono::steady_clock::now();
  handheld.publish(topic, codec::EncodeTap(tap), 1, false)->wait();

  // Verdicts on this handheld's earlier (simulated) taps may still be on their way: take
  // the one on the forged end tap.
  std::optional<core::VerdictNotice> found;
  for (mqtt::const_message_ptr verdict;
       !found && handheld.try_consume_message_for(&verdict, std::chrono::seconds(30));) {
    auto notice = codec::DecodeVerdictNotice(verdict->get_payload_str());
    ASSERT_TRUE(notice.ok()) << verdict->get_payload_str();  // Its own contract holds.
    if (notice.value().end_msg_id == "replay-2") found = std::move(notice).value();
  }
  ASSERT_TRUE(found) << "no verdict on the forged end tap";
  // Reported, not asserted: end tap published -> verdict received by the handheld.
  const auto latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - end_sent)
                              .count();
  RecordProperty("verdict_latency_ms", static_cast<int>(latency_ms));
  std::cout << "verdict latency: " << latency_ms << " ms\n";
  const auto* notice = &*found;
  EXPECT_EQ(notice->assessment.verdict, core::Verdict::kRejected);
  std::map<std::string, core::CheckStatus> status;
  for (const auto& check : notice->assessment.checks) status[check.name] = check.status;
  EXPECT_EQ(status["start_tag_fresh"], core::CheckStatus::kFail);
  EXPECT_EQ(status["end_tag_authentic"], core::CheckStatus::kFail);
  handheld.disconnect()->wait();
  ASSERT_EQ(gateway.Stop(), 0);

  store::Database database(db);
  auto s = database.Prepare(
      "SELECT c.detail FROM inspection_checks c JOIN inspections i ON i.id = c.inspection_id "
      "JOIN taps t ON t.id = i.end_tap_id WHERE t.msg_id = 'replay-2' AND c.name = 'start_tag_fresh'");
  ASSERT_TRUE(s.Step());
  EXPECT_NE(s.Text(0).find("replayed"), std::string::npos) << s.Text(0);
}

}  // namespace
}  // namespace fieldproof::testing

namespace fieldproof::testing {
namespace {

TEST_F(VerificationTest, MaintenanceRecordsFormAChainThatRevealsTampering) {
  Gateway gateway(dir, broker, VerifyingGateway());
  RunSim(dir, broker, {"--messages", "1500"});
  ASSERT_EQ(gateway.Stop(), 0);
  const auto verified = Count(
      "SELECT count(*) FROM inspections WHERE verdict IN ('verified', 'verified_with_defects')");
  ASSERT_GT(verified, 10);
  EXPECT_EQ(Count("SELECT count(*) FROM maintenance_records WHERE kind = 'inspection'"), verified);
  EXPECT_EQ(Count("SELECT count(*) FROM work_orders"),
            Count("SELECT count(*) FROM inspections i, json_each(i.defects) WHERE i.verdict = "
                  "'verified_with_defects'"));
  EXPECT_EQ(Count("SELECT count(*) FROM maintenance_records WHERE next_due_at IS NULL"), 0);

  auto verify_chain = [&] {
    return RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "verify-chain"}, dir);
  };
  const auto intact = verify_chain();
  EXPECT_EQ(intact.exit_code, 0) << intact.out;
  EXPECT_NE(intact.out.find("chain intact"), std::string::npos) << intact.out;

  {
    store::Database database(db);
    // Through SQLite the records cannot be changed at all...
    EXPECT_THROW(database.Exec("UPDATE maintenance_records SET verdict = 'x' WHERE seq = 1"),
                 store::StoreError);
    EXPECT_THROW(database.Exec("DELETE FROM maintenance_records WHERE seq = 1"), store::StoreError);
    // ...so a forger drops the guards first.
    database.Exec("DROP TRIGGER maintenance_records_no_update");
    database.Exec("DROP TRIGGER maintenance_records_no_delete");
    database.Exec("UPDATE maintenance_records SET next_due_at = next_due_at + 86400000 WHERE seq = 3");
  }
  auto edited = verify_chain();
  EXPECT_EQ(edited.exit_code, 1);
  EXPECT_NE(edited.out.find("record 3 was altered"), std::string::npos) << edited.out;

  store::Database(db).Exec(
      "UPDATE maintenance_records SET next_due_at = next_due_at - 86400000 WHERE seq = 3");
  EXPECT_EQ(verify_chain().exit_code, 0);  // Undone: intact again.

  store::Database(db).Exec("DELETE FROM maintenance_records WHERE seq = 5");
  auto removed = verify_chain();
  EXPECT_EQ(removed.exit_code, 1);
  EXPECT_NE(removed.out.find("record 5 is missing"), std::string::npos) << removed.out;
  EXPECT_NE(removed.out.find("has no maintenance record"), std::string::npos) << removed.out;
}

TEST_F(VerificationTest, InsertedRecordsAndRemovedLastRecordsAreFound) {
  Gateway gateway(dir, broker, VerifyingGateway());
  RunSim(dir, broker, {"--messages", "1000"});
  ASSERT_EQ(gateway.Stop(), 0);
  const auto last = Count("SELECT max(seq) FROM maintenance_records");
  ASSERT_GT(last, 3);
  {
    store::Database database(db);
    database.Exec("DROP TRIGGER maintenance_records_no_delete");
    database.Exec("DELETE FROM maintenance_records WHERE seq = " + std::to_string(last));
  }
  auto tail = RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "verify-chain"}, dir);
  EXPECT_EQ(tail.exit_code, 1);
  EXPECT_NE(tail.out.find("has no maintenance record"), std::string::npos) << tail.out;

  // A forged record slipped in after record 1: the later ones are renumbered to make room.
  {
    store::Database database(db);
    database.Exec("DROP TRIGGER maintenance_records_no_update");
    database.Exec("UPDATE maintenance_records SET seq = seq + 1000000 WHERE seq >= 2");
    database.Exec("UPDATE maintenance_records SET seq = seq - 999999 WHERE seq >= 1000000");
    database.Exec(
        "INSERT INTO maintenance_records SELECT site, 2, kind, inspection_id, 'FORGED', "
        "technician_id, started_at, ended_at, verdict, checklist, defects, evidence, next_due_at, "
        "reviewer, reason, recorded_at, hash, hash, work_order_id, photos FROM maintenance_records "
        "WHERE seq = 1");
  }
  auto inserted =
      RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "verify-chain", "--site", "FRA"}, dir);
  EXPECT_EQ(inserted.exit_code, 1);
  EXPECT_NE(inserted.out.find("record 2 was altered"), std::string::npos) << inserted.out;
  EXPECT_NE(inserted.out.find("record 3 was altered"), std::string::npos) << inserted.out;
}

}  // namespace
}  // namespace fieldproof::testing

namespace fieldproof::testing {
namespace {

// A real tag (emulated with the site's keys) tapped twice 30 s apart: authentic and fresh,
// but too short a stay, so the inspection needs review; a supervisor then decides.
TEST_F(VerificationTest, AReviewerResolvesAnInspectionThatNeedsReview) {
  Gateway gateway(dir, broker, VerifyingGateway());
  auto [asset_id, tag_config] = FirstPlainShutter(db);
  tag_config.read_counter = 100;
  crypto::TagEmulator tag(tag_config);
  std::mt19937 rng(5);

  mqtt::async_client handheld(broker.uri(), "HH-0002-test");
  handheld.connect()->wait();
  const core::UnixMillis at = *core::ParseRfc3339("2026-11-06T08:00:00Z");
  for (const auto& tap : {HandTap("short-1", core::TapKind::kStart, *tag.Read(rng), at),
                          HandTap("short-2", core::TapKind::kEnd, *tag.Read(rng), at + 30'000)}) {
    handheld.publish(core::TapTopic("FRA", "HH-0002"), codec::EncodeTap(tap), 1, false)->wait();
  }
  handheld.disconnect()->wait();
  // The broker has the taps; wait until the gateway has assessed them.
  ASSERT_TRUE(WaitUntil(
      [&] { return Count("SELECT count(*) FROM taps WHERE msg_id = 'short-2' AND assessed = 1") > 0; },
      std::chrono::seconds(30)));
  ASSERT_EQ(gateway.Stop(), 0);

  const auto id = Count("SELECT i.id FROM inspections i JOIN taps t ON t.id = i.end_tap_id "
                        "WHERE t.msg_id = 'short-2'");
  ASSERT_GT(id, 0);
  {
    store::Database database(db);
    auto s = database.Prepare(
        "SELECT i.verdict, c.status, c.detail FROM inspections i JOIN inspection_checks c ON "
        "c.inspection_id = i.id AND c.name = 'dwell' WHERE i.id = ?");
    s.Bind(1, id);
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Text(0), "needs_review");
    EXPECT_EQ(s.Text(1), "review");
    EXPECT_NE(s.Text(2).find("stayed 30 s; minimum 180 s"), std::string::npos) << s.Text(2);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM maintenance_records"), 0);  // Nothing proven yet.

  const auto decided = RunToCompletion(
      {FIELDPROOF_CLI_BIN, "--db", db, "review", "--inspection", std::to_string(id), "--decision",
       "verified", "--reason", "Shutter test witnessed by the site fire officer", "--reviewer",
       "S. Meyer (supervisor)"},
      dir);
  EXPECT_EQ(decided.exit_code, 0) << decided.out;
  EXPECT_EQ(Count("SELECT count(*) FROM maintenance_records WHERE kind = 'review' AND verdict = "
                  "'verified' AND next_due_at IS NOT NULL AND asset_id = '" + asset_id + "'"),
            1);
  const auto again = RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "review", "--inspection",
                                      std::to_string(id), "--decision", "rejected", "--reason",
                                      "second thoughts", "--reviewer", "X"},
                                     dir);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("reviewed already"), std::string::npos) << again.out;
  EXPECT_EQ(RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "verify-chain"}, dir).exit_code, 0);
}

}  // namespace
}  // namespace fieldproof::testing

namespace fieldproof::testing {
namespace {

// The operator's limits file is read at start; a mistake stops the gateway with where it is.
TEST_F(VerificationTest, AVerificationPolicyWithAMistakeStopsTheGatewayAndSaysWhere) {
  const std::string policy = dir / "policy.json";
  std::ofstream(policy) << R"({"timing": {"max_withheld_min": -5}})";
  auto argv = VerifyingGateway();
  const std::vector<std::string> base = {FIELDPROOF_GATEWAY_BIN, "--db", db, "--broker", broker.uri(),
                                         "--no-http", "--verification-policy", policy};
  argv.insert(argv.begin(), base.begin(), base.end());
  Process gateway(argv, dir / "refused.log");
  EXPECT_EQ(gateway.Wait(std::chrono::seconds(20)).value_or(-1000), 1);
  const std::string log = ReadText(dir / "refused.log");
  EXPECT_NE(log.find("policy.json: /timing/max_withheld_min"), std::string::npos) << log;
}

// Every fraud and awkward-but-honest case through broker and gateway: each judged
// inspection has the verdict the simulator expects, and the decisive checks say why.
TEST_F(VerificationTest, FraudAndAwkwardCasesGetTheirVerdictsAndReasons) {
  Gateway gateway(dir, broker, VerifyingGateway());
  std::vector<std::string> argv = {FIELDPROOF_SIM_BIN, "fraud", "--broker", broker.uri(),
                                   "--master-key", kMasterKey, "--start", "2026-11-10T07:00:00Z"};
  const auto site = SiteArgs();
  argv.insert(argv.end(), site.begin(), site.end());
  const auto run = RunToCompletion(argv, dir);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json expectations;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] == '[') expectations = nlohmann::json::parse(line);
  }
  ASSERT_GE(expectations.size(), 18u);

  std::string end_taps;  // Every judged inspection's end tap, as an SQL list.
  for (const auto& e : expectations) {
    end_taps += (end_taps.empty() ? "'" : ",'") + e["end_msg_id"].get<std::string>() + "'";
  }
  EXPECT_TRUE(WaitUntil(
      [&] {
        return Count("SELECT count(*) FROM inspections i JOIN taps t ON t.id = i.end_tap_id "
                     "WHERE t.msg_id IN (" + end_taps + ")") == static_cast<std::int64_t>(expectations.size());
      },
      std::chrono::seconds(30)));
  ASSERT_EQ(gateway.Stop(), 0);

  store::Database database(db);
  std::set<std::string> cases;
  for (const auto& e : expectations) {
    const std::string name = e["case"];
    cases.insert(name);
    auto inspection = database.Prepare(
        "SELECT i.id, i.verdict FROM inspections i JOIN taps t ON t.id = i.end_tap_id "
        "WHERE t.msg_id = ?");
    inspection.Bind(1, e["end_msg_id"].get<std::string>());
    ASSERT_TRUE(inspection.Step()) << name << ": no inspection for " << e["end_msg_id"];
    const std::int64_t id = inspection.Int(0);
    EXPECT_EQ(inspection.Text(1), e["verdict"].get<std::string>()) << name;
    inspection.Reset();
    for (const auto& [check, status] : e["checks"].items()) {
      auto c = database.Prepare(
          "SELECT status, detail FROM inspection_checks WHERE inspection_id = ? AND name = ?");
      c.Bind(1, id).Bind(2, check);
      ASSERT_TRUE(c.Step()) << name << ": no check " << check;
      EXPECT_EQ(c.Text(0), status.get<std::string>()) << name << " / " << check << ": " << c.Text(1);
    }
  }
  for (const char* required :
       {"honest", "cloned_plain_uid", "replayed_sun", "counter_rolled_back", "desk_inspection",
        "dwell_too_short", "no_functional_test", "unqualified_technician", "wrong_site",
        "offline_for_hours", "slow_technician", "two_technicians_one_asset", "end_before_start",
        "drive_between_buildings", "read_after_sent", "one_technician_two_places"}) {
    EXPECT_TRUE(cases.contains(required)) << required;
  }
}

}  // namespace
}  // namespace fieldproof::testing
