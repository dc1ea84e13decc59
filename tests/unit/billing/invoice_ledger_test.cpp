// The ledger against real SQLite files: every verified record billed exactly once, gap-free
// numbers, nothing half-written when a close fails, nothing unbillable lost from sight.
#include "gateway/billing/invoice_ledger.hpp"
#include "gateway/billing/period_closer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <sstream>

#include "../store/store_test_util.hpp"
#include "gateway/codec/billing_codec.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/record_chain.hpp"
#include "gateway/store/work_orders.hpp"
#include "gateway/verify/review.hpp"

namespace fieldproof::billing {
namespace {

using store::testing::TempDir;

core::UnixMillis At(const char* rfc3339) { return *core::ParseRfc3339(rfc3339); }
const core::UnixMillis kNow = At("2026-12-02T09:00:00Z");
const core::Period kNov{2026, 11}, kDec{2026, 12};

std::string SampleContractText() {
  std::ifstream in(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/contracts/OWN-FRA.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Migrate(db_);
    for (const auto& [id, type, owner] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"A-1", "fire_shutter", "OWN-FRA"},
             {"A-2", "fire_door", "OWN-FRA"},
             {"A-3", "smoke_vent", "OWN-FRA"},
             {"X-1", "fire_shutter", "OWN-OTHER"}}) {
      db_.Prepare(
             "INSERT INTO assets (site, asset_id, building, floor, location, x_m, y_m, asset_type, "
             "tag_uid, interval_days, owner_id, sensor_equipped, updated_at) "
             "VALUES ('FRA', ?, 'T1', 0, 'gate', 0, 0, ?, ?, 365, ?, 0, 0)")
          .Bind(1, id)
          .Bind(2, type)
          .Bind(3, "04" + id)
          .Bind(4, owner)
          .Run();
    }
    ImportContract(SampleContractText());
  }

  void ImportContract(const std::string& text) {
    auto contract = codec::DecodeContract(text);
    ASSERT_TRUE(contract.ok()) << contract.error().detail;
    ledger_.ImportContract(contract.value(), text, kNow);
  }

  // An inspection with its verdict; a maintenance record when verified.
  std::int64_t Inspection(const std::string& asset, const char* ended,
                          const std::string& verdict = "verified",
                          const std::string& work_order = "") {
    const core::UnixMillis end = At(ended);
    const std::int64_t taps = ++taps_;
    db_.Prepare(
           "INSERT INTO inspections (site, asset_id, technician_id, device_id, start_tap_id, "
           "end_tap_id, "
           "started_at, ended_at, verdict, strength, assessed_at) "
           "VALUES ('FRA', ?, 'T-1', 'HH-1', ?, ?, ?, ?, ?, 'strong', ?)")
        .Bind(1, asset)
        .Bind(2, 1000 + taps)
        .Bind(3, 2000 + taps)
        .Bind(4, end - 600'000)
        .Bind(5, end)
        .Bind(6, verdict)
        .Bind(7, end)
        .Run();
    const std::int64_t id = db_.QueryInt("SELECT max(id) FROM inspections");
    if (verdict != "verified") {
      db_.Prepare("INSERT INTO inspection_checks VALUES (?, 0, 'dwell', ?, 'stayed 40 s of 180 s')")
          .Bind(1, id)
          .Bind(2, verdict == "rejected" ? "fail" : "review")
          .Run();
      return id;
    }
    core::MaintenanceRecord r;
    r.site = "FRA";
    r.kind = "inspection";
    r.inspection_id = id;
    r.asset_id = asset;
    r.technician_id = "T-1";
    r.started_at = end - 600'000;
    r.ended_at = end;
    r.verdict = verdict;
    r.checklist = "{}";
    r.defects = "[]";
    r.evidence = "[]";
    r.recorded_at = end;
    r.work_order_id = work_order;
    chain_.Append(r);
    return id;
  }

  std::int64_t Count(const char* sql) { return db_.QueryInt(sql); }

  TempDir dir_;
  store::Database db_{dir_.File("fieldproof.db")};
  InvoiceLedger ledger_{db_};
  store::RecordChain chain_{db_, crypto::Sha256Hex};
  std::int64_t taps_ = 0;
};

TEST_F(LedgerTest, ClosingBillsEveryVerifiedRecordOnceAndClosingAgainChangesNothing) {
  Inspection("A-1", "2026-11-03T08:00:00Z");
  Inspection("A-2", "2026-11-03T09:00:00Z");
  Inspection("A-1", "2026-11-20T09:00:00Z");
  Inspection("A-1", "2026-12-01T09:00:00Z");  // December: not this period.
  const auto first = ledger_.ClosePeriod(kNov, "2026-12-01", kNow);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  ASSERT_EQ(first.value().size(), 1u);
  EXPECT_EQ(first.value()[0].invoice_number, "FP-INV-000001");
  EXPECT_EQ(first.value()[0].records_billed, 3u);
  const auto inv = ledger_.Get("FP-INV-000001");
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->lines.size(), 3u + 2u);  // Three visits, two technician-days.
  EXPECT_EQ(inv->totals.line_net, 4800 + 3250 + 4800 + 2 * 6500);
  EXPECT_EQ(inv->chain_heads.size(), 1u);
  EXPECT_EQ(inv->chain_heads[0].seq, 4);

