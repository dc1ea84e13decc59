#pragma once
// The billing adapter over SQLite: contracts, period close, issued invoices and credit
// notes, and what could not be billed. Every issuing operation is one transaction, so an
// interrupted close leaves nothing behind and a repeated one finds the period closed;
// billed_records (one row per maintenance record, unique) makes double billing impossible
// rather than unlikely. Not thread-safe: one ledger per connection.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/contract.hpp"
#include "gateway/core/invoice.hpp"
#include "gateway/core/rejection.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::billing {

struct CloseOutcome {
  std::string contract_id;
  std::string invoice_number;   // Empty when there was nothing to bill.
  bool already_closed = false;  // Closed before: nothing issued now.
  std::size_t records_billed = 0;
  std::size_t lines = 0;
  core::Cents payable = 0;
  std::string currency;
  std::vector<core::UnbillableVisit> unbillable;
};

struct InvoiceSummary {
  std::string number;
  core::DocumentType type;
  std::string contract_id, customer_id, period, issue_date, currency, preceding_number;
  core::Cents net = 0, vat = 0, total = 0;
  std::int64_t lines = 0;
};

// An inspection of the period that is not billed, and why.
struct NotBillable {
  std::string site;
  std::int64_t inspection_id = 0;
  std::string asset_id;
  std::string technician_id;
  core::UnixMillis ended_at = 0;
  std::string status;  // needs_review | rejected | not_in_contract | no_contract
  std::string reason;
};

class InvoiceLedger {
 public:
  explicit InvoiceLedger(store::Database& db);

  // Adds or replaces the customer's contract. Invoices already issued keep the terms
  // they were issued under (each document holds its own copy).
  void ImportContract(const core::Contract& contract, const std::string& document,
                      core::UnixMillis now);
  std::vector<core::Contract> Contracts();

  // Closes `period` for every contract: bills each verified maintenance record of the
  // customer's sites that ended before the period's end and is not billed yet, in one
  // transaction. `issue_date` empty = today in the contract's time zone. `on_issued` runs
  // inside the transaction after each invoice is written (progress reporting). Fails
  // (nothing written) if a later period of any contract is already closed.
  core::Decision<std::vector<CloseOutcome>> ClosePeriod(
      const core::Period& period, const std::string& issue_date, core::UnixMillis now,
      const std::function<void(const core::Invoice&)>& on_issued = {});

  // Credit note for `line_nos` of invoice `number` (all lines when empty). A line is
  // credited at most once.
  core::Decision<core::Invoice> IssueCreditNote(const std::string& number, const std::string& reason,
                                              const std::vector<int>& line_nos,
                                              const std::string& issue_date, core::UnixMillis now);

  std::vector<InvoiceSummary> List(const std::string& period, const std::string& customer_id);
  std::optional<core::Invoice> Get(const std::string& number);
  // Invoices of `period` and the credit notes that correct them, by number.
  std::vector<core::Invoice> DocumentsOf(const core::Period& period);

  // Inspections that ended in `period` and are not (or cannot be) billed: needing review,
  // rejected, verified but without a price in the contract, or of a customer without one.
  std::vector<NotBillable> ListNotBillable(const core::Period& period);

 private:
  std::vector<core::BillableVisit> UnbilledVisits(const core::Contract& contract,
                                                  core::UnixMillis before);
  std::vector<core::ChainAnchor> ChainHeads(const std::vector<std::string>& sites);
  std::int64_t NextNumber(const std::string& series);
  void StoreDocument(const core::Invoice& invoice, core::UnixMillis now);

  store::Database& db_;
};

}  // namespace fieldproof::billing
