#include "gateway/core/invoice.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace fieldproof::core {
namespace {

constexpr std::string_view kDocumentTypes[] = {"invoice", "credit_note"};
constexpr std::string_view kLineKinds[] = {"inspection", "repair", "night_surcharge",
                                           "weekend_surcharge", "callout"};

template <class E, std::size_t N>
std::optional<E> ParseName(const std::string_view (&names)[N], std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

bool IsNight(const LocalDateTime& t, const Surcharges& s) {
  if (s.night_from_hour == s.night_to_hour) return false;
  return s.night_from_hour < s.night_to_hour
             ? t.hour >= s.night_from_hour && t.hour < s.night_to_hour
             : t.hour >= s.night_from_hour || t.hour < s.night_to_hour;
}

InvoiceLine BaseLine(const Contract& c, LineKind kind, Cents price, std::string service_date) {
  InvoiceLine line;
  line.kind = kind;
  line.unit_price = price;
  line.net = price;
  line.vat_category = c.vat_category;
  line.vat_rate_bp = c.vat_rate_bp;
  line.service_date = std::move(service_date);
  return line;
}

}  // namespace

std::string_view ToString(DocumentType type) { return kDocumentTypes[static_cast<int>(type)]; }
std::optional<DocumentType> ParseDocumentType(std::string_view text) {
  return ParseName<DocumentType>(kDocumentTypes, text);
}
std::string_view TypeCode(DocumentType type) {
  return type == DocumentType::kInvoice ? "380" : "381";
}
std::string_view ToString(LineKind kind) { return kLineKinds[static_cast<int>(kind)]; }
std::optional<LineKind> ParseLineKind(std::string_view text) {
  return ParseName<LineKind>(kLineKinds, text);
}

DraftLines DraftInvoiceLines(const Contract& c, std::span<const BillableVisit> visits,
                             const std::set<CalloutDay>& callouts_billed) {
  DraftLines draft;
  std::map<CalloutDay, std::vector<RecordRef>> days;
  for (const BillableVisit& v : visits) {
    if (!c.Covers(v.record.site)) {
      draft.unbillable.push_back(
          {v, "site " + v.record.site + " is not in contract " + c.contract_id});
      continue;
    }
    const LocalDateTime start = ToLocal(v.started_at, c.time_zone);
    const std::string date = LocalDate(v.started_at, c.time_zone);
    InvoiceLine main;
    if (!v.repaired_defect.empty()) {
      const auto repair = c.repairs.find(v.repaired_defect);
      if (repair == c.repairs.end()) {
        draft.unbillable.push_back({v, "contract " + c.contract_id +
                                           " has no repair item for defect " + v.repaired_defect});
        continue;
      }
      main = BaseLine(c, LineKind::kRepair, repair->second.price, date);
      main.item_id = "REPAIR-" + v.repaired_defect;
      main.name = repair->second.name;
      main.description = "Repair of " + v.repaired_defect + " at " + v.asset_id + " (work order " +
                         v.work_order_id + "), " + v.technician_id + ", " + date;
      main.work_order_id = v.work_order_id;
    } else {
      const auto price = c.inspection_prices.find(v.asset_type);
      if (price == c.inspection_prices.end()) {
        draft.unbillable.push_back({v, "contract " + c.contract_id +
                                           " has no inspection price for asset type " +
                                           v.asset_type});
        continue;
      }
      main = BaseLine(c, LineKind::kInspection, price->second, date);
      main.item_id = "INSPECTION-" + v.asset_type;
      main.name = "Verified inspection, " + v.asset_type;
      main.description = "Inspection of " + v.asset_id + ", " + v.technician_id + ", " + date;
    }
    main.site = v.record.site;
    main.asset_id = v.asset_id;
    main.technician_id = v.technician_id;
    main.records = {v.record};
    const Cents base = main.unit_price;
    draft.lines.push_back(main);

    auto surcharge = [&](LineKind kind, std::int64_t bp, std::string_view what) {
      if (bp == 0) return;
      InvoiceLine line = main;
      line.kind = kind;
      line.unit_price = line.net = ApplyRate(base, bp);
      line.item_id = kind == LineKind::kNightSurcharge ? "SURCHARGE-NIGHT" : "SURCHARGE-WEEKEND";
      line.name = std::string(what) + " surcharge " + FormatPercent(bp) + " %";
      line.description =
          std::string(what) + " surcharge on " + main.item_id + " at " + v.asset_id + ", " + date;
      draft.lines.push_back(std::move(line));
    };
    if (IsNight(start, c.surcharges))
      surcharge(LineKind::kNightSurcharge, c.surcharges.night_bp, "Night");
    if (start.weekday == 0 || start.weekday == 6) {
      surcharge(LineKind::kWeekendSurcharge, c.surcharges.weekend_bp, "Weekend");
    }
    draft.billed.push_back(v.record);
    days[{v.record.site, v.technician_id, date}].push_back(v.record);
  }
  if (c.callout_fee > 0) {
    for (const auto& [day, records] : days) {
      if (callouts_billed.count(day)) continue;
      InvoiceLine line = BaseLine(c, LineKind::kCallout, c.callout_fee, day.date);
      line.item_id = "CALLOUT";
      line.name = "Call-out, technician day on site";
      line.description = "Call-out " + day.technician_id + " at " + day.site + ", " + day.date;
      line.site = day.site;
      line.technician_id = day.technician_id;
      line.records = records;
      draft.lines.push_back(std::move(line));
      draft.callouts.push_back(day);
    }
  }
  for (std::size_t i = 0; i < draft.lines.size(); ++i)
    draft.lines[i].line_no = static_cast<int>(i + 1);
  return draft;
}

std::vector<VatSubtotal> VatBreakdown(std::span<const InvoiceLine> lines,
                                      std::string_view exemption_reason) {
  std::map<std::pair<std::string, std::int64_t>, Cents> taxable;
  for (const InvoiceLine& line : lines) taxable[{line.vat_category, line.vat_rate_bp}] += line.net;
  std::vector<VatSubtotal> out;
  for (const auto& [key, amount] : taxable) {
    VatSubtotal s{key.first, key.second, amount, ApplyRate(amount, key.second), ""};
    if (s.category != "S" && s.category != "Z") s.exemption_reason = std::string(exemption_reason);
    out.push_back(std::move(s));
  }
  return out;
}

Totals ComputeTotals(std::span<const InvoiceLine> lines, std::span<const VatSubtotal> vat) {
  Totals t;
  for (const InvoiceLine& line : lines) t.line_net += line.net;
  for (const VatSubtotal& s : vat) t.vat += s.tax;
  t.tax_exclusive = t.line_net;  // No document-level allowances or charges (BT-107, BT-108).
  t.tax_inclusive = t.tax_exclusive + t.vat;
  t.payable = t.tax_inclusive;  // Nothing prepaid (BT-113), no rounding amount (BT-114).
  return t;
}

Invoice MakeInvoice(const Contract& c, std::string number, const Period& period,
                    std::string issue_date, std::vector<InvoiceLine> lines,
                    std::vector<ChainAnchor> chain_heads) {
  Invoice inv;
  inv.type = DocumentType::kInvoice;
  inv.number = std::move(number);
  inv.due_date = AddDays(issue_date, c.payment.terms_days);
  inv.issue_date = std::move(issue_date);
  inv.period = ToString(period);
  inv.period_start = FirstDay(period);
  inv.period_end = LastDay(period);
  inv.contract_id = c.contract_id;
  inv.customer_id = c.customer_id;
  inv.currency = c.currency;
  inv.buyer_reference = c.buyer_reference;
  inv.purchase_order = c.purchase_order;
  inv.seller = c.seller;
  inv.buyer = c.buyer;
  inv.payment = c.payment;
  inv.lines = std::move(lines);
  inv.vat = VatBreakdown(inv.lines, c.vat_exemption_reason);
  inv.totals = ComputeTotals(inv.lines, inv.vat);
  inv.chain_heads = std::move(chain_heads);
  return inv;
}

std::optional<Invoice> MakeCreditNote(const Invoice& original, std::string number,
                                      std::string issue_date, std::string reason,
                                      std::span<const int> line_nos) {
  Invoice note = original;
  note.type = DocumentType::kCreditNote;
  note.number = std::move(number);
  note.issue_date = std::move(issue_date);
  note.due_date.clear();
  note.preceding_number = original.number;
  note.preceding_issue_date = original.issue_date;
  note.note = std::move(reason);
  if (!line_nos.empty()) {
    note.lines.clear();
    for (int n : line_nos) {
      auto it = std::find_if(original.lines.begin(), original.lines.end(),
                             [n](const InvoiceLine& l) { return l.line_no == n; });
      if (it == original.lines.end()) return std::nullopt;
      if (std::any_of(note.lines.begin(), note.lines.end(),
                      [n](const InvoiceLine& l) { return l.line_no == n; })) {
        continue;
      }
      note.lines.push_back(*it);
    }
    std::sort(note.lines.begin(), note.lines.end(),
              [](const InvoiceLine& a, const InvoiceLine& b) { return a.line_no < b.line_no; });
  }
  // Credit note lines keep the original's line numbers, so each names the line it corrects.
  std::string exemption;
  for (const VatSubtotal& s : original.vat) {
    if (!s.exemption_reason.empty()) exemption = s.exemption_reason;
  }
  note.vat = VatBreakdown(note.lines, exemption);
  note.totals = ComputeTotals(note.lines, note.vat);
  return note;
}

std::optional<Period> PeriodDueForClose(UnixMillis now, int close_day) {
  const LocalDateTime today = ToLocal(now, {});
  if (close_day < 1 || today.day < close_day) return std::nullopt;
  return PreviousPeriod({today.year, today.month});
}

std::string FormatDocumentNumber(std::string_view series, std::int64_t n) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(n));
  return std::string(series) + "-" + digits;
}

}  // namespace fieldproof::core
