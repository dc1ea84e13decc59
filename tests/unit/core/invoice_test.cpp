#include "gateway/core/invoice.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

UnixMillis At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

Contract TestContract() {
  Contract c;
  c.contract_id = "C-1";
  c.customer_id = "OWN-FRA";
  c.invoice_series = "INV";
  c.credit_note_series = "CN";
  c.inspection_prices = {{"fire_shutter", 4800}, {"fire_door", 3250}};
  c.repairs = {{"seal_damaged", {"Replace smoke seal", 8500}}};
  c.callout_fee = 6500;
  c.surcharges = {2500, 22, 6, 5000};
  c.time_zone = {60, true};
  c.payment.terms_days = 30;
  return c;
}

BillableVisit Visit(std::int64_t seq, const char* type, const char* technician, const char* start) {
  BillableVisit v;
  v.record = {"FRA", seq, std::string(64, 'a'), 100 + seq, 2 * seq, 2 * seq + 1};
  v.asset_id = "A-" + std::to_string(seq);
  v.asset_type = type;
  v.technician_id = technician;
  v.started_at = At(start);
  v.ended_at = v.started_at + 300'000;
  return v;
}

TEST(InvoiceLines, OneLinePerVisitPricedByAssetTypeThenOneCalloutPerTechnicianDay) {
  const std::vector<BillableVisit> visits = {
      Visit(1, "fire_shutter", "T-1", "2026-11-03T08:00:00Z"),  // Tuesday
      Visit(2, "fire_door", "T-1", "2026-11-03T09:00:00Z"),
      Visit(3, "fire_shutter", "T-2", "2026-11-03T09:00:00Z"),
      Visit(4, "fire_shutter", "T-1", "2026-11-04T09:00:00Z")};
  const DraftLines d = DraftInvoiceLines(TestContract(), visits, {});
  ASSERT_EQ(d.lines.size(), 7u);
  EXPECT_EQ(d.lines[0].item_id, "INSPECTION-fire_shutter");
  EXPECT_EQ(d.lines[0].net, 4800);
  EXPECT_EQ(d.lines[1].net, 3250);
  EXPECT_EQ(d.lines[1].records, std::vector<RecordRef>{visits[1].record});
  for (int i = 4; i < 7; ++i) EXPECT_EQ(d.lines[i].kind, LineKind::kCallout) << i;
  EXPECT_EQ(d.lines[4].technician_id, "T-1");
  EXPECT_EQ(d.lines[4].service_date, "2026-11-03");
  EXPECT_EQ(d.lines[4].records.size(), 2u);  // Both T-1 visits of that day.
  EXPECT_EQ(d.lines[5].service_date, "2026-11-04");
  EXPECT_EQ(d.lines[6].technician_id, "T-2");
  for (std::size_t i = 0; i < d.lines.size(); ++i)
    EXPECT_EQ(d.lines[i].line_no, static_cast<int>(i + 1));
  EXPECT_EQ(d.billed.size(), 4u);
  EXPECT_EQ(d.callouts.size(), 3u);
  EXPECT_TRUE(d.unbillable.empty());
}

TEST(InvoiceLines, CalloutDaysBilledBeforeAreNotBilledAgain) {
  const std::vector<BillableVisit> visits = {
      Visit(1, "fire_shutter", "T-1", "2026-11-03T08:00:00Z")};
  const DraftLines d = DraftInvoiceLines(TestContract(), visits, {{"FRA", "T-1", "2026-11-03"}});
  ASSERT_EQ(d.lines.size(), 1u);
  EXPECT_TRUE(d.callouts.empty());
}