  const auto again = ledger_.ClosePeriod(kNov, "2026-12-01", kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value()[0].already_closed);
  EXPECT_EQ(again.value()[0].invoice_number, "FP-INV-000001");
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM billed_records"), 3);

  const auto dec = ledger_.ClosePeriod(kDec, "2027-01-02", kNow);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec.value()[0].invoice_number, "FP-INV-000002");
  EXPECT_EQ(dec.value()[0].records_billed, 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM billed_records"), 4);
}

TEST_F(LedgerTest, AFailedCloseLeavesNothingAndTakesNoNumber) {
  // A second customer, so the close fails between two invoices.
  std::string other = SampleContractText();
  other.replace(other.find("C-FRA-2026-01"), 13, "C-OTH-2026-01");
  other.replace(other.find("\"OWN-FRA\""), 9, "\"OWN-OTHER\"");
  ImportContract(other);
  Inspection("A-1", "2026-11-03T08:00:00Z");
  Inspection("X-1", "2026-11-03T08:00:00Z");
  int issued = 0;
  EXPECT_THROW(ledger_.ClosePeriod(kNov, "", kNow,
                                   [&](const core::Invoice&) {
                                     if (++issued == 2) throw std::runtime_error("power cut");
                                   }),
               std::runtime_error);
  EXPECT_EQ(issued, 2);
  for (const char* table :
       {"invoices", "billed_records", "billed_callouts", "period_closes", "invoice_series"}) {
    EXPECT_EQ(Count(("SELECT count(*) FROM " + std::string(table)).c_str()), 0) << table;
  }
  const auto retry = ledger_.ClosePeriod(kNov, "", kNow);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry.value()[0].invoice_number, "FP-INV-000001");
  EXPECT_EQ(retry.value()[1].invoice_number, "FP-INV-000002");  // Same seller series.
  EXPECT_EQ(Count("SELECT count(*) FROM billed_records"), 2);
}

