#pragma once
// Billing's units of work over store::InvoiceStore: contracts, period close, issued invoices
// and credit notes, and what could not be billed. Every issuing operation is one
// transaction, so an interrupted close leaves nothing behind and a repeated one finds the
// period closed; billed_records (one row per maintenance record, unique) makes double
// billing impossible rather than unlikely. Not thread-safe: one ledger per connection.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/contract.hpp"
#include "gateway/core/invoice.hpp"
#include "gateway/core/rejection.hpp"
#include "gateway/store/invoice_store.hpp"
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

  std::vector<core::InvoiceSummary> List(const std::string& period, const std::string& customer_id);
  std::optional<core::Invoice> Get(const std::string& number);
  // Invoices of `period` and the credit notes that correct them, by number.
  std::vector<core::Invoice> DocumentsOf(const core::Period& period);

  // Inspections that ended in `period` and are not (or cannot be) billed: needing review,
  // rejected, verified but without a price in the contract, or of a customer without one.
  std::vector<core::NotBillable> ListNotBillable(const core::Period& period);

 private:
  CloseOutcome CloseContract(const core::Contract& contract, const core::Period& period,
                             const std::string& issue_date, core::UnixMillis now,
                             const std::function<void(const core::Invoice&)>& on_issued);
  core::Invoice IssueInvoice(const core::Contract& contract, const core::Period& period,
                             const std::string& issue_date, core::UnixMillis now,
                             core::DraftLines draft);

  store::Database& db_;
  store::InvoiceStore store_;
};

}  // namespace fieldproof::billing
