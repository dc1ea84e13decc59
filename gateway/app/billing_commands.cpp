#include "gateway/app/billing_commands.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "gateway/app/read_file.hpp"
#include "gateway/app/system_clock.hpp"
#include "gateway/billing/invoice_ledger.hpp"
#include "gateway/codec/billing_codec.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/core/text.hpp"
#include "gateway/export/csv_export.hpp"
#include "gateway/export/ubl_writer.hpp"
#include "gateway/store/migrations.hpp"

namespace fieldproof::app {
namespace {

namespace fs = std::filesystem;

// Written to a temporary name and renamed, so an ERP polling the folder never reads half a file.
void WriteFileAtomically(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

std::optional<core::Period> PeriodArg(const std::string& text) {
  auto period = core::ParsePeriod(text);
  if (!period) std::cerr << "error: period \"" << text << "\" is not YYYY-MM\n";
  return period;
}

// Test hook for the "killed midway" proof: stall inside the close transaction after the
// first invoice, so a test can kill the process there.
void MaybeStall() {
  if (std::getenv("FIELDPROOF_FAULT_STALL_IN_CLOSE") == nullptr) return;
  std::cerr << "close: stalling inside the transaction (FIELDPROOF_FAULT_STALL_IN_CLOSE)"
            << std::endl;
  while (true) std::this_thread::sleep_for(std::chrono::hours(1));
}

// Parties, references, descriptions and the credit reason come from contracts and operators
// and may predate the import checks: escaped for the terminal.
void PrintInvoice(const core::Invoice& inv) {
  auto shown = [](const std::string& text) { return core::PrintableText(text); };
  std::printf("%s %s  issued %s%s%s  period %s (%s .. %s)\n",
              inv.type == core::DocumentType::kInvoice ? "Invoice" : "Credit note",
              shown(inv.number).c_str(), inv.issue_date.c_str(),
              inv.due_date.empty() ? "" : "  due ", inv.due_date.c_str(), inv.period.c_str(),
              inv.period_start.c_str(), inv.period_end.c_str());
  if (!inv.preceding_number.empty()) {
    std::printf("Corrects invoice %s of %s: %s\n", shown(inv.preceding_number).c_str(),
                inv.preceding_issue_date.c_str(), shown(inv.note).c_str());
  }
  std::printf("From %s (%s)  to %s (%s)  contract %s  buyer reference %s\n\n",
              shown(inv.seller.name).c_str(), shown(inv.seller.vat_id).c_str(),
              shown(inv.buyer.name).c_str(), shown(inv.buyer.vat_id).c_str(),
              shown(inv.contract_id).c_str(), shown(inv.buyer_reference).c_str());
  std::printf("%5s  %-10s  %-26s  %-44s  %10s\n", "line", "date", "item", "description", "net");
  for (const auto& l : inv.lines) {
    std::printf("%5d  %-10s  %-26s  %-44.44s  %10s\n", l.line_no, l.service_date.c_str(),
                shown(l.item_id).c_str(), shown(l.description).c_str(),
                core::FormatAmount(l.net).c_str());
  }
  std::printf("\n");
  for (const auto& s : inv.vat) {
    std::printf("VAT %s %s %% on %s: %s %s\n", s.category.c_str(),
                core::FormatPercent(s.rate_bp).c_str(), core::FormatAmount(s.taxable).c_str(),
                core::FormatAmount(s.tax).c_str(), inv.currency.c_str());
  }
  std::printf("Net %s  VAT %s  Total %s %s\n", core::FormatAmount(inv.totals.tax_exclusive).c_str(),
              core::FormatAmount(inv.totals.vat).c_str(),
              core::FormatAmount(inv.totals.payable).c_str(), inv.currency.c_str());
  for (const auto& h : inv.chain_heads) {
    std::printf("Record chain %s at #%lld %s\n", h.site.c_str(), static_cast<long long>(h.seq),
                h.hash.c_str());
  }
}

}  // namespace

BillingCommands::BillingCommands(CLI::App& app) {
  auto* contract =
      app.add_subcommand("contract", "Customer contracts: prices, parties, payment terms");
  contract->require_subcommand(1);
  contract_import_ = contract->add_subcommand(
      "import", "Add or replace a customer's contract from a JSON file (schemas/contract.json)");
  contract_import_->add_option("file", file_, "Contract JSON file")->required();
  contract_list_ = contract->add_subcommand("list", "List the contracts in force");

  auto* invoice = app.add_subcommand("invoice", "Invoices from verified work, for billing staff");
  invoice->require_subcommand(1);
  const std::string period_help = "Billing period YYYY-MM (in each contract's time zone)";
  close_ = invoice->add_subcommand(
      "close",
      "Close a period: invoice every verified maintenance record not billed yet, for every "
      "contract, in one transaction. Closing again changes nothing.");
  close_->add_option("--period", period_, period_help)->required();
  close_->add_option("--issue-date", issue_date_, "Issue date YYYY-MM-DD (default: today)");

  list_ = invoice->add_subcommand("list", "List issued invoices and credit notes");
  list_->add_option("--period", period_, "Only this period YYYY-MM");
  list_->add_option("--customer", customer_, "Only this customer");
  list_->add_flag("--json", json_, "Print JSON");

  show_ = invoice->add_subcommand("show", "Show one invoice or credit note");
  show_->add_option("number", number_, "Document number, e.g. FP-INV-000001")->required();
  format_ = "text";
  show_->add_option("--format", format_, "text, json or ubl")
      ->check(CLI::IsMember({"text", "json", "ubl"}))
      ->capture_default_str();

  export_ = invoice->add_subcommand(
      "export",
      "Write a period's invoices and credit notes for ERP import (byte-identical on re-export)");
  export_->add_option("--period", period_, period_help)->required();
  export_
      ->add_option("--format", format_,
                   "csv (one file), json (one file) or ubl (one file per document)")
      ->required()
      ->check(CLI::IsMember({"csv", "json", "ubl"}));
  export_->add_option("--out", out_dir_, "Output folder (created if missing)")->required();

  credit_ = invoice->add_subcommand(
      "credit", "Issue a credit note correcting an invoice (issued invoices never change)");
  credit_->add_option("number", number_, "Invoice number")->required();
  credit_->add_option("--reason", reason_, "Why (printed on the credit note)")->required();
  credit_->add_option("--line", lines_,
                      "Credit only these line numbers (repeatable; default: all)");
  credit_->add_option("--issue-date", issue_date_, "Issue date YYYY-MM-DD (default: today)");

  not_billable_ = invoice->add_subcommand(
      "not-billable", "Inspections of a period that are not billed, with the reason");
  not_billable_->add_option("--period", period_, period_help)->required();
  not_billable_->add_flag("--json", json_, "Print JSON");
}

std::optional<int> BillingCommands::Run(const std::string& db_path) {
  const std::pair<CLI::App*, int (BillingCommands::*)(billing::InvoiceLedger&)> commands[] = {
      {contract_import_, &BillingCommands::ImportContract}, {contract_list_, &BillingCommands::ListContracts},
      {close_, &BillingCommands::ClosePeriod},               {list_, &BillingCommands::ListDocuments},
      {show_, &BillingCommands::ShowDocument},               {export_, &BillingCommands::ExportPeriod},
      {credit_, &BillingCommands::IssueCreditNote},          {not_billable_, &BillingCommands::ListNotBillable}};
  for (const auto& [command, run] : commands) {
    if (!*command) continue;
    store::Database db(db_path);
    store::Migrate(db);
    billing::InvoiceLedger ledger(db);
    return (this->*run)(ledger);
  }
  return std::nullopt;
}

int BillingCommands::ImportContract(billing::InvoiceLedger& ledger) {
  const auto text = ReadFile(file_);
  if (!text) {
    std::cerr << "error: cannot read " << file_ << "\n";
    return 2;
  }
  const auto contract = codec::DecodeContractForImport(*text);
  if (!contract.ok()) {
    std::cerr << "error: " << file_ << ": " << core::ReasonCode(contract.error().reason) << ": "
              << core::PrintableText(contract.error().detail) << "\n";
    return 2;
  }
  ledger.ImportContract(contract.value(), *text, NowMillis());
  std::cout << "contract " << contract.value().contract_id << " for customer "
            << contract.value().customer_id << " imported\n";
  return 0;
}

int BillingCommands::ListContracts(billing::InvoiceLedger& ledger) {
  for (const auto& c : ledger.Contracts()) {
    // Contracts imported before the import checked their text may hold control characters.
    std::cout << c.contract_id << "  customer " << c.customer_id << "  "
              << core::PrintableText(c.buyer.name) << "  " << c.inspection_prices.size()
              << " inspection prices, " << c.repairs.size() << " repair items, series "
              << c.invoice_series << " / " << c.credit_note_series << "\n";
  }
  return 0;
}

int BillingCommands::ClosePeriod(billing::InvoiceLedger& ledger) {
  const auto period = PeriodArg(period_);
  if (!period) return 2;
  const auto outcomes =
      ledger.ClosePeriod(*period, issue_date_, NowMillis(), [](const core::Invoice& inv) {
        std::cout << "issued " << inv.number << ": " << inv.lines.size() << " lines, "
                  << core::FormatAmount(inv.totals.payable) << " " << inv.currency << std::endl;
        MaybeStall();
      });
  if (!outcomes.ok()) {
    std::cerr << "error: " << core::PrintableText(outcomes.error().detail) << "\n";
    return 1;
  }
  for (const auto& o : outcomes.value()) {
    if (o.already_closed) {
      std::cout << o.contract_id << ": " << period_ << " was closed before"
                << (o.invoice_number.empty() ? " (nothing billed)" : " with " + o.invoice_number)
                << "; nothing issued\n";
      continue;
    }
    std::cout
        << o.contract_id << ": "
        << (o.invoice_number.empty()
                ? "nothing to bill"
                : o.invoice_number + ", " + std::to_string(o.records_billed) + " records billed")
        << (o.unbillable.empty()
                ? ""
                : ", " + std::to_string(o.unbillable.size()) +
                      " verified records the contract does not cover (see invoice not-billable)")
        << "\n";
  }
  return 0;
}

int BillingCommands::ListDocuments(billing::InvoiceLedger& ledger) {
  const auto rows = ledger.List(period_, customer_);
  if (json_) {
    std::cout << codec::EncodeInvoiceSummaryArray(rows);
    return 0;
  }
  std::printf("%-16s %-11s %-7s %-10s %-12s %6s %12s %s\n", "number", "type", "period", "issued",
              "customer", "lines", "total", "corrects");
  for (const auto& r : rows) {
    std::printf("%-16s %-11s %-7s %-10s %-12s %6lld %12s %s\n", r.number.c_str(),
                std::string(core::ToString(r.type)).c_str(), r.period.c_str(),
                r.issue_date.c_str(), r.customer_id.c_str(), static_cast<long long>(r.lines),
                (core::FormatAmount(r.total) + " " + r.currency).c_str(),
                r.preceding_number.c_str());
  }
  if (rows.empty()) std::cout << "no invoices\n";
  return 0;
}

int BillingCommands::ShowDocument(billing::InvoiceLedger& ledger) {
  const auto inv = ledger.Get(number_);
  if (!inv) {
    std::cerr << "error: no document " << number_ << "\n";
    return 1;
  }
  if (format_ == "json") {
    std::cout << codec::EncodeInvoice(*inv) << "\n";
  } else if (format_ == "ubl") {
    std::cout << exporter::WriteUbl(*inv);
  } else {
    PrintInvoice(*inv);
  }
  return 0;
}

int BillingCommands::ExportPeriod(billing::InvoiceLedger& ledger) {
  const auto period = PeriodArg(period_);
  if (!period) return 2;
  const auto documents = ledger.DocumentsOf(*period);
  fs::create_directories(out_dir_);
  std::vector<fs::path> written;
  if (format_ == "csv") {
    written.push_back(fs::path(out_dir_) / ("invoices-" + period_ + ".csv"));
    WriteFileAtomically(written.back(), exporter::WriteInvoiceCsv(documents));
  } else if (format_ == "json") {
    written.push_back(fs::path(out_dir_) / ("invoices-" + period_ + ".json"));
    WriteFileAtomically(written.back(), codec::EncodeInvoiceExport(period_, documents));
  } else {
    for (std::size_t i = 0; i < documents.size(); ++i) {
      written.push_back(fs::path(out_dir_) / exporter::UblFileName(documents[i]));
      WriteFileAtomically(written.back(), exporter::WriteUbl(documents[i]));
      if (documents.size() > 20 && (i + 1) % 20 == 0) {
        std::cerr << "  " << (i + 1) << "/" << documents.size() << " UBL documents\n";
      }
    }
  }
  std::cout << documents.size() << " documents of " << period_ << " exported as " << format_
            << ":\n";
  for (const auto& p : written) std::cout << "  " << p.string() << "\n";
  return 0;
}

int BillingCommands::IssueCreditNote(billing::InvoiceLedger& ledger) {
  const auto note = ledger.IssueCreditNote(number_, reason_, lines_, issue_date_, NowMillis());
  if (!note.ok()) {
    std::cerr << "error: " << core::PrintableText(note.error().detail) << "\n";
    return 1;
  }
  std::cout << "issued credit note " << note.value().number << " for " << number_ << ": "
            << note.value().lines.size() << " lines, "
            << core::FormatAmount(note.value().totals.payable) << " " << note.value().currency
            << "\n";
  return 0;
}

int BillingCommands::ListNotBillable(billing::InvoiceLedger& ledger) {
  const auto period = PeriodArg(period_);
  if (!period) return 2;
  const auto rows = ledger.ListNotBillable(*period);
  if (json_) {
    std::cout << codec::EncodeNotBillableArray(rows);
    return 0;
  }
  for (const auto& r : rows) {
    std::cout << core::PrintableText(r.site) << "  inspection " << r.inspection_id << "  "
              << (r.asset_id.empty() ? "-" : core::PrintableText(r.asset_id)) << "  "
              << core::PrintableText(r.technician_id) << "  " << core::FormatRfc3339(r.ended_at)
              << "  " << r.status << ": " << core::PrintableText(r.reason) << "\n";
  }
  std::cout << rows.size() << " inspections of " << period_ << " not billed\n";
  return 0;
}

}  // namespace fieldproof::app