TEST_F(LedgerTest, NeedsReviewIsNotBilledUntilVerifiedThenGoesOnTheNextPeriod) {
  Inspection("A-1", "2026-11-03T08:00:00Z");
  const std::int64_t doubtful = Inspection("A-2", "2026-11-04T08:00:00Z", "needs_review");
  const std::int64_t fake = Inspection("A-1", "2026-11-05T08:00:00Z", "rejected");
  ASSERT_TRUE(ledger_.ClosePeriod(kNov, "", kNow).ok());
  EXPECT_EQ(ledger_.Get("FP-INV-000001")->lines.size(), 2u);

  auto not_billed = ledger_.ListNotBillable(kNov);
  ASSERT_EQ(not_billed.size(), 2u);
  EXPECT_EQ(not_billed[0].inspection_id, doubtful);
  EXPECT_EQ(not_billed[0].status, "needs_review");
  EXPECT_EQ(not_billed[0].reason, "dwell review: stayed 40 s of 180 s");
  EXPECT_EQ(not_billed[1].inspection_id, fake);
  EXPECT_EQ(not_billed[1].status, "rejected");

  ASSERT_TRUE(verify::ResolveReview(
                  db_, {doubtful, true, "Supervisor saw the shutter tested", "S. Lead"}, kNow)
                  .ok());
  EXPECT_EQ(ledger_.ListNotBillable(kNov).size(), 1u);
  const auto dec = ledger_.ClosePeriod(kDec, "", kNow);
  ASSERT_TRUE(dec.ok());
  const auto inv = ledger_.Get(dec.value()[0].invoice_number);
  ASSERT_TRUE(inv);
  ASSERT_EQ(inv->lines.size(), 2u);  // The reviewed visit and its call-out day.
  EXPECT_EQ(inv->lines[0].records[0].inspection_id, doubtful);
  EXPECT_EQ(inv->lines[0].service_date, "2026-11-04");
  EXPECT_EQ(inv->period, "2026-12");
}

TEST_F(LedgerTest, WorkWithoutPriceOrContractIsListedAndBilledOnceAPriceExists) {
  Inspection("A-3", "2026-11-03T08:00:00Z");  // smoke_vent: no price.
  Inspection("X-1", "2026-11-03T08:00:00Z");  // OWN-OTHER: no contract.
  const auto nov = ledger_.ClosePeriod(kNov, "", kNow);
  ASSERT_TRUE(nov.ok());
  EXPECT_TRUE(nov.value()[0].invoice_number.empty());
  EXPECT_EQ(nov.value()[0].unbillable.size(), 1u);
  const auto listed = ledger_.ListNotBillable(kNov);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].status, "not_in_contract");
  EXPECT_EQ(listed[0].reason,
            "contract C-FRA-2026-01 has no inspection price for asset type smoke_vent");
  EXPECT_EQ(listed[1].status, "no_contract");
  EXPECT_EQ(listed[1].reason, "no contract for customer OWN-OTHER");

  std::string priced = SampleContractText();
  priced.replace(priced.find("\"fire_door\": \"32.50\""), 20,
                 "\"fire_door\": \"32.50\", \"smoke_vent\": \"55.00\"");
  ImportContract(priced);
  const auto dec = ledger_.ClosePeriod(kDec, "", kNow);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(ledger_.Get(dec.value()[0].invoice_number)->lines[0].net, 5500);
}

TEST_F(LedgerTest, RefusesToCloseAPeriodBeforeOneAlreadyClosed) {
  Inspection("A-1", "2026-11-03T08:00:00Z");
  ASSERT_TRUE(ledger_.ClosePeriod(kDec, "", kNow).ok());
  const auto nov = ledger_.ClosePeriod(kNov, "", kNow);
  ASSERT_FALSE(nov.ok());
  EXPECT_NE(nov.error().detail.find("already closed 2026-12"), std::string::npos);
  EXPECT_EQ(nov.error().kind, core::RefusalKind::kConflict);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 1);
  EXPECT_EQ(Count("SELECT last_number FROM invoice_series"), 1);
}

