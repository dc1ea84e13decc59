#pragma once
// The ERP import file: UTF-8, header row, one row per invoice or credit-note line with the
// document's header and totals repeated on each row. Columns: docs/billing.md.
#include <span>
#include <string>
#include <string_view>

#include "gateway/core/invoice.hpp"

namespace fieldproof::exporter {

inline constexpr std::string_view kInvoiceCsvColumns =
    "document_number,document_type,type_code,issue_date,due_date,period,preceding_invoice,"
    "contract_id,customer_id,buyer_name,buyer_vat_id,buyer_reference,purchase_order,currency,"
    "line_no,line_kind,item_id,item_name,description,service_date,site,asset_id,technician_id,"
    "work_order_id,quantity,unit_code,unit_price,line_net,vat_category,vat_rate,"
    "maintenance_records,record_hashes,inspection_ids,evidence_taps,"
    "document_net,document_vat,document_total";

std::string WriteInvoiceCsv(std::span<const core::Invoice> documents);

}  // namespace fieldproof::exporter
