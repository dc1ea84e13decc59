#include "gateway/store/invoice_store.hpp"

#include "gateway/codec/billing_codec.hpp"

namespace fieldproof::store {
namespace {

core::Invoice DecodeStored(const std::string& number, const std::string& document) {
  auto invoice = codec::DecodeInvoice(document);
  if (!invoice.ok()) {
    throw CorruptData("stored invoice " + number + " is unreadable: " + invoice.error().detail);
  }
  return std::move(invoice).value();
}

core::NotBillable NotBillableRow(const Statement& row, std::string status, std::string reason) {
  return {row.Text("site"),         row.Int("inspection_id"), row.Text("asset_id"),
          row.Text("technician_id"), row.Int("ended_at"),     std::move(status),
          std::move(reason)};
}

}  // namespace

void InvoiceStore::SaveContract(const core::Contract& c, const std::string& document,
                                core::UnixMillis now) {
  db_.Prepare("DELETE FROM contracts WHERE customer_id = ? AND contract_id <> ?")
      .Bind(1, c.customer_id)
      .Bind(2, c.contract_id)
      .Run();
  db_.Prepare(
         "INSERT INTO contracts (contract_id, customer_id, document, imported_at) VALUES "
         "(?,?,?,?) "
         "ON CONFLICT (contract_id) DO UPDATE SET customer_id = excluded.customer_id, "
         "document = excluded.document, imported_at = excluded.imported_at")
      .Bind(1, c.contract_id)
      .Bind(2, c.customer_id)
      .Bind(3, document)
      .Bind(4, now)
      .Run();
}

std::vector<core::Contract> InvoiceStore::Contracts() {
  std::vector<core::Contract> contracts;
  auto s = db_.Prepare("SELECT contract_id, document FROM contracts ORDER BY contract_id");
  while (s.Step()) {
    auto contract = codec::DecodeContract(s.Text("document"));
    if (!contract.ok()) {
      throw CorruptData("stored contract " + s.Text("contract_id") +
                        " is unreadable: " + contract.error().detail);
    }
    contracts.push_back(std::move(contract).value());
  }
  return contracts;
}

std::vector<core::BillableVisit> InvoiceStore::UnbilledVisits(const std::string& customer_id,
                                                              core::UnixMillis before) {
  auto s = db_.Prepare(
      "SELECT r.site AS site, r.seq AS seq, r.hash AS hash, r.inspection_id AS inspection_id, "
      "i.start_tap_id AS start_tap_id, i.end_tap_id AS end_tap_id, r.asset_id AS asset_id, "
      "a.asset_type AS asset_type, r.technician_id AS technician_id, "
      "r.started_at AS started_at, r.ended_at AS ended_at, r.work_order_id AS work_order_id, "
      "coalesce(w.defect_code, '') AS repaired_defect "
      "FROM maintenance_records r "
      "JOIN assets a ON a.site = r.site AND a.asset_id = r.asset_id "
      "JOIN inspections i ON i.id = r.inspection_id "
      "LEFT JOIN work_orders w ON r.work_order_id <> '' AND w.completed_by = r.inspection_id "
      "  AND 'WO-' || w.id = r.work_order_id "
      "WHERE r.verdict IN ('verified', 'verified_with_defects') AND r.ended_at < ? "
      "  AND a.owner_id = ? "
      "  AND NOT EXISTS (SELECT 1 FROM billed_records b WHERE b.site = r.site AND b.seq = r.seq) "
      "  AND NOT EXISTS (SELECT 1 FROM billed_records b WHERE b.inspection_id = r.inspection_id) "
      "ORDER BY r.site, r.seq");
  s.Bind(1, before).Bind(2, customer_id);
  std::vector<core::BillableVisit> visits;
  std::set<std::int64_t> inspections;
  while (s.Step()) {
    core::BillableVisit v;
    v.record = {s.Text("site"),          s.Int("seq"),          s.Text("hash"),
                s.Int("inspection_id"),  s.Int("start_tap_id"), s.Int("end_tap_id")};
    if (!inspections.insert(v.record.inspection_id).second) continue;
    v.asset_id = s.Text("asset_id");
    v.asset_type = s.Text("asset_type");
    v.technician_id = s.Text("technician_id");
    v.started_at = s.Int("started_at");
    v.ended_at = s.Int("ended_at");
    v.work_order_id = s.Text("work_order_id");
    v.repaired_defect = s.Text("repaired_defect");
    visits.push_back(std::move(v));
  }
  return visits;
}

std::vector<core::ChainAnchor> InvoiceStore::ChainHeads(const std::vector<std::string>& sites) {
  std::vector<core::ChainAnchor> heads;
  auto s = db_.Prepare(
      "SELECT seq, hash FROM maintenance_records WHERE site = ? ORDER BY seq DESC LIMIT 1");
  for (const auto& site : sites) {
    s.Bind(1, site);
    if (s.Step()) {
      heads.push_back({site, s.Int("seq"), s.Text("hash")});
      s.Reset();
    }
  }
  return heads;
}

std::int64_t InvoiceStore::NextNumber(const std::string& series) {
  auto s = db_.Prepare(
      "INSERT INTO invoice_series (series, last_number) VALUES (?, 1) "
      "ON CONFLICT (series) DO UPDATE SET last_number = last_number + 1 RETURNING last_number");
  s.Bind(1, series);
  s.Step();
  const std::int64_t n = s.Int("last_number");
  s.Reset();
  return n;
}

void InvoiceStore::SaveDocument(const core::Invoice& inv, core::UnixMillis now) {
  auto s = db_.Prepare(
      "INSERT INTO invoices (number, type, contract_id, customer_id, period, issue_date, currency, "
      "net_cents, vat_cents, total_cents, line_count, preceding_number, document, created_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.Bind(1, inv.number).Bind(2, core::ToString(inv.type)).Bind(3, inv.contract_id);
  s.Bind(4, inv.customer_id).Bind(5, inv.period).Bind(6, inv.issue_date).Bind(7, inv.currency);
  s.Bind(8, inv.totals.tax_exclusive).Bind(9, inv.totals.vat).Bind(10, inv.totals.payable);
  s.Bind(11, static_cast<std::int64_t>(inv.lines.size()));
  s.BindOrNull(12, inv.preceding_number);
  s.Bind(13, codec::EncodeInvoice(inv)).Bind(14, now);
  s.Run();
}

void InvoiceStore::MarkBilled(const std::string& contract_id, const core::Invoice& inv) {
  auto record = db_.Prepare(
      "INSERT INTO billed_records (site, seq, inspection_id, invoice_number, line_no) "
      "VALUES (?,?,?,?,?)");
  auto callout = db_.Prepare(
      "INSERT INTO billed_callouts (contract_id, site, technician_id, day, invoice_number, "
      "line_no) VALUES (?,?,?,?,?,?)");
  for (const core::InvoiceLine& line : inv.lines) {
    if (line.kind == core::LineKind::kInspection || line.kind == core::LineKind::kRepair) {
      const core::RecordRef& r = line.records.front();
      record.Bind(1, r.site).Bind(2, r.seq).Bind(3, r.inspection_id).Bind(4, inv.number);
      record.Bind(5, line.line_no).Run();
    } else if (line.kind == core::LineKind::kCallout) {
      callout.Bind(1, contract_id).Bind(2, line.site).Bind(3, line.technician_id);
      callout.Bind(4, line.service_date).Bind(5, inv.number).Bind(6, line.line_no).Run();
    }
  }
}

std::set<core::CalloutDay> InvoiceStore::BilledCallouts(const std::string& contract_id) {
  std::set<core::CalloutDay> days;
  auto s = db_.Prepare("SELECT site, technician_id, day FROM billed_callouts WHERE contract_id = ?");
  s.Bind(1, contract_id);
  while (s.Step()) days.insert({s.Text("site"), s.Text("technician_id"), s.Text("day")});
  return days;
}

std::optional<std::string> InvoiceStore::ClosedPeriod(const std::string& contract_id,
                                                      const std::string& period) {
  auto s = db_.Prepare(
      "SELECT coalesce(invoice_number, '') AS invoice_number FROM period_closes "
      "WHERE contract_id = ? AND period = ?");
  s.Bind(1, contract_id).Bind(2, period);
  if (!s.Step()) return std::nullopt;
  std::string number = s.Text("invoice_number");
  s.Reset();
  return number;
}

std::string InvoiceStore::LatestClosedPeriod(const std::string& contract_id) {
  auto s = db_.Prepare(
      "SELECT coalesce(max(period), '') AS period FROM period_closes WHERE contract_id = ?");
  s.Bind(1, contract_id).Step();
  std::string period = s.Text("period");
  s.Reset();
  return period;
}

void InvoiceStore::SavePeriodClose(const std::string& contract_id, const std::string& period,
                                   const std::string& invoice_number, std::int64_t records_billed,
                                   std::int64_t not_billable, core::UnixMillis now) {
  db_.Prepare(
         "INSERT INTO period_closes (contract_id, period, invoice_number, records_billed, "
         "not_billable, closed_at) VALUES (?,?,?,?,?,?)")
      .Bind(1, contract_id)
      .Bind(2, period)
      .BindOrNull(3, invoice_number)
      .Bind(4, records_billed)
      .Bind(5, not_billable)
      .Bind(6, now)
      .Run();
}

std::optional<std::string> InvoiceStore::CreditedBy(const std::string& invoice_number,
                                                    int line_no) {
  auto s = db_.Prepare(
      "SELECT credit_note_number FROM credited_lines WHERE invoice_number = ? AND line_no = ?");
  s.Bind(1, invoice_number).Bind(2, line_no);
  if (!s.Step()) return std::nullopt;
  std::string by = s.Text("credit_note_number");
  s.Reset();
  return by;
}

void InvoiceStore::MarkCredited(const std::string& invoice_number, const core::Invoice& note) {
  auto mark = db_.Prepare(
      "INSERT INTO credited_lines (invoice_number, line_no, credit_note_number) VALUES (?,?,?)");
  for (const auto& line : note.lines) {
    mark.Bind(1, invoice_number).Bind(2, line.line_no).Bind(3, note.number).Run();
  }
}

std::vector<core::InvoiceSummary> InvoiceStore::ListDocuments(const std::string& period,
                                                              const std::string& customer_id) {
  auto s = db_.Prepare(
      "SELECT number, type, contract_id, customer_id, period, issue_date, currency, net_cents, "
      "vat_cents, total_cents, line_count, coalesce(preceding_number, '') AS preceding_number "
      "FROM invoices WHERE (?1 = '' OR period = ?1) AND (?2 = '' OR customer_id = ?2) "
      "ORDER BY created_at, number");
  s.Bind(1, period).Bind(2, customer_id);
  std::vector<core::InvoiceSummary> out;
  while (s.Step()) {
    core::InvoiceSummary i;
    i.number = s.Text("number");
    i.type = core::ParseDocumentType(s.Text("type")).value_or(core::DocumentType::kInvoice);
    i.contract_id = s.Text("contract_id");
    i.customer_id = s.Text("customer_id");
    i.period = s.Text("period");
    i.issue_date = s.Text("issue_date");
    i.currency = s.Text("currency");
    i.net = s.Int("net_cents");
    i.vat = s.Int("vat_cents");
    i.total = s.Int("total_cents");
    i.lines = s.Int("line_count");
    i.preceding_number = s.Text("preceding_number");
    out.push_back(std::move(i));
  }
  return out;
}

std::optional<core::Invoice> InvoiceStore::FindDocument(const std::string& number) {
  auto s = db_.Prepare("SELECT document FROM invoices WHERE number = ?");
  s.Bind(1, number);
  if (!s.Step()) return std::nullopt;
  core::Invoice inv = DecodeStored(number, s.Text("document"));
  s.Reset();
  return inv;
}

std::vector<core::Invoice> InvoiceStore::DocumentsOf(const std::string& period) {
  auto s = db_.Prepare(
      "SELECT number, document FROM invoices WHERE period = ? ORDER BY type DESC, number");
  s.Bind(1, period);
  std::vector<core::Invoice> out;
  while (s.Step()) out.push_back(DecodeStored(s.Text("number"), s.Text("document")));
  return out;
}

std::vector<RefusedInspection> InvoiceStore::RefusedInspections(core::UnixMillis from,
                                                                core::UnixMillis to) {
  auto s = db_.Prepare(
      "SELECT i.site AS site, i.id AS inspection_id, coalesce(i.asset_id, '') AS asset_id, "
      "i.technician_id AS technician_id, i.ended_at AS ended_at, "
      "coalesce(rv.decision, i.verdict) AS status, coalesce(a.owner_id, '') AS owner_id, "
      "coalesce(rv.reason, (SELECT group_concat(c.name || ' ' || c.status || ': ' || c.detail, "
      "'; ') FROM inspection_checks c WHERE c.inspection_id = i.id AND c.status IN ('fail', "
      "'review'))) AS reason, "
      "rv.decision IS NOT NULL AS reviewed "
      "FROM inspections i LEFT JOIN reviews rv ON rv.inspection_id = i.id "
      "LEFT JOIN assets a ON a.site = i.site AND a.asset_id = i.asset_id "
      "WHERE i.verdict IN ('needs_review', 'rejected') AND coalesce(rv.decision, '') <> 'verified' "
      "  AND i.ended_at >= ? AND i.ended_at < ? ORDER BY i.ended_at, i.id");
  s.Bind(1, from).Bind(2, to);
  std::vector<RefusedInspection> out;
  while (s.Step()) {
    out.push_back({NotBillableRow(s, s.Text("status"), s.Text("reason")), s.Text("owner_id"),
                   s.Int("reviewed") != 0});
  }
  return out;
}

std::vector<UnbilledRecord> InvoiceStore::UnbilledRecords(core::UnixMillis before) {
  auto s = db_.Prepare(
      "SELECT r.site AS site, r.inspection_id AS inspection_id, r.asset_id AS asset_id, "
      "r.technician_id AS technician_id, r.ended_at AS ended_at, a.owner_id AS owner_id "
      "FROM maintenance_records r JOIN assets a ON a.site = r.site AND a.asset_id = r.asset_id "
      "WHERE r.verdict IN ('verified', 'verified_with_defects') AND r.ended_at < ? AND r.kind <> 'imported' "
      "  AND NOT EXISTS (SELECT 1 FROM billed_records b WHERE b.site = r.site AND b.seq = r.seq) "
      "ORDER BY r.ended_at");
  s.Bind(1, before);
  std::vector<UnbilledRecord> out;
  while (s.Step()) out.push_back({NotBillableRow(s, "", ""), s.Text("owner_id")});
  return out;
}

}  // namespace fieldproof::store
