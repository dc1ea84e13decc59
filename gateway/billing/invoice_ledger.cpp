#include "gateway/billing/invoice_ledger.hpp"

#include <algorithm>
#include <set>

namespace fieldproof::billing {
namespace {

using core::RefusalKind;

// Thrown inside a transaction to roll it back with a reason for the caller.
struct RollBack {
  core::Refusal refusal;
};

std::optional<core::Refusal> BadIssueDate(const std::string& issue_date) {
  if (issue_date.empty() || core::IsDate(issue_date)) return std::nullopt;
  return core::Refusal{RefusalKind::kInvalid,
                       "issue date \"" + issue_date + "\" is not a date YYYY-MM-DD"};
}

}  // namespace

InvoiceLedger::InvoiceLedger(store::Database& db) : db_(db), store_(db) {}

void InvoiceLedger::ImportContract(const core::Contract& c, const std::string& document,
                                   core::UnixMillis now) {
  store::InTransaction(db_, [&] { store_.SaveContract(c, document, now); });
}

std::vector<core::Contract> InvoiceLedger::Contracts() { return store_.Contracts(); }

core::Decision<std::vector<CloseOutcome>> InvoiceLedger::ClosePeriod(
    const core::Period& period, const std::string& issue_date, core::UnixMillis now,
    const std::function<void(const core::Invoice&)>& on_issued) {
  if (auto bad = BadIssueDate(issue_date)) return *bad;
  const std::vector<core::Contract> contracts = Contracts();
  if (contracts.empty()) {
    return core::Refusal{RefusalKind::kConflict,
                         "no contract imported: run `fieldproof contract import FILE`"};
  }
  std::vector<CloseOutcome> outcomes;
  try {
    store::InTransaction(db_, [&] {
      outcomes.clear();
      for (const core::Contract& c : contracts) {
        outcomes.push_back(CloseContract(c, period, issue_date, now, on_issued));
      }
    });
  } catch (const RollBack& r) {
    return r.refusal;
  }
  return outcomes;
}

// One contract's part of a period close, inside its transaction: found closed already,
// refused when a later period is closed, else billed (or closed with nothing to bill).
CloseOutcome InvoiceLedger::CloseContract(
    const core::Contract& c, const core::Period& period, const std::string& issue_date,
    core::UnixMillis now, const std::function<void(const core::Invoice&)>& on_issued) {
  const std::string period_text = core::ToString(period);
  CloseOutcome out;
  out.contract_id = c.contract_id;
  out.currency = c.currency;
  if (auto number = store_.ClosedPeriod(c.contract_id, period_text)) {
    out.already_closed = true;
    out.invoice_number = *number;
    return out;
  }
  if (const std::string latest = store_.LatestClosedPeriod(c.contract_id);
      !latest.empty() && latest > period_text) {
    throw RollBack{{RefusalKind::kConflict,
                    "contract " + c.contract_id + " already closed " + latest + ", after " +
                        period_text + ": work of " + period_text +
                        " not billed yet goes on the next open period"}};
  }
  core::DraftLines draft = core::DraftInvoiceLines(
      c, store_.UnbilledVisits(c.customer_id, core::PeriodEnd(period, c.time_zone)),
      store_.BilledCallouts(c.contract_id));
  out.unbillable = std::move(draft.unbillable);
  out.records_billed = draft.billed.size();
  if (!draft.lines.empty()) {
    const core::Invoice inv = IssueInvoice(c, period, issue_date, now, std::move(draft));
    out.invoice_number = inv.number;
    out.lines = inv.lines.size();
    out.payable = inv.totals.payable;
    if (on_issued) on_issued(inv);
  }
  store_.SavePeriodClose(c.contract_id, period_text, out.invoice_number,
                         static_cast<std::int64_t>(out.records_billed),
                         static_cast<std::int64_t>(out.unbillable.size()), now);
  return out;
}

// Numbers, anchors to the chain heads of every site it bills or the contract names, stores
// the invoice and marks what it bills.
core::Invoice InvoiceLedger::IssueInvoice(const core::Contract& c, const core::Period& period,
                                          const std::string& issue_date, core::UnixMillis now,
                                          core::DraftLines draft) {
  std::set<std::string> sites(c.sites.begin(), c.sites.end());
  for (const auto& r : draft.billed) sites.insert(r.site);
  core::Invoice inv = core::MakeInvoice(
      c, core::FormatDocumentNumber(c.invoice_series, store_.NextNumber(c.invoice_series)), period,
      issue_date.empty() ? core::LocalDate(now, c.time_zone) : issue_date, std::move(draft.lines),
      store_.ChainHeads({sites.begin(), sites.end()}));
  store_.SaveDocument(inv, now);
  store_.MarkBilled(c.contract_id, inv);
  return inv;
}

core::Decision<core::Invoice> InvoiceLedger::IssueCreditNote(const std::string& number,
                                                             const std::string& reason,
                                                             const std::vector<int>& line_nos,
                                                             const std::string& issue_date,
                                                             core::UnixMillis now) {
  if (reason.empty()) return core::Refusal{RefusalKind::kInvalid, "a credit note needs a reason"};
  if (auto bad = BadIssueDate(issue_date)) return *bad;
  core::Invoice note;
  try {
    store::InTransaction(db_, [&] {
      const auto original = Get(number);
      if (!original) throw RollBack{{RefusalKind::kNotFound, "no document " + number}};
      if (original->type != core::DocumentType::kInvoice) {
        throw RollBack{
            {RefusalKind::kInvalid, number + " is a credit note; only invoices are credited"}};
      }
      const auto contracts = Contracts();
      const auto contract =
          std::find_if(contracts.begin(), contracts.end(),
                       [&](const core::Contract& c) { return c.contract_id == original->contract_id; });
      if (contract == contracts.end()) {
        throw RollBack{{RefusalKind::kConflict,
                        "contract " + original->contract_id + " is no longer imported"}};
      }
      const auto draft = core::MakeCreditNote(*original, "", "", reason, line_nos);
      if (!draft) throw RollBack{{RefusalKind::kInvalid, number + " has no such line"}};
      for (const auto& line : draft->lines) {
        if (const auto by = store_.CreditedBy(number, line.line_no)) {
          throw RollBack{{RefusalKind::kConflict, "line " + std::to_string(line.line_no) + " of " +
                                                      number + " was credited already by " + *by}};
        }
      }
      note = *core::MakeCreditNote(
          *original,
          core::FormatDocumentNumber(contract->credit_note_series,
                                     store_.NextNumber(contract->credit_note_series)),
          issue_date.empty() ? core::LocalDate(now, contract->time_zone) : issue_date, reason,
          line_nos);
      store_.SaveDocument(note, now);
      store_.MarkCredited(number, note);
    });
  } catch (const RollBack& r) {
    return r.refusal;
  }
  return note;
}

std::vector<core::InvoiceSummary> InvoiceLedger::List(const std::string& period,
                                                      const std::string& customer_id) {
  return store_.ListDocuments(period, customer_id);
}

std::optional<core::Invoice> InvoiceLedger::Get(const std::string& number) {
  return store_.FindDocument(number);
}

std::vector<core::Invoice> InvoiceLedger::DocumentsOf(const core::Period& period) {
  return store_.DocumentsOf(core::ToString(period));
}

std::vector<core::NotBillable> InvoiceLedger::ListNotBillable(const core::Period& period) {
  std::vector<core::NotBillable> out;
  const auto contracts = Contracts();
  // The period in each customer's own time zone; customers without a contract: UTC.
  auto in_period = [&](const std::string& customer, core::UnixMillis t) {
    core::TimeZoneRule zone;
    for (const auto& c : contracts) {
      if (c.customer_id == customer) zone = c.time_zone;
    }
    return t >= core::PeriodStart(period, zone) && t < core::PeriodEnd(period, zone);
  };
  // The widest window any time zone could need; each row is then checked in its own zone.
  for (auto& r : store_.RefusedInspections(core::PeriodStart(period, {}) - 86'400'000,
                                           core::PeriodEnd(period, {}) + 86'400'000)) {
    if (!in_period(r.owner_id, r.inspection.ended_at)) continue;
    if (r.rejected_on_review) r.inspection.reason = "rejected on review: " + r.inspection.reason;
    out.push_back(std::move(r.inspection));
  }
  // Verified work nobody can be billed for yet: no price in the contract, or no contract.
  std::set<std::string> customers;
  for (const auto& c : contracts) {
    customers.insert(c.customer_id);
    const auto draft = core::DraftInvoiceLines(
        c, store_.UnbilledVisits(c.customer_id, core::PeriodEnd(period, c.time_zone)), {});
    for (const auto& u : draft.unbillable) {
      out.push_back({u.visit.record.site, u.visit.record.inspection_id, u.visit.asset_id,
                     u.visit.technician_id, u.visit.ended_at, "not_in_contract", u.reason});
    }
  }
  for (auto& r : store_.UnbilledRecords(core::PeriodEnd(period, {}))) {
    if (customers.count(r.owner_id)) continue;
    r.inspection.status = "no_contract";
    r.inspection.reason = "no contract for customer " + r.owner_id;
    out.push_back(std::move(r.inspection));
  }
  return out;
}

}  // namespace fieldproof::billing
