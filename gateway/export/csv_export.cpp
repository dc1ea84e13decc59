#include "gateway/export/csv_export.hpp"

#include <vector>

#include "gateway/codec/spreadsheet_csv.hpp"
#include "gateway/export/record_refs.hpp"

namespace fieldproof::exporter {
namespace {

using Cell = codec::SheetCell;

// Text columns are neutralised against formula injection (names and references come from
// contracts); amounts, counts and rates stay numbers for the spreadsheet to add up.
std::vector<Cell> LineCells(const core::Invoice& d, const core::InvoiceLine& l) {
  return {Cell::Text(d.number),
          Cell::Text(std::string(core::ToString(d.type))),
          Cell::Number(std::string(core::TypeCode(d.type))),
          Cell::Text(d.issue_date),
          Cell::Text(d.due_date),
          Cell::Text(d.period),
          Cell::Text(d.preceding_number),
          Cell::Text(d.contract_id),
          Cell::Text(d.customer_id),
          Cell::Text(d.buyer.name),
          Cell::Text(d.buyer.vat_id),
          Cell::Text(d.buyer_reference),
          Cell::Text(d.purchase_order),
          Cell::Text(d.currency),
          Cell::Number(std::to_string(l.line_no)),
          Cell::Text(std::string(core::ToString(l.kind))),
          Cell::Text(l.item_id),
          Cell::Text(l.name),
          Cell::Text(l.description),
          Cell::Text(l.service_date),
          Cell::Text(l.site),
          Cell::Text(l.asset_id),
          Cell::Text(l.technician_id),
          Cell::Text(l.work_order_id),
          Cell::Number(std::to_string(l.quantity)),
          Cell::Text("C62"),
          Cell::Number(core::FormatAmount(l.unit_price)),
          Cell::Number(core::FormatAmount(l.net)),
          Cell::Text(l.vat_category),
          Cell::Number(core::FormatPercent(l.vat_rate_bp)),
          Cell::Text(RecordIds(l.records)),
          Cell::Text(RecordHashes(l.records)),
          Cell::Text(InspectionIds(l.records)),
          Cell::Text(EvidenceTaps(l.records)),
          Cell::Number(core::FormatAmount(d.totals.tax_exclusive)),
          Cell::Number(core::FormatAmount(d.totals.vat)),
          Cell::Number(core::FormatAmount(d.totals.payable))};
}

}  // namespace

std::string WriteInvoiceCsv(std::span<const core::Invoice> documents) {
  std::string out(kInvoiceCsvColumns);
  out += "\r\n";
  for (const core::Invoice& d : documents) {
    for (const core::InvoiceLine& l : d.lines) codec::AppendSheetRecord(out, LineCells(d, l));
  }
  return out;
}

}  // namespace fieldproof::exporter
