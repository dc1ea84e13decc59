#pragma once
// The `contract` and `invoice` commands of the fieldproof CLI, for billing staff.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fieldproof::billing {
class InvoiceLedger;
}

namespace fieldproof::app {

class BillingCommands {
 public:
  explicit BillingCommands(CLI::App& app);
  // The exit code when one of these commands was given, else nullopt.
  std::optional<int> Run(const std::string& db_path);

 private:
  // One per subcommand; each returns the exit code.
  int ImportContract(billing::InvoiceLedger& ledger);
  int ListContracts(billing::InvoiceLedger& ledger);
  int ClosePeriod(billing::InvoiceLedger& ledger);
  int ListDocuments(billing::InvoiceLedger& ledger);
  int ShowDocument(billing::InvoiceLedger& ledger);
  int ExportPeriod(billing::InvoiceLedger& ledger);
  int IssueCreditNote(billing::InvoiceLedger& ledger);
  int ListNotBillable(billing::InvoiceLedger& ledger);

  CLI::App* contract_import_ = nullptr;
  CLI::App* contract_list_ = nullptr;
  CLI::App* close_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* export_ = nullptr;
  CLI::App* credit_ = nullptr;
  CLI::App* not_billable_ = nullptr;
  std::string file_, period_, issue_date_, customer_, number_, format_, out_dir_, reason_;
  std::vector<int> lines_;
  bool json_ = false;
};

}  // namespace fieldproof::app
