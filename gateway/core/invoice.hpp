#pragma once
// Invoices and credit notes from verified work, with EN 16931 arithmetic: every amount in
// cents, VAT per category and rate on the sum of that category's line net amounts (BR-CO-17,
// BR-S-08), document totals derived from those (BR-CO-10 ... BR-CO-16). Pure: the store
// hands in what is billable, this code decides the lines and the sums.
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "gateway/core/contract.hpp"
#include "gateway/core/local_time.hpp"
#include "gateway/core/money.hpp"
#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

enum class DocumentType { kInvoice, kCreditNote };
std::string_view ToString(DocumentType type);  // "invoice" | "credit_note"
std::optional<DocumentType> ParseDocumentType(std::string_view text);
std::string_view TypeCode(DocumentType type);  // UNTDID 1001: 380 | 381

enum class LineKind { kInspection, kRepair, kNightSurcharge, kWeekendSurcharge, kCallout };
std::string_view ToString(LineKind kind);
std::optional<LineKind> ParseLineKind(std::string_view text);

// The maintenance record a line bills, and the taps that prove it.
struct RecordRef {
  std::string site;
  std::int64_t seq = 0;
  std::string hash;
  std::int64_t inspection_id = 0;
  std::int64_t start_tap_id = 0;
  std::int64_t end_tap_id = 0;
  bool operator==(const RecordRef&) const = default;
};

struct InvoiceLine {
  int line_no = 0;  // BT-126, 1-based
  LineKind kind = LineKind::kInspection;
  std::string item_id;           // BT-155, e.g. INSPECTION-fire_shutter, REPAIR-seal_damaged
  std::string name;              // BT-153
  std::string description;       // BT-154
  std::int64_t quantity = 1;     // BT-129, unit C62 (one)
  Cents unit_price = 0;          // BT-146
  Cents net = 0;                 // BT-131 = quantity * unit_price
  std::string vat_category;      // BT-151
  std::int64_t vat_rate_bp = 0;  // BT-152
  std::string service_date;      // BT-134 = BT-135, the local day of the work
  std::string site;
  std::string asset_id;  // Empty on call-out lines.
  std::string technician_id;
  std::string work_order_id;  // Repair lines.
  std::vector<RecordRef> records;
  bool operator==(const InvoiceLine&) const = default;
};

struct VatSubtotal {
  std::string category;          // BT-118
  std::int64_t rate_bp = 0;      // BT-119
  Cents taxable = 0;             // BT-116
  Cents tax = 0;                 // BT-117
  std::string exemption_reason;  // BT-120
  bool operator==(const VatSubtotal&) const = default;
};

struct Totals {
  Cents line_net = 0;       // BT-106
  Cents tax_exclusive = 0;  // BT-109
  Cents vat = 0;            // BT-110
  Cents tax_inclusive = 0;  // BT-112
  Cents payable = 0;        // BT-115
  bool operator==(const Totals&) const = default;
};

// The newest record of a site's chain when the invoice was issued: printing it on the
// invoice anchors the whole chain in a document the customer keeps.
struct ChainAnchor {
  std::string site;
  std::int64_t seq = 0;
  std::string hash;
  bool operator==(const ChainAnchor&) const = default;
};

struct Invoice {
  DocumentType type = DocumentType::kInvoice;
  std::string number;        // BT-1
  std::string issue_date;    // BT-2
  std::string due_date;      // BT-9 (invoices)
  std::string period;        // YYYY-MM billed (credit notes: the corrected invoice's)
  std::string period_start;  // BT-73
  std::string period_end;    // BT-74
  std::string contract_id;   // BT-12
  std::string customer_id;
  std::string currency;              // BT-5
  std::string buyer_reference;       // BT-10
  std::string purchase_order;        // BT-13
  std::string preceding_number;      // BT-25 (credit notes)
  std::string preceding_issue_date;  // BT-26
  std::string note;                  // BT-22
  Party seller;
  Party buyer;
  PaymentInstructions payment;
  std::vector<InvoiceLine> lines;
  std::vector<VatSubtotal> vat;
  Totals totals;
  std::vector<ChainAnchor> chain_heads;
};

// One verified maintenance record, as billing needs it.
// An issued document as lists show it.
struct InvoiceSummary {
  std::string number;
  DocumentType type;
  std::string contract_id, customer_id, period, issue_date, currency, preceding_number;
  Cents net = 0, vat = 0, total = 0;
  std::int64_t lines = 0;
};

// An inspection of the period that is not billed, and why.
struct NotBillable {
  std::string site;
  std::int64_t inspection_id = 0;
  std::string asset_id;
  std::string technician_id;
  UnixMillis ended_at = 0;
  std::string status;  // needs_review | rejected | not_in_contract | no_contract
  std::string reason;
};

struct BillableVisit {
  RecordRef record;
  std::string asset_id;
  std::string asset_type;
  std::string technician_id;
  UnixMillis started_at = 0;
  UnixMillis ended_at = 0;
  std::string work_order_id;    // Set when the visit completed a follow-up work order ...
  std::string repaired_defect;  // ... raised for this defect code: billed as a repair.
};

// A technician's local day at a site: the unit of the call-out fee.
struct CalloutDay {
  std::string site;
  std::string technician_id;
  std::string date;
  auto operator<=>(const CalloutDay&) const = default;
};

struct UnbillableVisit {
  BillableVisit visit;
  std::string reason;
};

struct DraftLines {
  std::vector<InvoiceLine> lines;    // Numbered from 1.
  std::vector<RecordRef> billed;     // Each visit billed, once.
  std::vector<CalloutDay> callouts;  // Call-out days billed.
  std::vector<UnbillableVisit>
      unbillable;  // Not billed: the contract does not cover or price them.
};

// Lines for `visits` (sorted by site and record seq for a stable order), all of the
// contract's customer; a visit at a site the contract does not list, or without a price,
// comes back as unbillable. One line per visit
// (inspection by asset type, or repair by defect code), night and weekend surcharges as
// their own lines, then one call-out line per technician-day and site not yet billed.
DraftLines DraftInvoiceLines(const Contract& contract, std::span<const BillableVisit> visits,
                             const std::set<CalloutDay>& callouts_billed);

// VAT breakdown per (category, rate) and the document totals for `lines`.
// `exemption_reason` goes on every category that is not standard or zero rated.
std::vector<VatSubtotal> VatBreakdown(std::span<const InvoiceLine> lines,
                                      std::string_view exemption_reason);
Totals ComputeTotals(std::span<const InvoiceLine> lines, std::span<const VatSubtotal> vat);

Invoice MakeInvoice(const Contract& contract, std::string number, const Period& period,
                    std::string issue_date, std::vector<InvoiceLine> lines,
                    std::vector<ChainAnchor> chain_heads);

// A credit note for `line_nos` of `original` (all lines when empty), with the same amounts,
// referencing the original (BT-25, BT-26). Lines that do not exist are an error (nullopt).
std::optional<Invoice> MakeCreditNote(const Invoice& original, std::string number,
                                      std::string issue_date, std::string reason,
                                      std::span<const int> line_nos);

// The month to close at `now`: the previous one, once the current month (UTC) has reached
// `close_day` (the days before give late taps and reviews time to arrive). Closing is
// idempotent, so asking again after the close is harmless.
std::optional<Period> PeriodDueForClose(UnixMillis now, int close_day);

// "FP-INV" and 7 -> "FP-INV-000007"
std::string FormatDocumentNumber(std::string_view series, std::int64_t n);

}  // namespace fieldproof::core
