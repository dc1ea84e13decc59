// Billing end to end: verified work from the simulated site -> period close through the
// CLI -> exports; a close killed inside its transaction; a defect found, repaired on a later
// visit and billed as a repair, through the real broker and gateway.
#include <gtest/gtest.h>

#include <filesystem>
#include <mqtt/async_client.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>

#include "firmware-sim/scenario.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/core/local_time.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/tag_emulator.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

const std::string kContract = std::string(FIELDPROOF_SOURCE_DIR) + "/ops/contracts/OWN-FRA.json";

class BillingTest : public SiteTest {
 protected:
  std::vector<std::string> VerifyingGateway() { return VerifyingGatewayArgs(dir); }
  RunResult Cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunToCompletion(argv, dir);
  }
  std::int64_t Count(const std::string& sql) { return store::Database(db).QueryInt(sql); }
  void VerifiedWork(int messages) {
    Gateway gateway(dir, broker, VerifyingGateway());
    RunSim(dir, broker, {"--messages", std::to_string(messages)});
    ASSERT_EQ(gateway.Stop(), 0);
    ASSERT_EQ(Cli({"contract", "import", kContract}).exit_code, 0);
  }
};

TEST_F(BillingTest, ClosingBillsEveryVerifiedRecordOnceAndExportsAreByteIdentical) {
  VerifiedWork(1500);
  const auto verified = Count(
      "SELECT count(*) FROM maintenance_records WHERE verdict IN ('verified', "
      "'verified_with_defects')");
  ASSERT_GT(verified, 50);

  const auto close = Cli({"invoice", "close", "--period", "2026-11", "--issue-date", "2026-12-01"});
  ASSERT_EQ(close.exit_code, 0) << close.out;
  EXPECT_NE(close.out.find("FP-INV-000001, " + std::to_string(verified) + " records billed"),
            std::string::npos)
      << close.out;
  const auto again = Cli({"invoice", "close", "--period", "2026-11"});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("was closed before with FP-INV-000001; nothing issued"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(Count("SELECT count(*) FROM billed_records"), verified);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 1);

  for (const char* format : {"csv", "json", "ubl"}) {
    ASSERT_EQ(
        Cli({"invoice", "export", "--period", "2026-11", "--format", format, "--out", dir / "a"})
            .exit_code,
        0);
    ASSERT_EQ(
        Cli({"invoice", "export", "--period", "2026-11", "--format", format, "--out", dir / "b"})
            .exit_code,
        0);
  }
  for (const char* file : {"invoices-2026-11.csv", "invoices-2026-11.json", "FP-INV-000001.xml"}) {
    const std::string a = ReadText(dir / (std::string("a/") + file));
    EXPECT_FALSE(a.empty()) << file;
    EXPECT_EQ(a, ReadText(dir / (std::string("b/") + file))) << file << " differs between exports";
    // Invoices are for billing staff, not for every user of the machine (issue 17, finding 7).
    EXPECT_EQ(std::filesystem::status(dir / (std::string("a/") + file)).permissions() &
                  std::filesystem::perms::others_all,
              std::filesystem::perms::none)
        << file;
  }
  const auto json = nlohmann::json::parse(ReadText(dir / "a/invoices-2026-11.json"));
  ASSERT_EQ(json["documents"].size(), 1u);
  std::int64_t lines_billing_a_record = 0;
  for (const auto& line : json["documents"][0]["lines"]) {
    if (line["kind"] == "inspection" || line["kind"] == "repair") ++lines_billing_a_record;
  }
  EXPECT_EQ(lines_billing_a_record, verified);

  const auto list = Cli({"invoice", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(list.out)[0]["number"], "FP-INV-000001");
  const auto show = Cli({"invoice", "show", "FP-INV-000001"});
  EXPECT_NE(show.out.find("Record chain FRA at #"), std::string::npos) << show.out;
}

TEST_F(BillingTest, ACloseKilledInsideItsTransactionLeavesNothingAndTheNextBillsEverythingOnce) {
  VerifiedWork(600);
  const auto verified = Count(
      "SELECT count(*) FROM maintenance_records WHERE verdict IN ('verified', "
      "'verified_with_defects')");
  ASSERT_GT(verified, 10);
  {
    ::setenv("FIELDPROOF_FAULT_STALL_IN_CLOSE", "1", 1);
    Process close({FIELDPROOF_CLI_BIN, "--db", db, "invoice", "close", "--period", "2026-11"},
                  dir / "close.log");
    ::unsetenv("FIELDPROOF_FAULT_STALL_IN_CLOSE");
    ASSERT_TRUE(
        WaitForText(dir / "close.log", "stalling inside the transaction", std::chrono::seconds(30)))
        << ReadText(dir / "close.log");
    EXPECT_NE(ReadText(dir / "close.log").find("issued FP-INV-000001"), std::string::npos);
    close.Signal(SIGKILL);
    EXPECT_EQ(close.Wait(std::chrono::seconds(10)), -SIGKILL);
  }
  for (const char* table :
       {"invoices", "billed_records", "billed_callouts", "period_closes", "invoice_series"}) {
    EXPECT_EQ(Count(std::string("SELECT count(*) FROM ") + table), 0) << table;
  }
  const auto close = Cli({"invoice", "close", "--period", "2026-11"});
  ASSERT_EQ(close.exit_code, 0) << close.out;
  EXPECT_NE(close.out.find("FP-INV-000001"), std::string::npos)
      << "the number was not used up: " << close.out;
  EXPECT_EQ(Count("SELECT count(*) FROM billed_records"), verified);
  ASSERT_EQ(Cli({"invoice", "close", "--period", "2026-11"}).exit_code, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM billed_records"), verified);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 1);
}

TEST_F(BillingTest, TheGatewayClosesThePreviousMonthOnItsOwn) {
  // Work in the previous calendar month, whenever this test runs.
  const auto now = std::chrono::system_clock::now();
  const core::Period previous = core::PreviousPeriod(core::PeriodOf(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count(), {}));
  {
    Gateway gateway(dir, broker, VerifyingGateway());
    RunSim(dir, broker, {"--messages", "600", "--start", core::FirstDay(previous) + "T06:00:00Z"});
    ASSERT_EQ(gateway.Stop(), 0);
  }
  ASSERT_EQ(Cli({"contract", "import", kContract}).exit_code, 0);
  auto args = VerifyingGateway();
  args.insert(args.end(), {"--close-invoices-day", "1", "--billing-check-interval", "1"});
  Gateway gateway(dir, broker, args);
  const std::string closed =
      "billing: closed " + core::ToString(previous) + " for C-FRA-2026-01: FP-INV-000001";
  EXPECT_TRUE(WaitForText(gateway.log(), closed, std::chrono::seconds(20)))
      << ReadText(gateway.log());
  ASSERT_EQ(gateway.Stop(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM billed_records"),
            Count("SELECT count(*) FROM maintenance_records WHERE verdict IN ('verified', "
                  "'verified_with_defects')"));
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 1) << "later checks found the month closed";
}

// A technician's handheld, reading real (emulated) tags.
class Handheld {
 public:
  Handheld(const std::string& uri) : client_(uri, "HH-0001-billing-test") {
    client_.connect()->wait();
    client_.start_consuming();
    client_.subscribe(core::TapTopic("FRA", "HH-0001") + "/verdict", 1)->wait();
  }
  ~Handheld() { client_.disconnect()->wait(); }

  core::VerdictNotice Visit(crypto::TagEmulator& tag, core::UnixMillis start,
                            const std::optional<sim::Finding>& finding,
                            const std::optional<std::string>& work_order) {
    Send(tag, core::TapKind::kStart, start, std::nullopt, std::nullopt);
    Send(tag, core::TapKind::kEnd, start + 10 * 60'000, finding, work_order);
    mqtt::const_message_ptr message;
    if (!client_.try_consume_message_for(&message, std::chrono::seconds(10))) {
      throw std::runtime_error("no verdict");
    }
    return codec::DecodeVerdictNotice(message->get_payload_str()).value();
  }

 private:
  void Send(crypto::TagEmulator& tag, core::TapKind kind, core::UnixMillis at,
            const std::optional<sim::Finding>& finding,
            const std::optional<std::string>& work_order) {
    core::Tap tap;
    tap.msg_id = "billing-" + std::to_string(++sent_);
    tap.device_id = "HH-0001";
    tap.technician_id = "T-0001";
    tap.site = "FRA";
    tap.tag = {core::TagRead::Type::kSun, *tag.Read(rng_)};
    tap.read_at = at;
    tap.sent_at = at + 200;
    tap.kind = kind;
    tap.firmware = "hh-2.4.1";
    if (kind == core::TapKind::kEnd) sim::FillEndTapReport(tap, finding);
    tap.work_order_id = work_order;
    client_.publish(core::TapTopic("FRA", "HH-0001"), codec::EncodeTap(tap), 1, false)->wait();
  }

  mqtt::async_client client_;
  std::mt19937 rng_{7};
  int sent_ = 0;
};

TEST_F(BillingTest, ADefectsWorkOrderCompletedByAVerifiedVisitIsBilledAsARepair) {
  auto [asset_id, config] = FirstPlainShutter(db);
  crypto::TagEmulator tag(config);

  Gateway gateway(dir, broker, VerifyingGateway());
  const core::UnixMillis t0 = *core::ParseRfc3339("2026-11-03T08:00:00Z");
  {
    Handheld handheld(broker.uri());
    const auto found = handheld.Visit(
        tag, t0, sim::Finding{"guides_and_seals", {"seal_damaged", core::Severity::kMajor, "torn"}},
        std::nullopt);
    ASSERT_EQ(found.assessment.verdict, core::Verdict::kVerifiedWithDefects);
    ASSERT_EQ(found.work_orders_opened, std::vector<std::string>{"WO-1"});
    const auto repaired = handheld.Visit(tag, t0 + 26 * 3'600'000, std::nullopt, "WO-1");
    ASSERT_EQ(repaired.assessment.verdict, core::Verdict::kVerified);
    EXPECT_EQ(repaired.work_order_completed, "WO-1");
  }
  ASSERT_EQ(gateway.Stop(), 0);
  EXPECT_EQ(
      Count("SELECT count(*) FROM work_orders WHERE status = 'done' AND completed_by IS NOT NULL"),
      1);

  ASSERT_EQ(Cli({"contract", "import", kContract}).exit_code, 0);
  ASSERT_EQ(
      Cli({"invoice", "close", "--period", "2026-11", "--issue-date", "2026-12-01"}).exit_code, 0);
  const auto json =
      nlohmann::json::parse(Cli({"invoice", "show", "FP-INV-000001", "--format", "json"}).out);
  std::vector<std::string> items;
  for (const auto& line : json["lines"]) items.push_back(line["item_id"]);
  EXPECT_EQ(items, (std::vector<std::string>{"INSPECTION-fire_shutter", "REPAIR-seal_damaged",
                                             "CALLOUT", "CALLOUT"}));
  EXPECT_EQ(json["lines"][1]["work_order_id"], "WO-1");
  EXPECT_EQ(json["lines"][1]["net"], "85.00");
}

}  // namespace
}  // namespace fieldproof::testing