TEST_F(LedgerTest, RepairVisitsAreBilledFromTheWorkOrderTheyComplete) {
  const std::int64_t found = Inspection("A-1", "2026-11-03T08:00:00Z");
  const auto opened =
      store::OpenWorkOrders(db_, "FRA", "A-1", found,
                            R"([{"code":"seal_damaged","severity":"major","note":"torn"}])", kNow);
  ASSERT_EQ(opened.size(), 1u);
  const std::int64_t repair_id = db_.QueryInt("SELECT coalesce(max(id), 0) FROM inspections") + 1;
  ASSERT_TRUE(store::CompleteWorkOrder(db_, "FRA", "A-1", opened[0], repair_id, kNow));
  EXPECT_FALSE(store::CompleteWorkOrder(db_, "FRA", "A-1", opened[0], repair_id, kNow))
      << "done already";
  EXPECT_EQ(Inspection("A-1", "2026-11-10T08:00:00Z", "verified", opened[0]), repair_id);
  ASSERT_TRUE(ledger_.ClosePeriod(kNov, "", kNow).ok());
  const auto inv = ledger_.Get("FP-INV-000001");
  ASSERT_EQ(inv->lines.size(), 4u);
  EXPECT_EQ(inv->lines[1].kind, core::LineKind::kRepair);
  EXPECT_EQ(inv->lines[1].item_id, "REPAIR-seal_damaged");
  EXPECT_EQ(inv->lines[1].net, 8500);
  EXPECT_EQ(inv->lines[1].work_order_id, opened[0]);
}

TEST_F(LedgerTest, CreditNotesReferenceTheInvoiceAndCreditEachLineOnce) {
  Inspection("A-1", "2026-11-03T08:00:00Z");
  Inspection("A-2", "2026-11-03T09:00:00Z");
  ASSERT_TRUE(ledger_.ClosePeriod(kNov, "2026-12-01", kNow).ok());
  const auto note = ledger_.IssueCreditNote("FP-INV-000001", "A-2 billed twice by the old system",
                                            {2}, "2026-12-05", kNow);
  ASSERT_TRUE(note.ok()) << note.error().detail;
  EXPECT_EQ(note.value().number, "FP-CN-000001");
  EXPECT_EQ(note.value().preceding_number, "FP-INV-000001");
  EXPECT_EQ(note.value().totals.line_net, 3250);
  EXPECT_EQ(note.value().period, "2026-11");

  const auto twice = ledger_.IssueCreditNote("FP-INV-000001", "again", {2}, "", kNow);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().detail.find("credited already by FP-CN-000001"), std::string::npos);
  EXPECT_FALSE(ledger_.IssueCreditNote("FP-CN-000001", "x", {}, "", kNow).ok());
  EXPECT_FALSE(ledger_.IssueCreditNote("FP-INV-000001", "x", {9}, "", kNow).ok());
  EXPECT_FALSE(ledger_.IssueCreditNote("FP-INV-404", "x", {}, "", kNow).ok());
  EXPECT_EQ(Count("SELECT last_number FROM invoice_series WHERE series = 'FP-CN'"), 1);

  const auto rest = ledger_.IssueCreditNote("FP-INV-000001", "cancel the rest", {}, "", kNow);
  ASSERT_FALSE(rest.ok()) << "line 2 is in 'all lines' and was credited already";
  const auto others = ledger_.IssueCreditNote("FP-INV-000001", "cancel the rest", {1, 3}, "", kNow);
  ASSERT_TRUE(others.ok());
  EXPECT_EQ(others.value().number, "FP-CN-000002");

  const auto docs = ledger_.DocumentsOf(kNov);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].number, "FP-INV-000001");
  EXPECT_EQ(docs[1].number, "FP-CN-000001");
  // Records stay billed by the invoice: credited work is not billed again by a later close.
  ASSERT_TRUE(ledger_.ClosePeriod(kDec, "", kNow).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE type = 'invoice'"), 1);
}

