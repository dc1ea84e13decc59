#include "gateway/export/csv_export.hpp"

#include "gateway/codec/csv.hpp"
#include "gateway/export/record_refs.hpp"

namespace fieldproof::exporter {

std::string WriteInvoiceCsv(std::span<const core::Invoice> documents) {
  std::string out(kInvoiceCsvColumns);
  out += "\r\n";
  for (const core::Invoice& d : documents) {
    for (const core::InvoiceLine& l : d.lines) {
      codec::AppendCsvRecord(out, {d.number,
                                   std::string(core::ToString(d.type)),
                                   std::string(core::TypeCode(d.type)),
                                   d.issue_date,
                                   d.due_date,
                                   d.period,
                                   d.preceding_number,
                                   d.contract_id,
                                   d.customer_id,
                                   d.buyer.name,
                                   d.buyer.vat_id,
                                   d.buyer_reference,
                                   d.purchase_order,
                                   d.currency,
                                   std::to_string(l.line_no),
                                   std::string(core::ToString(l.kind)),
                                   l.item_id,
                                   l.name,
                                   l.description,
                                   l.service_date,
                                   l.site,
                                   l.asset_id,
                                   l.technician_id,
                                   l.work_order_id,
                                   std::to_string(l.quantity),
                                   "C62",
                                   core::FormatAmount(l.unit_price),
                                   core::FormatAmount(l.net),
                                   l.vat_category,
                                   core::FormatPercent(l.vat_rate_bp),
                                   RecordIds(l.records),
                                   RecordHashes(l.records),
                                   InspectionIds(l.records),
                                   EvidenceTaps(l.records),
                                   core::FormatAmount(d.totals.tax_exclusive),
                                   core::FormatAmount(d.totals.vat),
                                   core::FormatAmount(d.totals.payable)});
    }
  }
  return out;
}

}  // namespace fieldproof::exporter
