#include "gateway/billing/invoice_ledger.hpp"

#include <algorithm>
#include <set>

#include "gateway/codec/billing_codec.hpp"

namespace fieldproof::billing {
namespace {

using core::RefusalKind;

// Thrown inside a transaction to roll it back with a reason for the caller.
struct RollBack {
  core::Refusal refusal;
};

core::Invoice DecodeStored(const std::string& number, const std::string& document) {
  auto invoice = codec::DecodeInvoice(document);
  if (!invoice.ok()) {
    throw store::CorruptData("stored invoice " + number + " is unreadable: " + invoice.error().detail);
  }
  return std::move(invoice).value();
}

}  // namespace

InvoiceLedger::InvoiceLedger(store::Database& db) : db_(db) {}

void InvoiceLedger::ImportContract(const core::Contract& c, const std::string& document,
                                   core::UnixMillis now) {
  store::InTransaction(db_, [&] {
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
  });
}

std::vector<core::Contract> InvoiceLedger::Contracts() {
  std::vector<core::Contract> contracts;
  auto s = db_.Prepare("SELECT contract_id, document FROM contracts ORDER BY contract_id");
  while (s.Step()) {
    auto contract = codec::DecodeContract(s.Text(1));
    if (!contract.ok()) {
      throw store::CorruptData("stored contract " + s.Text(0) + " is unreadable: " + contract.error().detail);
    }
    contracts.push_back(std::move(contract).value());
  }
  return contracts;
}

std::vector<core::BillableVisit> InvoiceLedger::UnbilledVisits(const core::Contract& c,
                                                               core::UnixMillis before) {
  auto s = db_.Prepare(
      "SELECT r.site, r.seq, r.hash, r.inspection_id, i.start_tap_id, i.end_tap_id, r.asset_id, "
      "a.asset_type, r.technician_id, r.started_at, r.ended_at, r.work_order_id, "
      "coalesce(w.defect_code, '') "
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
  s.Bind(1, before).Bind(2, c.customer_id);
  std::vector<core::BillableVisit> visits;
  std::set<std::int64_t> inspections;
  while (s.Step()) {
    core::BillableVisit v;
    v.record = {s.Text(0), s.Int(1), s.Text(2), s.Int(3), s.Int(4), s.Int(5)};
    // Two records for one inspection (a verdict and a later review) bill it once.
    if (!inspections.insert(v.record.inspection_id).second) continue;
    v.asset_id = s.Text(6);
    v.asset_type = s.Text(7);
    v.technician_id = s.Text(8);
    v.started_at = s.Int(9);
    v.ended_at = s.Int(10);
    v.work_order_id = s.Text(11);
    v.repaired_defect = s.Text(12);
    visits.push_back(std::move(v));
  }
  return visits;
}

std::vector<core::ChainAnchor> InvoiceLedger::ChainHeads(const std::vector<std::string>& sites) {
  std::vector<core::ChainAnchor> heads;
  auto s = db_.Prepare(
      "SELECT seq, hash FROM maintenance_records WHERE site = ? ORDER BY seq DESC LIMIT 1");
  for (const auto& site : sites) {
    s.Bind(1, site);
    if (s.Step()) {
      heads.push_back({site, s.Int(0), s.Text(1)});
      s.Reset();
    }
  }
  return heads;
}

std::int64_t InvoiceLedger::NextNumber(const std::string& series) {
  auto s = db_.Prepare(
      "INSERT INTO invoice_series (series, last_number) VALUES (?, 1) "
      "ON CONFLICT (series) DO UPDATE SET last_number = last_number + 1 RETURNING last_number");
  s.Bind(1, series);
  s.Step();
  const std::int64_t n = s.Int(0);
  s.Reset();
  return n;
}

void InvoiceLedger::StoreDocument(const core::Invoice& inv, core::UnixMillis now) {
  auto s = db_.Prepare(
      "INSERT INTO invoices (number, type, contract_id, customer_id, period, issue_date, currency, "
      "net_cents, vat_cents, total_cents, line_count, preceding_number, document, created_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.Bind(1, inv.number).Bind(2, core::ToString(inv.type)).Bind(3, inv.contract_id);
  s.Bind(4, inv.customer_id).Bind(5, inv.period).Bind(6, inv.issue_date).Bind(7, inv.currency);
  s.Bind(8, inv.totals.tax_exclusive).Bind(9, inv.totals.vat).Bind(10, inv.totals.payable);
  s.Bind(11, static_cast<std::int64_t>(inv.lines.size()));
  if (inv.preceding_number.empty()) {
    s.BindNull(12);
  } else {
    s.Bind(12, inv.preceding_number);
  }
  s.Bind(13, codec::EncodeInvoice(inv)).Bind(14, now);
  s.Run();
}

core::Decision<std::vector<CloseOutcome>> InvoiceLedger::ClosePeriod(
    const core::Period& period, const std::string& issue_date, core::UnixMillis now,
    const std::function<void(const core::Invoice&)>& on_issued) {
  if (!issue_date.empty() && !core::IsDate(issue_date)) {
    return core::Refusal{RefusalKind::kInvalid, "issue date \"" + issue_date + "\" is not a date YYYY-MM-DD"};
  }
  const std::vector<core::Contract> contracts = Contracts();
  if (contracts.empty())
    return core::Refusal{RefusalKind::kConflict, "no contract imported: run `fieldproof contract import FILE`"};
  const std::string period_text = core::ToString(period);
  std::vector<CloseOutcome> outcomes;
  try {
    store::InTransaction(db_, [&] {
      outcomes.clear();
      for (const core::Contract& c : contracts) {
        CloseOutcome out;
        out.contract_id = c.contract_id;
        out.currency = c.currency;
        auto closed = db_.Prepare(
            "SELECT coalesce(invoice_number, '') FROM period_closes WHERE contract_id = ? AND "
            "period = ?");
        if (closed.Bind(1, c.contract_id).Bind(2, period_text).Step()) {
          out.already_closed = true;
          out.invoice_number = closed.Text(0);
          closed.Reset();
          outcomes.push_back(std::move(out));
          continue;
        }
        auto last = db_.Prepare(
            "SELECT coalesce(max(period), '') FROM period_closes WHERE contract_id = ?");
        last.Bind(1, c.contract_id).Step();
        const std::string latest = last.Text(0);
        last.Reset();
        if (!latest.empty() && latest > period_text) {
          throw RollBack{{RefusalKind::kConflict, "contract " + c.contract_id + " already closed " + latest +
                                ", after " + period_text + ": work of " + period_text +
                                " not billed yet goes on the next open period"}};
        }
        const auto visits = UnbilledVisits(c, core::PeriodEnd(period, c.time_zone));
        std::set<core::CalloutDay> callouts_billed;
        auto billed = db_.Prepare(
            "SELECT site, technician_id, day FROM billed_callouts WHERE contract_id = ?");
        billed.Bind(1, c.contract_id);
        while (billed.Step())
          callouts_billed.insert({billed.Text(0), billed.Text(1), billed.Text(2)});

        core::DraftLines draft = core::DraftInvoiceLines(c, visits, callouts_billed);
        out.unbillable = std::move(draft.unbillable);
        out.records_billed = draft.billed.size();
        if (!draft.lines.empty()) {
          std::set<std::string> sites(c.sites.begin(), c.sites.end());
          for (const auto& r : draft.billed) sites.insert(r.site);
          core::Invoice inv = core::MakeInvoice(
              c, core::FormatDocumentNumber(c.invoice_series, NextNumber(c.invoice_series)), period,
              issue_date.empty() ? core::LocalDate(now, c.time_zone) : issue_date,
              std::move(draft.lines), ChainHeads({sites.begin(), sites.end()}));
          StoreDocument(inv, now);
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
              callout.Bind(1, c.contract_id).Bind(2, line.site).Bind(3, line.technician_id);
              callout.Bind(4, line.service_date).Bind(5, inv.number).Bind(6, line.line_no).Run();
            }
          }
          out.invoice_number = inv.number;
          out.lines = inv.lines.size();
          out.payable = inv.totals.payable;
          if (on_issued) on_issued(inv);
        }
        db_.Prepare(
               "INSERT INTO period_closes (contract_id, period, invoice_number, records_billed, "
               "not_billable, closed_at) VALUES (?,?,?,?,?,?)")
            .Bind(1, c.contract_id)
            .Bind(2, period_text)
            .BindOptional(
                3, out.invoice_number.empty() ? std::nullopt : std::optional(out.invoice_number))
            .Bind(4, static_cast<std::int64_t>(out.records_billed))
            .Bind(5, static_cast<std::int64_t>(out.unbillable.size()))
            .Bind(6, now)
            .Run();
        outcomes.push_back(std::move(out));
      }
    });
  } catch (const RollBack& r) {
    return r.refusal;
  }
  return outcomes;
}

core::Decision<core::Invoice> InvoiceLedger::IssueCreditNote(const std::string& number,
                                                           const std::string& reason,
                                                           const std::vector<int>& line_nos,
                                                           const std::string& issue_date,
                                                           core::UnixMillis now) {
  if (reason.empty()) return core::Refusal{RefusalKind::kInvalid, "a credit note needs a reason"};
  if (!issue_date.empty() && !core::IsDate(issue_date)) {
    return core::Refusal{RefusalKind::kInvalid, "issue date \"" + issue_date + "\" is not a date YYYY-MM-DD"};
  }
  core::Invoice note;
  try {
    store::InTransaction(db_, [&] {
      const auto original = Get(number);
      if (!original) throw RollBack{{RefusalKind::kNotFound, "no document " + number}};
      if (original->type != core::DocumentType::kInvoice) {
        throw RollBack{{RefusalKind::kInvalid, number + " is a credit note; only invoices are credited"}};
      }
      const core::Contract* contract = nullptr;
      const auto contracts = Contracts();
      for (const auto& c : contracts) {
        if (c.contract_id == original->contract_id) contract = &c;
      }
      if (!contract)
        throw RollBack{{RefusalKind::kConflict, "contract " + original->contract_id + " is no longer imported"}};
      auto draft = core::MakeCreditNote(*original, "", "", reason, line_nos);
      if (!draft) throw RollBack{{RefusalKind::kInvalid, number + " has no such line"}};
      auto credited = db_.Prepare(
          "SELECT credit_note_number FROM credited_lines WHERE invoice_number = ? AND line_no = ?");
      for (const auto& line : draft->lines) {
        credited.Bind(1, number).Bind(2, line.line_no);
        if (credited.Step()) {
          const std::string by = credited.Text(0);
          credited.Reset();
          throw RollBack{{RefusalKind::kConflict, "line " + std::to_string(line.line_no) + " of " + number +
                                " was credited already by " + by}};
        }
      }
      note = *core::MakeCreditNote(
          *original,
          core::FormatDocumentNumber(contract->credit_note_series,
                                     NextNumber(contract->credit_note_series)),
          issue_date.empty() ? core::LocalDate(now, contract->time_zone) : issue_date, reason,
          line_nos);
      StoreDocument(note, now);
      auto mark = db_.Prepare(
          "INSERT INTO credited_lines (invoice_number, line_no, credit_note_number) VALUES "
          "(?,?,?)");
      for (const auto& line : note.lines)
        mark.Bind(1, number).Bind(2, line.line_no).Bind(3, note.number).Run();
    });
  } catch (const RollBack& r) {
    return r.refusal;
  }
  return note;
}

std::vector<InvoiceSummary> InvoiceLedger::List(const std::string& period,
                                                const std::string& customer_id) {
  auto s = db_.Prepare(
      "SELECT number, type, contract_id, customer_id, period, issue_date, currency, net_cents, "
      "vat_cents, total_cents, line_count, coalesce(preceding_number, '') FROM invoices "
      "WHERE (?1 = '' OR period = ?1) AND (?2 = '' OR customer_id = ?2) ORDER BY created_at, "
      "number");
  s.Bind(1, period).Bind(2, customer_id);
  std::vector<InvoiceSummary> out;
  while (s.Step()) {
    InvoiceSummary i;
    i.number = s.Text(0);
    i.type = core::ParseDocumentType(s.Text(1)).value_or(core::DocumentType::kInvoice);
    i.contract_id = s.Text(2);
    i.customer_id = s.Text(3);
    i.period = s.Text(4);
    i.issue_date = s.Text(5);
    i.currency = s.Text(6);
    i.net = s.Int(7);
    i.vat = s.Int(8);
    i.total = s.Int(9);
    i.lines = s.Int(10);
    i.preceding_number = s.Text(11);
    out.push_back(std::move(i));
  }
  return out;
}

std::optional<core::Invoice> InvoiceLedger::Get(const std::string& number) {
  auto s = db_.Prepare("SELECT document FROM invoices WHERE number = ?");
  s.Bind(1, number);
  if (!s.Step()) return std::nullopt;
  core::Invoice inv = DecodeStored(number, s.Text(0));
  s.Reset();
  return inv;
}

std::vector<core::Invoice> InvoiceLedger::DocumentsOf(const core::Period& period) {
  auto s = db_.Prepare(
      "SELECT number, document FROM invoices WHERE period = ? ORDER BY type DESC, number");
  s.Bind(1, core::ToString(period));
  std::vector<core::Invoice> out;
  while (s.Step()) out.push_back(DecodeStored(s.Text(0), s.Text(1)));
  return out;
}

std::vector<NotBillable> InvoiceLedger::ListNotBillable(const core::Period& period) {
  std::vector<NotBillable> out;
  const auto contracts = Contracts();
  // The period in each customer's own time zone; customers without a contract: UTC.
  auto bounds = [&](const std::string& customer) {
    for (const auto& c : contracts) {
      if (c.customer_id == customer) {
        return std::pair(core::PeriodStart(period, c.time_zone),
                         core::PeriodEnd(period, c.time_zone));
      }
    }
    return std::pair(core::PeriodStart(period, {}), core::PeriodEnd(period, {}));
  };
  auto s = db_.Prepare(
      "SELECT i.site, i.id, coalesce(i.asset_id, ''), i.technician_id, i.ended_at, "
      "coalesce(rv.decision, i.verdict), coalesce(a.owner_id, ''), "
      "coalesce(rv.reason, (SELECT group_concat(c.name || ' ' || c.status || ': ' || c.detail, '; "
      "') "
      "  FROM inspection_checks c WHERE c.inspection_id = i.id AND c.status IN ('fail', "
      "'review'))), "
      "  rv.decision IS NOT NULL "
      "FROM inspections i LEFT JOIN reviews rv ON rv.inspection_id = i.id "
      "LEFT JOIN assets a ON a.site = i.site AND a.asset_id = i.asset_id "
      "WHERE i.verdict IN ('needs_review', 'rejected') AND coalesce(rv.decision, '') <> 'verified' "
      "  AND i.ended_at >= ? AND i.ended_at < ? ORDER BY i.ended_at, i.id");
  // The widest window any time zone could need; each row is then checked in its own zone.
  s.Bind(1, core::PeriodStart(period, {}) - 86'400'000)
      .Bind(2, core::PeriodEnd(period, {}) + 86'400'000);
  while (s.Step()) {
    const auto [start, end] = bounds(s.Text(6));
    const core::UnixMillis ended = s.Int(4);
    if (ended < start || ended >= end) continue;
    NotBillable n{s.Text(0), s.Int(1), s.Text(2), s.Text(3), ended, s.Text(5), s.Text(7)};
    if (s.Int(8)) n.reason = "rejected on review: " + n.reason;
    out.push_back(std::move(n));
  }
  // Verified work nobody can be billed for yet: no contract, or no price in it.
  std::set<std::string> customers;
  for (const auto& c : contracts) {
    customers.insert(c.customer_id);
    const auto draft =
        core::DraftInvoiceLines(c, UnbilledVisits(c, core::PeriodEnd(period, c.time_zone)), {});
    for (const auto& u : draft.unbillable) {
      out.push_back({u.visit.record.site, u.visit.record.inspection_id, u.visit.asset_id,
                     u.visit.technician_id, u.visit.ended_at, "not_in_contract", u.reason});
    }
  }
  auto orphan = db_.Prepare(
      "SELECT r.site, r.inspection_id, r.asset_id, r.technician_id, r.ended_at, a.owner_id "
      "FROM maintenance_records r JOIN assets a ON a.site = r.site AND a.asset_id = r.asset_id "
      "WHERE r.verdict IN ('verified', 'verified_with_defects') AND r.ended_at < ? "
      "  AND NOT EXISTS (SELECT 1 FROM billed_records b WHERE b.site = r.site AND b.seq = r.seq) "
      "ORDER BY r.ended_at");
  orphan.Bind(1, core::PeriodEnd(period, {}));
  while (orphan.Step()) {
    if (customers.count(orphan.Text(5))) continue;
    out.push_back({orphan.Text(0), orphan.Int(1), orphan.Text(2), orphan.Text(3), orphan.Int(4),
                   "no_contract", "no contract for customer " + orphan.Text(5)});
  }
  return out;
}

}  // namespace fieldproof::billing