TEST_F(LedgerTest, IssuedInvoicesCannotBeChangedOrDeleted) {
  Inspection("A-1", "2026-11-03T08:00:00Z");
  ASSERT_TRUE(ledger_.ClosePeriod(kNov, "", kNow).ok());
  EXPECT_THROW(db_.Exec("UPDATE invoices SET total_cents = 1"), store::StoreError);
  EXPECT_THROW(db_.Exec("DELETE FROM invoices"), store::StoreError);
  EXPECT_THROW(db_.Exec("INSERT INTO billed_records VALUES ('FRA', 1, 999, 'FP-INV-000001', 9)"),
               store::StoreError)
      << "a record is billed once";
}

TEST_F(LedgerTest, PeriodsFollowTheContractsTimeZone) {
  // 23:30 UTC on 30 November is 00:30 on 1 December in Frankfurt.
  Inspection("A-1", "2026-11-30T23:30:00Z");
  ASSERT_TRUE(ledger_.ClosePeriod(kNov, "", kNow).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 0);
  ASSERT_TRUE(ledger_.ClosePeriod(kDec, "", kNow).ok());
  EXPECT_EQ(ledger_.Get("FP-INV-000001")->lines[0].service_date, "2026-12-01");
}

TEST_F(LedgerTest, CloseWithoutAContractIsRefused) {
  db_.Exec("DELETE FROM contracts");
  const auto r = ledger_.ClosePeriod(kNov, "", kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("no contract"), std::string::npos);
}

}  // namespace
}  // namespace fieldproof::billing

namespace fieldproof::billing {
namespace {

// The gateway's scheduled close, on its own thread and connection: a due month is closed
// once, however many checks and closers follow; a month not yet due is left alone.
class PeriodCloserTest : public LedgerTest {
 protected:
  // Runs a closer whose clock reads `now` until it has checked `checks` times.
  void RunCloser(core::UnixMillis now, int close_day, int checks) {
    std::atomic<int> asked{0};
    PeriodCloser closer(db_.path(), close_day, std::chrono::milliseconds(5), [&] {
      ++asked;
      return now;
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (asked < checks && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    closer.Stop();
    ASSERT_GE(asked, checks);
  }
};

TEST_F(PeriodCloserTest, ADueMonthIsClosedOnceWhateverTheChecksAndRestarts) {
  Inspection("A-1", "2026-11-20T10:00:00Z");
  RunCloser(kNow, 1, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 1);
  RunCloser(kNow, 1, 3);  // A restart, or a second gateway.
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 1);
}

TEST_F(PeriodCloserTest, AMonthIsNotClosedBeforeItsDay) {
  Inspection("A-1", "2026-11-20T10:00:00Z");
  RunCloser(At("2026-12-02T09:00:00Z"), 3, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), 0);
}

}  // namespace
}  // namespace fieldproof::billing

namespace fieldproof::billing {
namespace {

// Each refusal says of what kind it is, so the API can answer 404, 409 or 422.
TEST_F(LedgerTest, ACreditNoteIsRefusedWithItsKind) {
  Inspection("A-1", "2026-11-03T08:00:00Z");
  ASSERT_TRUE(ledger_.ClosePeriod(kNov, "", kNow).ok());
  const std::string number = ledger_.List("2026-11", "").at(0).number;
  EXPECT_EQ(ledger_.IssueCreditNote("FP-INV-999999", "wrong", {}, "", kNow).error().kind, core::RefusalKind::kNotFound);
  EXPECT_EQ(ledger_.IssueCreditNote(number, "", {}, "", kNow).error().kind, core::RefusalKind::kInvalid);
  EXPECT_EQ(ledger_.IssueCreditNote(number, "wrong", {}, "not a date", kNow).error().kind,
            core::RefusalKind::kInvalid);
  ASSERT_TRUE(ledger_.IssueCreditNote(number, "wrong", {}, "", kNow).ok());
  const auto again = ledger_.IssueCreditNote(number, "wrong", {}, "", kNow);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, core::RefusalKind::kConflict) << again.error().detail;
}

}  // namespace
}  // namespace fieldproof::billing