TEST(InvoiceLines, NightAndWeekendSurchargesInLocalTime) {
  struct Case {
    const char* start;
    std::vector<LineKind> kinds;
  };
  const std::vector<Case> cases = {
      {"2026-11-03T20:59:00Z", {LineKind::kInspection}},                               // Tue 21:59
      {"2026-11-03T21:00:00Z", {LineKind::kInspection, LineKind::kNightSurcharge}},    // Tue 22:00
      {"2026-11-04T04:59:00Z", {LineKind::kInspection, LineKind::kNightSurcharge}},    // Wed 05:59
      {"2026-11-04T05:00:00Z", {LineKind::kInspection}},                               // Wed 06:00
      {"2026-11-07T10:00:00Z", {LineKind::kInspection, LineKind::kWeekendSurcharge}},  // Sat
      {"2026-11-07T23:30:00Z",  // Sun 00:30 local: both
       {LineKind::kInspection, LineKind::kNightSurcharge, LineKind::kWeekendSurcharge}},
  };
  Contract c = TestContract();
  c.callout_fee = 0;
  for (const Case& k : cases) {
    const std::vector<BillableVisit> visits = {Visit(1, "fire_door", "T-1", k.start)};
    const DraftLines d = DraftInvoiceLines(c, visits, {});
    std::vector<LineKind> kinds;
    for (const auto& l : d.lines) kinds.push_back(l.kind);
    EXPECT_EQ(kinds, k.kinds) << k.start;
    for (const auto& l : d.lines) {
      if (l.kind == LineKind::kNightSurcharge) {
        EXPECT_EQ(l.net, 813) << "25 % of 32.50 = 8.125";
      }
      if (l.kind == LineKind::kWeekendSurcharge) {
        EXPECT_EQ(l.net, 1625);
      }
      EXPECT_EQ(l.records, std::vector<RecordRef>{visits[0].record});
    }
  }
}

TEST(InvoiceLines, RepairVisitsBillTheRepairItem) {
  BillableVisit v = Visit(1, "fire_shutter", "T-1", "2026-11-03T08:00:00Z");
  v.work_order_id = "WO-7";
  v.repaired_defect = "seal_damaged";
  const std::vector<BillableVisit> visits = {v};
  const DraftLines d = DraftInvoiceLines(TestContract(), visits, {});
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(d.lines[0].kind, LineKind::kRepair);
  EXPECT_EQ(d.lines[0].item_id, "REPAIR-seal_damaged");
  EXPECT_EQ(d.lines[0].name, "Replace smoke seal");
  EXPECT_EQ(d.lines[0].net, 8500);
  EXPECT_EQ(d.lines[0].work_order_id, "WO-7");
}

TEST(InvoiceLines, WorkWithoutAPriceIsReportedNotBilled) {
  BillableVisit repair = Visit(2, "fire_shutter", "T-1", "2026-11-03T09:00:00Z");
  repair.work_order_id = "WO-8";
  repair.repaired_defect = "curtain_torn";
  const std::vector<BillableVisit> visits = {Visit(1, "smoke_vent", "T-1", "2026-11-03T08:00:00Z"),
                                             repair};
  const DraftLines d = DraftInvoiceLines(TestContract(), visits, {});
  EXPECT_TRUE(d.lines.empty());
  EXPECT_TRUE(d.billed.empty());
  ASSERT_EQ(d.unbillable.size(), 2u);
  EXPECT_EQ(d.unbillable[0].reason,
            "contract C-1 has no inspection price for asset type smoke_vent");
  EXPECT_EQ(d.unbillable[1].reason, "contract C-1 has no repair item for defect curtain_torn");
}

TEST(InvoiceLines, VisitsAtSitesTheContractDoesNotListAreReportedNotBilled) {
  Contract c = TestContract();
  c.sites = {"FRA"};
  BillableVisit elsewhere = Visit(2, "fire_shutter", "T-1", "2026-11-03T09:00:00Z");
  elsewhere.record.site = "MUC";
  const std::vector<BillableVisit> visits = {
      Visit(1, "fire_shutter", "T-1", "2026-11-03T08:00:00Z"), elsewhere};
  const DraftLines d = DraftInvoiceLines(c, visits, {});
  EXPECT_EQ(d.billed, std::vector<RecordRef>{visits[0].record});
  ASSERT_EQ(d.unbillable.size(), 1u);
  EXPECT_EQ(d.unbillable[0].reason, "site MUC is not in contract C-1");
}

InvoiceLine Line(std::string category, std::int64_t rate_bp, Cents net) {
  InvoiceLine l;
  l.vat_category = std::move(category);
  l.vat_rate_bp = rate_bp;
  l.net = l.unit_price = net;
  return l;
}

