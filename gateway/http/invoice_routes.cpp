// GET /api/v1/invoices, /invoices/{number} (JSON or UBL), /exports/{YYYY-MM.csv|json}:
// owners see their own customer's documents only, billing and admin every customer's.
#include "gateway/billing/invoice_ledger.hpp"
#include "gateway/codec/billing_codec.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/export/csv_export.hpp"
#include "gateway/export/ubl_writer.hpp"
#include "gateway/http/routes.hpp"

namespace fieldproof::http {
namespace {

using core::Capability;

// ?customer= narrows the list for the roles that see every customer; an owner's own.
std::string CustomerParam(const Call& c) {
  return c.principal.role == core::Role::kOwner ? c.principal.customer_id : c.Param("customer");
}

Response Invoices(Call& c) {
  c.Require(Capability::kReadInvoices);
  billing::InvoiceLedger ledger(c.db);
  return JsonReply(codec::EncodeInvoiceSummaries(ledger.List(c.Param("period"), CustomerParam(c))));
}

Response Invoice(Call& c) {
  c.Require(Capability::kReadInvoices);
  const std::string& number = c.args.at(0);
  billing::InvoiceLedger ledger(c.db);
  const auto invoice = ledger.Get(number);
  if (!invoice || !c.principal.SeesCustomer(invoice->customer_id)) {
    Fail(bhttp::status::not_found, "no invoice " + number);
  }
  if (c.Param("format") == "ubl") {
    return Reply(bhttp::status::ok, exporter::WriteUbl(*invoice), "application/xml");
  }
  return JsonReply(codec::EncodeInvoice(*invoice) + "\n");
}

// A period's invoices and credit notes as the ERP export (docs/billing.md).
Response Export(Call& c) {
  c.Require(Capability::kReadInvoices);
  const std::string& file = c.args.at(0);
  const auto dot = file.rfind('.');
  const std::string format = dot == std::string::npos ? "" : file.substr(dot + 1);
  const auto period = core::ParsePeriod(file.substr(0, dot));
  if (!period || (format != "csv" && format != "json")) {
    Fail(bhttp::status::not_found, "exports are /api/v1/exports/YYYY-MM.csv or .json");
  }
  billing::InvoiceLedger ledger(c.db);
  const std::string customer = CustomerParam(c);
  std::vector<core::Invoice> documents;
  for (auto& d : ledger.DocumentsOf(*period)) {
    if (c.principal.SeesCustomer(d.customer_id) && (customer.empty() || d.customer_id == customer)) {
      documents.push_back(std::move(d));
    }
  }
  if (format == "csv") {
    return Reply(bhttp::status::ok, exporter::WriteInvoiceCsv(documents),
                 "text/csv; charset=utf-8");
  }
  return JsonReply(codec::EncodeInvoiceExport(core::ToString(*period), documents));
}

}  // namespace

std::vector<Route> InvoiceRoutes() {
  return {{bhttp::verb::get, "/invoices", Invoices},
          {bhttp::verb::get, "/invoices/{number}", Invoice},
          {bhttp::verb::get, "/exports/{file}", Export}};
}

}  // namespace fieldproof::http
