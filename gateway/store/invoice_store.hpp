#pragma once
// Billing's tables: contracts, issued documents and their numbers, what was billed and
// credited, closed periods. Each operation runs in the caller's transaction; the billing
// ledger decides what one transaction holds. Not thread-safe: one per connection.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gateway/core/contract.hpp"
#include "gateway/core/invoice.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

// An inspection of a period that was not billed because it needs review or was rejected.
struct RefusedInspection {
  core::NotBillable inspection;  // status: needs_review | rejected
  std::string owner_id;          // The asset's owner; empty for an unknown tag.
  bool rejected_on_review = false;
};

// A verified maintenance record that no invoice holds.
struct UnbilledRecord {
  core::NotBillable inspection;
  std::string owner_id;
};

class InvoiceStore {
 public:
  explicit InvoiceStore(Database& db) : db_(db) {}

  // The customer's one contract: replaces any other contract of the customer.
  void SaveContract(const core::Contract& contract, const std::string& document,
                    core::UnixMillis now);
  std::vector<core::Contract> Contracts();  // By id. CorruptData for one that does not decode.

  // Verified records of `customer_id`'s assets that ended before `before` and are not billed,
  // one per inspection (a verdict and a later review bill it once), by site and seq.
  std::vector<core::BillableVisit> UnbilledVisits(const std::string& customer_id,
                                                  core::UnixMillis before);
  // The last record of each site that has one.
  std::vector<core::ChainAnchor> ChainHeads(const std::vector<std::string>& sites);
  // The series' next number. Counted in the caller's transaction, so a close that rolls
  // back gives its number back and the series stays without gaps.
  std::int64_t NextNumber(const std::string& series);
  void SaveDocument(const core::Invoice& document, core::UnixMillis now);
  // Marks the records and call-out days an invoice bills.
  void MarkBilled(const std::string& contract_id, const core::Invoice& invoice);
  std::set<core::CalloutDay> BilledCallouts(const std::string& contract_id);

  // The invoice number a closed period issued ("" for none); nullopt while it is open.
  std::optional<std::string> ClosedPeriod(const std::string& contract_id, const std::string& period);
  std::string LatestClosedPeriod(const std::string& contract_id);  // "" when none.
  void SavePeriodClose(const std::string& contract_id, const std::string& period,
                       const std::string& invoice_number, std::int64_t records_billed,
                       std::int64_t not_billable, core::UnixMillis now);

  // The credit note that credited a line of an invoice already, if any.
  std::optional<std::string> CreditedBy(const std::string& invoice_number, int line_no);
  void MarkCredited(const std::string& invoice_number, const core::Invoice& credit_note);

  // Issued documents, in the order they were issued; "" = any period or customer.
  std::vector<core::InvoiceSummary> ListDocuments(const std::string& period,
                                                  const std::string& customer_id);
  std::optional<core::Invoice> FindDocument(const std::string& number);
  // A period's invoices, then its credit notes, each by number.
  std::vector<core::Invoice> DocumentsOf(const std::string& period);

  // Inspections needing review or rejected (and not verified on review) that ended in
  // [from, to), by end.
  std::vector<RefusedInspection> RefusedInspections(core::UnixMillis from, core::UnixMillis to);
  // Verified records that ended before `before` and no invoice holds, by end.
  std::vector<UnbilledRecord> UnbilledRecords(core::UnixMillis before);

 private:
  Database& db_;
};

}  // namespace fieldproof::store