// BR-CO-17: VAT per category is rounded once, on the category's sum, not per line.
TEST(InvoiceTotals, VatIsComputedOnTheSumOfEachCategory) {
  std::vector<InvoiceLine> lines;
  for (int i = 0; i < 3; ++i) lines.push_back(Line("S", 1900, 3250));  // 6.175 each
  lines.push_back(Line("S", 700, 1000));
  lines.push_back(Line("E", 0, 5000));
  const auto vat = VatBreakdown(lines, "Exempt under section 4");
  ASSERT_EQ(vat.size(), 3u);
  EXPECT_EQ(vat[0], (VatSubtotal{"E", 0, 5000, 0, "Exempt under section 4"}));
  EXPECT_EQ(vat[1], (VatSubtotal{"S", 700, 1000, 70, ""}));
  EXPECT_EQ(vat[2], (VatSubtotal{"S", 1900, 9750, 1853, ""}));  // 18.525 -> 18.53, not 3 x 6.18
  const Totals t = ComputeTotals(lines, vat);
  EXPECT_EQ(t.line_net, 15750);                         // BR-CO-10
  EXPECT_EQ(t.tax_exclusive, t.line_net);               // BR-CO-13
  EXPECT_EQ(t.vat, 1923);                               // BR-CO-14
  EXPECT_EQ(t.tax_inclusive, t.tax_exclusive + t.vat);  // BR-CO-15
  EXPECT_EQ(t.payable, t.tax_inclusive);                // BR-CO-16
}

TEST(Invoice, MakeInvoiceSetsPeriodDueDateAndTotals) {
  const Contract c = TestContract();
  const std::vector<BillableVisit> visits = {
      Visit(1, "fire_shutter", "T-1", "2026-11-03T08:00:00Z")};
  auto draft = DraftInvoiceLines(c, visits, {});
  const Invoice inv = MakeInvoice(c, FormatDocumentNumber("INV", 7), {2026, 11}, "2026-12-02",
                                  draft.lines, {{"FRA", 12, std::string(64, 'b')}});
  EXPECT_EQ(inv.number, "INV-000007");
  EXPECT_EQ(inv.period, "2026-11");
  EXPECT_EQ(inv.period_start, "2026-11-01");
  EXPECT_EQ(inv.period_end, "2026-11-30");
  EXPECT_EQ(inv.due_date, "2027-01-01");
  EXPECT_EQ(inv.totals.line_net, 4800 + 6500);
  EXPECT_EQ(inv.totals.vat, 2147);  // 19 % of 113.00 = 21.47
  EXPECT_EQ(inv.totals.payable, 13447);
}

TEST(Invoice, CreditNoteReferencesTheInvoiceAndRecomputesTotals) {
  const Contract c = TestContract();
  const std::vector<BillableVisit> visits = {
      Visit(1, "fire_shutter", "T-1", "2026-11-03T08:00:00Z"),
      Visit(2, "fire_door", "T-1", "2026-11-03T09:00:00Z")};
  const Invoice inv = MakeInvoice(c, "INV-000001", {2026, 11}, "2026-12-02",
                                  DraftInvoiceLines(c, visits, {}).lines, {});
  const std::vector<int> second = {2};
  const auto note =
      MakeCreditNote(inv, "CN-000001", "2026-12-10", "Asset A-2 billed in error", second);
  ASSERT_TRUE(note);
  EXPECT_EQ(note->type, DocumentType::kCreditNote);
  EXPECT_EQ(note->preceding_number, "INV-000001");
  EXPECT_EQ(note->preceding_issue_date, "2026-12-02");
  ASSERT_EQ(note->lines.size(), 1u);
  EXPECT_EQ(note->lines[0].line_no, 2);
  EXPECT_EQ(note->totals.line_net, 3250);
  EXPECT_EQ(note->totals.payable, 3250 + 618);
  EXPECT_TRUE(note->due_date.empty());
  const std::vector<int> missing = {9};
  EXPECT_FALSE(MakeCreditNote(inv, "CN-000002", "2026-12-10", "x", missing));
  const auto full = MakeCreditNote(inv, "CN-000003", "2026-12-10", "all", {});
  EXPECT_EQ(full->totals, inv.totals);
}

}  // namespace
}  // namespace fieldproof::core
