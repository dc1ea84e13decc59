#include "gateway/codec/billing_codec.hpp"

#include <nlohmann/json.hpp>

#include "gateway/codec/json_reader.hpp"
#include "gateway/core/identifiers.hpp"

namespace fieldproof::codec {
namespace {

using core::RejectReason;
// Ordered keys: documents and exports are byte-stable and read in a natural order.
using json = nlohmann::ordered_json;

constexpr std::string_view kAmountRule = "a decimal amount like \"48.00\" (at most 2 decimals)";
constexpr std::string_view kPercentRule = "a percentage like \"19\" or \"7.5\" (0 to 100)";

bool IsSeries(std::string_view s) { return core::IsEntityId(s) && s.size() <= 24; }
bool IsCountryCode(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}
bool IsCurrency(std::string_view s) {
  return s.size() == 3 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}
bool IsVatCategory(std::string_view s) {
  // UNCL 5305 as EN 16931 uses it, without the Canary Islands and Ceuta/Melilla taxes.
  for (std::string_view c : {"S", "Z", "E", "AE", "K", "G", "O"}) {
    if (s == c) return true;
  }
  return false;
}
bool IsEmail(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() && s.size() <= 254 &&
         s.find(' ') == std::string_view::npos;
}
bool IsMeansCode(std::string_view s) {
  return !s.empty() && s.size() <= 3 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

core::Cents Amount(const JsonReader& r, std::string_view key) {
  if (auto value = core::ParseAmount(r.String(key))) return *value;
  Fail(RejectReason::kInvalidValue, r.PathOf(key) + ": must be " + std::string(kAmountRule));
}

std::int64_t Percent(const JsonReader& r, std::string_view key) {
  if (auto value = core::ParsePercent(r.String(key))) return *value;
  Fail(RejectReason::kInvalidValue, r.PathOf(key) + ": must be " + std::string(kPercentRule));
}

std::string Optional(const JsonReader& r, std::string_view key, std::size_t max_chars) {
  return r.Has(key) ? r.Text(key, 0, max_chars) : std::string();
}

core::Party DecodeParty(const JsonReader& r) {
  r.ExpectMembers({"name", "vat_id", "address", "electronic_address", "contact"}, {"legal_id"});
  core::Party p;
  p.name = r.Text("name", 1, 200);
  p.vat_id = r.Text("vat_id", 3, 20);
  p.legal_id = Optional(r, "legal_id", 100);
  const JsonReader a(r.At("address"), r.PathOf("address"));
  a.ExpectMembers({"street", "city", "postal_code", "country_code"}, {"additional_street"});
  p.address.street = a.Text("street", 1, 200);
  p.address.additional_street = Optional(a, "additional_street", 200);
  p.address.city = a.Text("city", 1, 100);
  p.address.postal_code = a.Text("postal_code", 1, 20);
  p.address.country_code = a.String("country_code", IsCountryCode, "ISO 3166-1 alpha-2, e.g. DE");
  p.electronic_address = r.String("electronic_address", IsEmail, "an e-mail address");
  const JsonReader c(r.At("contact"), r.PathOf("contact"));
  c.ExpectMembers({"name", "phone", "email"});
  p.contact.name = c.Text("name", 1, 100);
  p.contact.phone = c.Text("phone", 3, 40);
  p.contact.email = c.String("email", IsEmail, "an e-mail address");
  return p;
}

json EncodeParty(const core::Party& p) {
  json address = {{"street", p.address.street}};
  if (!p.address.additional_street.empty())
    address["additional_street"] = p.address.additional_street;
  address["city"] = p.address.city;
  address["postal_code"] = p.address.postal_code;
  address["country_code"] = p.address.country_code;
  json j = {{"name", p.name}, {"vat_id", p.vat_id}};
  if (!p.legal_id.empty()) j["legal_id"] = p.legal_id;
  j["address"] = std::move(address);
  j["electronic_address"] = p.electronic_address;
  j["contact"] = {{"name", p.contact.name}, {"phone", p.contact.phone}, {"email", p.contact.email}};
  return j;
}

core::PaymentInstructions DecodePayment(const JsonReader& r) {
  r.ExpectMembers({"means_code", "iban", "terms_days"}, {"bic", "account_name", "terms_note"});
  core::PaymentInstructions p;
  p.means_code = r.String("means_code", IsMeansCode, "a UNTDID 4461 code, e.g. \"58\"");
  p.iban = r.Text("iban", 15, 34);
  p.bic = Optional(r, "bic", 11);
  p.account_name = Optional(r, "account_name", 100);
  p.terms_days = static_cast<int>(r.Integer("terms_days", 0, 365));
  p.terms_note = Optional(r, "terms_note", 300);
  return p;
}

json EncodePayment(const core::PaymentInstructions& p) {
  json j = {{"means_code", p.means_code}, {"iban", p.iban}};
  if (!p.bic.empty()) j["bic"] = p.bic;
  if (!p.account_name.empty()) j["account_name"] = p.account_name;
  j["terms_days"] = p.terms_days;
  if (!p.terms_note.empty()) j["terms_note"] = p.terms_note;
  return j;
}

core::Contract ReadContract(const JsonReader& r) {
  r.ExpectMembers({"contract_id", "customer_id", "currency", "vat", "buyer_reference", "numbering",
                   "billing_period", "time_zone", "prices", "payment", "seller", "buyer"},
                  {"sites", "purchase_order", "surcharges"});
  core::Contract c;
  c.contract_id = r.String("contract_id", core::IsEntityId, "^[A-Za-z0-9._-]{1,64}$");
  c.customer_id = r.String("customer_id", core::IsEntityId, "^[A-Za-z0-9._-]{1,64}$");
  if (r.Has("sites")) {
    const auto sites = r.Array("sites", 1, 100);
    for (std::size_t i = 0; i < sites.size(); ++i) {
      std::string_view site;
      if (sites[i].get_string().get(site) != simdjson::SUCCESS || !core::IsSiteId(site)) {
        Fail(RejectReason::kInvalidValue,
             r.PathOf("sites") + "/" + std::to_string(i) + ": must be a site id");
      }
      c.sites.emplace_back(site);
    }
  }
  c.currency = r.String("currency", IsCurrency, "an ISO 4217 code, e.g. EUR");
  const JsonReader vat(r.At("vat"), r.PathOf("vat"));
  vat.ExpectMembers({"category", "rate"}, {"exemption_reason"});
  c.vat_category = vat.String("category", IsVatCategory, "a UNCL 5305 code: S, Z, E, AE, K, G, O");
  c.vat_rate_bp = Percent(vat, "rate");
  c.vat_exemption_reason = Optional(vat, "exemption_reason", 300);
  if (c.vat_category != "S" && c.vat_category != "Z" && c.vat_exemption_reason.empty()) {
    Fail(RejectReason::kMissingField, vat.PathOf("exemption_reason") + ": required for category " +
                                          c.vat_category + " (BR-" + c.vat_category + "-10)");
  }
  if (c.vat_category == "S" && c.vat_rate_bp == 0) {
    Fail(RejectReason::kInvalidValue,
         vat.PathOf("rate") + ": category S needs a rate above 0 (BR-S-05)");
  }
  if (c.vat_category != "S" && c.vat_rate_bp != 0) {
    Fail(RejectReason::kInvalidValue,
         vat.PathOf("rate") + ": must be 0 for category " + c.vat_category);
  }
  c.buyer_reference = r.Text("buyer_reference", 1, 100);
  c.purchase_order = Optional(r, "purchase_order", 100);
  const JsonReader numbering(r.At("numbering"), r.PathOf("numbering"));
  numbering.ExpectMembers({"invoice_series", "credit_note_series"});
  c.invoice_series = numbering.String("invoice_series", IsSeries, "^[A-Za-z0-9._-]{1,24}$");
  c.credit_note_series = numbering.String("credit_note_series", IsSeries, "^[A-Za-z0-9._-]{1,24}$");
  if (c.invoice_series == c.credit_note_series) {
    Fail(RejectReason::kInvalidValue,
         numbering.PathOf("credit_note_series") + ": must differ from invoice_series");
  }
  if (r.String("billing_period") != "monthly") {
    Fail(RejectReason::kInvalidValue, r.PathOf("billing_period") + ": must be \"monthly\"");
  }
  const JsonReader zone(r.At("time_zone"), r.PathOf("time_zone"));
  zone.ExpectMembers({"utc_offset_minutes", "eu_summer_time"});
  c.time_zone.utc_offset_minutes = static_cast<int>(zone.Integer("utc_offset_minutes", -720, 840));
  c.time_zone.eu_summer_time = zone.Boolean("eu_summer_time");

  const JsonReader prices(r.At("prices"), r.PathOf("prices"));
  prices.ExpectMembers({"inspection"}, {"repairs", "callout_fee"});
  const JsonReader inspection(prices.At("inspection"), prices.PathOf("inspection"));
  for (auto [type, value] : inspection.Members()) {
    if (!core::IsAssetType(type)) {
      Fail(RejectReason::kInvalidValue, inspection.PathOf(type) + ": not an asset type");
    }
    c.inspection_prices[std::string(type)] = Amount(inspection, type);
  }
  if (c.inspection_prices.empty()) {
    Fail(RejectReason::kMissingField,
         prices.PathOf("inspection") + ": needs at least one asset type");
  }
  if (prices.Has("repairs")) {
    const JsonReader repairs(prices.At("repairs"), prices.PathOf("repairs"));
    for (auto [code, value] : repairs.Members()) {
      if (!core::IsSnakeCode(code))
        Fail(RejectReason::kInvalidValue, repairs.PathOf(code) + ": not a defect code");
      const JsonReader item(value, repairs.PathOf(code));
      item.ExpectMembers({"name", "price"});
      c.repairs[std::string(code)] = {item.Text("name", 1, 200), Amount(item, "price")};
    }
  }
  if (prices.Has("callout_fee")) c.callout_fee = Amount(prices, "callout_fee");

  if (r.Has("surcharges")) {
    const JsonReader s(r.At("surcharges"), r.PathOf("surcharges"));
    s.ExpectMembers({}, {"night", "weekend"});
    if (s.Has("night")) {
      const JsonReader night(s.At("night"), s.PathOf("night"));
      night.ExpectMembers({"percent", "from_hour", "to_hour"});
      c.surcharges.night_bp = Percent(night, "percent");
      c.surcharges.night_from_hour = static_cast<int>(night.Integer("from_hour", 0, 23));
      c.surcharges.night_to_hour = static_cast<int>(night.Integer("to_hour", 0, 23));
    }
    if (s.Has("weekend")) {
      const JsonReader weekend(s.At("weekend"), s.PathOf("weekend"));
      weekend.ExpectMembers({"percent"});
      c.surcharges.weekend_bp = Percent(weekend, "percent");
    }
  }
  c.payment = DecodePayment(JsonReader(r.At("payment"), r.PathOf("payment")));
  c.seller = DecodeParty(JsonReader(r.At("seller"), r.PathOf("seller")));
  c.buyer = DecodeParty(JsonReader(r.At("buyer"), r.PathOf("buyer")));
  return c;
}

}  // namespace

core::Result<core::Contract> DecodeContract(std::string_view text) {
  return DecodeObject<core::Contract>(text, ReadContract);
}

core::Result<core::Contract> DecodeContractForImport(std::string_view text) {
  return DecodeObject<core::Contract>(text, [](const JsonReader& r) {
    // XRechnung writes skonto terms as lines of BT-20 ("#SKONTO#TAGE=7#PROZENT=2.00#").
    r.ExpectPlainText({"/payment/terms_note"});
    return ReadContract(r);
  });
}

namespace {

json EncodeDocument(const core::Invoice& inv) {
  json j = {
      {"type", core::ToString(inv.type)}, {"number", inv.number}, {"issue_date", inv.issue_date}};
  if (!inv.due_date.empty()) j["due_date"] = inv.due_date;
  j["period"] = inv.period;
  j["period_start"] = inv.period_start;
  j["period_end"] = inv.period_end;
  j["contract_id"] = inv.contract_id;
  j["customer_id"] = inv.customer_id;
  j["currency"] = inv.currency;
  j["buyer_reference"] = inv.buyer_reference;
  if (!inv.purchase_order.empty()) j["purchase_order"] = inv.purchase_order;
  if (!inv.preceding_number.empty()) {
    j["preceding_invoice"] = {{"number", inv.preceding_number},
                              {"issue_date", inv.preceding_issue_date}};
  }
  if (!inv.note.empty()) j["note"] = inv.note;
  j["seller"] = EncodeParty(inv.seller);
  j["buyer"] = EncodeParty(inv.buyer);
  j["payment"] = EncodePayment(inv.payment);
  json lines = json::array();
  for (const auto& l : inv.lines) {
    json line = {{"line_no", l.line_no},
                 {"kind", core::ToString(l.kind)},
                 {"item_id", l.item_id},
                 {"name", l.name},
                 {"description", l.description},
                 {"quantity", l.quantity},
                 {"unit_price", core::FormatAmount(l.unit_price)},
                 {"net", core::FormatAmount(l.net)},
                 {"vat_category", l.vat_category},
                 {"vat_rate", core::FormatPercent(l.vat_rate_bp)},
                 {"service_date", l.service_date},
                 {"site", l.site}};
    if (!l.asset_id.empty()) line["asset_id"] = l.asset_id;
    line["technician_id"] = l.technician_id;
    if (!l.work_order_id.empty()) line["work_order_id"] = l.work_order_id;
    json records = json::array();
    for (const auto& r : l.records) {
      records.push_back({{"site", r.site},
                         {"seq", r.seq},
                         {"hash", r.hash},
                         {"inspection_id", r.inspection_id},
                         {"start_tap_id", r.start_tap_id},
                         {"end_tap_id", r.end_tap_id}});
    }
    line["records"] = std::move(records);
    lines.push_back(std::move(line));
  }
  j["lines"] = std::move(lines);
  json vat = json::array();
  for (const auto& s : inv.vat) {
    json sub = {{"category", s.category},
                {"rate", core::FormatPercent(s.rate_bp)},
                {"taxable", core::FormatAmount(s.taxable)},
                {"tax", core::FormatAmount(s.tax)}};
    if (!s.exemption_reason.empty()) sub["exemption_reason"] = s.exemption_reason;
    vat.push_back(std::move(sub));
  }
  j["vat_breakdown"] = std::move(vat);
  j["totals"] = {{"line_net", core::FormatAmount(inv.totals.line_net)},
                 {"tax_exclusive", core::FormatAmount(inv.totals.tax_exclusive)},
                 {"vat", core::FormatAmount(inv.totals.vat)},
                 {"tax_inclusive", core::FormatAmount(inv.totals.tax_inclusive)},
                 {"payable", core::FormatAmount(inv.totals.payable)}};
  json heads = json::array();
  for (const auto& h : inv.chain_heads)
    heads.push_back({{"site", h.site}, {"seq", h.seq}, {"hash", h.hash}});
  j["chain_heads"] = std::move(heads);
  return j;
}

// Stored documents were written by EncodeDocument; reading them back is lenient about
// nothing but checks every member, so a damaged row is reported rather than half-read.
core::Cents DocAmount(const JsonReader& r, std::string_view key) {
  const std::string text = r.String(key);
  const bool negative = !text.empty() && text[0] == '-';
  auto value =
      core::ParseAmount(negative ? std::string_view(text).substr(1) : std::string_view(text));
  if (!value)
    Fail(RejectReason::kInvalidValue, r.PathOf(key) + ": must be " + std::string(kAmountRule));
  return negative ? -*value : *value;
}

}  // namespace

std::string EncodeInvoice(const core::Invoice& invoice) { return EncodeDocument(invoice).dump(); }

core::Result<core::Invoice> DecodeInvoice(std::string_view text) {
  return DecodeObject<core::Invoice>(text, [](const JsonReader& r) {
    r.ExpectMembers({"type", "number", "issue_date", "period", "period_start", "period_end",
                     "contract_id", "customer_id", "currency", "buyer_reference", "seller", "buyer",
                     "payment", "lines", "vat_breakdown", "totals", "chain_heads"},
                    {"due_date", "purchase_order", "preceding_invoice", "note"});
    core::Invoice inv;
    inv.type = r.Enum<core::DocumentType>("type", core::ParseDocumentType, "invoice, credit_note");
    inv.number = r.Text("number", 1, 64);
    inv.issue_date = r.String("issue_date", core::IsDate, "YYYY-MM-DD");
    inv.due_date = r.Has("due_date") ? r.String("due_date", core::IsDate, "YYYY-MM-DD") : "";
    inv.period = r.Text("period", 7, 7);
    inv.period_start = r.String("period_start", core::IsDate, "YYYY-MM-DD");
    inv.period_end = r.String("period_end", core::IsDate, "YYYY-MM-DD");
    inv.contract_id = r.Text("contract_id", 1, 64);
    inv.customer_id = r.Text("customer_id", 1, 64);
    inv.currency = r.String("currency", IsCurrency, "an ISO 4217 code");
    inv.buyer_reference = r.Text("buyer_reference", 1, 100);
    inv.purchase_order = Optional(r, "purchase_order", 100);
    if (r.Has("preceding_invoice")) {
      const JsonReader p(r.At("preceding_invoice"), r.PathOf("preceding_invoice"));
      p.ExpectMembers({"number", "issue_date"});
      inv.preceding_number = p.Text("number", 1, 64);
      inv.preceding_issue_date = p.String("issue_date", core::IsDate, "YYYY-MM-DD");
    }
    inv.note = Optional(r, "note", 1000);
    inv.seller = DecodeParty(JsonReader(r.At("seller"), r.PathOf("seller")));
    inv.buyer = DecodeParty(JsonReader(r.At("buyer"), r.PathOf("buyer")));
    inv.payment = DecodePayment(JsonReader(r.At("payment"), r.PathOf("payment")));
    const auto lines = r.Array("lines", 1, 1'000'000);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const JsonReader l(lines[i], r.PathOf("lines") + "/" + std::to_string(i));
      l.ExpectMembers(
          {"line_no", "kind", "item_id", "name", "description", "quantity", "unit_price", "net",
           "vat_category", "vat_rate", "service_date", "site", "technician_id", "records"},
          {"asset_id", "work_order_id"});
      core::InvoiceLine line;
      line.line_no = static_cast<int>(l.Integer("line_no", 1, 1'000'000));
      line.kind =
          l.Enum<core::LineKind>("kind", core::ParseLineKind,
                                 "inspection, repair, night_surcharge, weekend_surcharge, callout");
      line.item_id = l.Text("item_id", 1, 100);
      line.name = l.Text("name", 1, 200);
      line.description = l.Text("description", 1, 500);
      line.quantity = l.Integer("quantity", 1, 1'000'000);
      line.unit_price = DocAmount(l, "unit_price");
      line.net = DocAmount(l, "net");
      line.vat_category = l.String("vat_category", IsVatCategory, "a UNCL 5305 code");
      line.vat_rate_bp = Percent(l, "vat_rate");
      line.service_date = l.String("service_date", core::IsDate, "YYYY-MM-DD");
      line.site = l.Text("site", 1, 25);
      line.asset_id = Optional(l, "asset_id", 64);
      line.technician_id = l.Text("technician_id", 1, 64);
      line.work_order_id = Optional(l, "work_order_id", 64);
      const auto records = l.Array("records", 1, 100'000);
      for (std::size_t k = 0; k < records.size(); ++k) {
        const JsonReader rec(records[k], l.PathOf("records") + "/" + std::to_string(k));
        rec.ExpectMembers({"site", "seq", "hash", "inspection_id", "start_tap_id", "end_tap_id"});
        line.records.push_back(
            {rec.Text("site", 1, 25), rec.Integer("seq", 1, INT64_MAX), rec.Text("hash", 64, 64),
             rec.Integer("inspection_id", 0, INT64_MAX), rec.Integer("start_tap_id", 0, INT64_MAX),
             rec.Integer("end_tap_id", 0, INT64_MAX)});
      }
      inv.lines.push_back(std::move(line));
    }
    const auto vat = r.Array("vat_breakdown", 1, 100);
    for (std::size_t i = 0; i < vat.size(); ++i) {
      const JsonReader s(vat[i], r.PathOf("vat_breakdown") + "/" + std::to_string(i));
      s.ExpectMembers({"category", "rate", "taxable", "tax"}, {"exemption_reason"});
      inv.vat.push_back({s.String("category", IsVatCategory, "a UNCL 5305 code"),
                         Percent(s, "rate"), DocAmount(s, "taxable"), DocAmount(s, "tax"),
                         Optional(s, "exemption_reason", 300)});
    }
    const JsonReader t(r.At("totals"), r.PathOf("totals"));
    t.ExpectMembers({"line_net", "tax_exclusive", "vat", "tax_inclusive", "payable"});
    inv.totals = {DocAmount(t, "line_net"), DocAmount(t, "tax_exclusive"), DocAmount(t, "vat"),
                  DocAmount(t, "tax_inclusive"), DocAmount(t, "payable")};
    const auto heads = r.Array("chain_heads", 0, 10'000);
    for (std::size_t i = 0; i < heads.size(); ++i) {
      const JsonReader h(heads[i], r.PathOf("chain_heads") + "/" + std::to_string(i));
      h.ExpectMembers({"site", "seq", "hash"});
      inv.chain_heads.push_back(
          {h.Text("site", 1, 25), h.Integer("seq", 0, INT64_MAX), h.Text("hash", 64, 64)});
    }
    return inv;
  });
}

std::string EncodeInvoiceExport(std::string_view period, std::span<const core::Invoice> documents) {
  json docs = json::array();
  for (const auto& d : documents) docs.push_back(EncodeDocument(d));
  json j = {
      {"format", "fieldproof-invoices/1"}, {"period", period}, {"documents", std::move(docs)}};
  return j.dump(2) + "\n";
}

}  // namespace fieldproof::codec
