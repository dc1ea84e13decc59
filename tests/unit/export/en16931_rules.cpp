#include "en16931_rules.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace fieldproof::exporter::testing {
namespace {

// Amounts as hundredths; nullopt when not a decimal with at most two fraction digits.
std::optional<std::int64_t> Hundredths(const std::string& text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') negative = true, ++i;
  std::int64_t whole = 0, frac = 0;
  int int_digits = 0, frac_digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i, ++int_digits) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
  }
  if (int_digits == 0) return std::nullopt;
  if (i < text.size()) {
    for (++i; i < text.size(); ++i, ++frac_digits) {
      if (text[i] < '0' || text[i] > '9' || frac_digits == 2) return std::nullopt;
      frac = frac * 10 + (text[i] - '0');
    }
    if (frac_digits == 1) frac *= 10;
  }
  const std::int64_t value = whole * 100 + frac;
  return negative ? -value : value;
}

std::string Money(std::int64_t h) {
  const std::int64_t a = h < 0 ? -h : h;
  return std::string(h < 0 ? "-" : "") + std::to_string(a / 100) + "." + (a % 100 < 10 ? "0" : "") +
         std::to_string(a % 100);
}

class Document {
 public:
  explicit Document(std::string_view xml)
      : doc_(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "ubl.xml", nullptr,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
             xmlFreeDoc) {
    if (!doc_) return;
    ctx_.reset(xmlXPathNewContext(doc_.get()));
    xmlXPathRegisterNs(ctx_.get(), BAD_CAST "cac",
                       BAD_CAST
                       "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
    xmlXPathRegisterNs(ctx_.get(), BAD_CAST "cbc",
                       BAD_CAST
                       "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
  }
  bool ok() const { return doc_ != nullptr; }
  xmlNodePtr Root() const { return xmlDocGetRootElement(doc_.get()); }

  std::vector<xmlNodePtr> Nodes(const char* xpath, xmlNodePtr at = nullptr) const {
    std::vector<xmlNodePtr> out;
    ctx_->node = at ? at : Root();
    xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST xpath, ctx_.get());
    if (result && result->nodesetval) {
      for (int i = 0; i < result->nodesetval->nodeNr; ++i)
        out.push_back(result->nodesetval->nodeTab[i]);
    }
    xmlXPathFreeObject(result);
    return out;
  }
  std::vector<std::string> Texts(const char* xpath, xmlNodePtr at = nullptr) const {
    std::vector<std::string> out;
    for (xmlNodePtr n : Nodes(xpath, at)) out.push_back(Content(n));
    return out;
  }
  std::optional<std::string> Text(const char* xpath, xmlNodePtr at = nullptr) const {
    auto all = Texts(xpath, at);
    if (all.empty() || all.front().empty()) return std::nullopt;
    return all.front();
  }
  static std::string Content(xmlNodePtr n) {
    xmlChar* c = xmlNodeGetContent(n);
    std::string s = c ? reinterpret_cast<const char*>(c) : "";
    xmlFree(c);
    return s;
  }

 private:
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc_;
  struct CtxFree {
    void operator()(xmlXPathContextPtr c) const { xmlXPathFreeContext(c); }
  };
  std::unique_ptr<xmlXPathContext, CtxFree> ctx_;
};

class Checker {
 public:
  Checker(const Document& d, RuleReport& report) : d_(d), r_(report) {}

  void Rule(const char* id, bool holds, const std::string& detail) {
    r_.rules_checked.push_back(id);
    if (!holds) r_.violations.push_back({id, detail});
  }
  void Present(const char* id, const char* xpath, const char* what) {
    Rule(id, d_.Text(xpath).has_value(), std::string(what) + " missing (" + xpath + ")");
  }
  std::int64_t Amount(const char* xpath, xmlNodePtr at = nullptr) const {
    auto t = d_.Text(xpath, at);
    return t ? Hundredths(*t).value_or(0) : 0;
  }

 private:
  const Document& d_;
  RuleReport& r_;
};

}  // namespace

RuleReport CheckUblRules(std::string_view xml) {
  RuleReport report;
  const Document d(xml);
  report.well_formed = d.ok();
  if (!d.ok()) return report;
  Checker c(d, report);
  const std::string root = reinterpret_cast<const char*>(d.Root()->name);
  const bool credit = root == "CreditNote";
  const char* line_path = credit ? "cac:CreditNoteLine" : "cac:InvoiceLine";
  const char* quantity = credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity";

  c.Present("BR-01", "cbc:CustomizationID", "Specification identifier (BT-24)");
  c.Present("BR-02", "cbc:ID", "Invoice number (BT-1)");
  c.Present("BR-03", "cbc:IssueDate", "Issue date (BT-2)");
  c.Present("BR-04", credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", "Type code (BT-3)");
  c.Present("BR-05", "cbc:DocumentCurrencyCode", "Currency (BT-5)");
  c.Present("BR-06",
            "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
            "Seller name (BT-27)");
  c.Present("BR-07",
            "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
            "Buyer name (BT-44)");
  c.Rule("BR-08", !d.Nodes("cac:AccountingSupplierParty/cac:Party/cac:PostalAddress").empty(),
         "Seller postal address (BG-5) missing");
  c.Present(
      "BR-09",
      "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode",
      "Seller country code (BT-40)");
  c.Rule("BR-10", !d.Nodes("cac:AccountingCustomerParty/cac:Party/cac:PostalAddress").empty(),
         "Buyer postal address (BG-8) missing");
  c.Present(
      "BR-11",
      "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode",
      "Buyer country code (BT-55)");
  c.Present("BR-12", "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
            "Sum of line net amounts (BT-106)");
  c.Present("BR-13", "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "Total without VAT (BT-109)");
  c.Present("BR-14", "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "Total with VAT (BT-112)");
  c.Present("BR-15", "cac:LegalMonetaryTotal/cbc:PayableAmount", "Amount due (BT-115)");
  const auto lines = d.Nodes(line_path);
  c.Rule("BR-16", !lines.empty(), "no invoice line (BG-25)");

  std::int64_t line_sum = 0;
  std::map<std::pair<std::string, std::string>, std::int64_t> net_by_category;
  bool ids = true, quantities = true, units = true, nets = true, names = true, prices = true,
       non_negative = true, line_periods = true, line_math = true;
  std::string line_math_detail;
  for (xmlNodePtr line : lines) {
    ids &= d.Text("cbc:ID", line).has_value();
    const auto q = d.Text(quantity, line);
    quantities &= q.has_value();
    units &= !d.Texts((std::string(quantity) + "/@unitCode").c_str(), line).empty();
    const auto net = d.Text("cbc:LineExtensionAmount", line);
    nets &= net.has_value();
    names &= d.Text("cac:Item/cbc:Name", line).has_value();
    const auto price = d.Text("cac:Price/cbc:PriceAmount", line);
    prices &= price.has_value();
    const std::int64_t price_h = price ? Hundredths(*price).value_or(0) : 0;
    non_negative &= price_h >= 0;
    const auto start = d.Text("cac:InvoicePeriod/cbc:StartDate", line);
    const auto end = d.Text("cac:InvoicePeriod/cbc:EndDate", line);
    if (start && end) line_periods &= *end >= *start;
    const std::int64_t net_h = net ? Hundredths(*net).value_or(0) : 0;
    const std::int64_t qty = q ? std::stoll(*q) : 0;
    if (qty * price_h != net_h) {
      line_math = false;
      line_math_detail = "line " + d.Text("cbc:ID", line).value_or("?") + ": " +
                         std::to_string(qty) + " x " + Money(price_h) + " != " + Money(net_h);
    }
    line_sum += net_h;
    net_by_category[{
        d.Text("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line).value_or(""),
        d.Text("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", line).value_or("")}] += net_h;
  }
  c.Rule("BR-21", ids, "a line without identifier (BT-126)");
  c.Rule("BR-22", quantities, "a line without quantity (BT-129)");
  c.Rule("BR-23", units, "a line quantity without unit code (BT-130)");
  c.Rule("BR-24", nets, "a line without net amount (BT-131)");
  c.Rule("BR-25", names, "a line without item name (BT-153)");
  c.Rule("BR-26", prices, "a line without item net price (BT-146)");
  c.Rule("BR-27", non_negative, "a negative item net price (BT-146)");
  c.Rule("BR-30", line_periods, "a line period ends before it starts (BG-26)");
  c.Rule("PEPPOL-EN16931-R120", line_math,
         "line net amount != quantity x price: " + line_math_detail);
  {
    const auto start = d.Text("cac:InvoicePeriod/cbc:StartDate");
    const auto end = d.Text("cac:InvoicePeriod/cbc:EndDate");
    c.Rule("BR-29", !start || !end || *end >= *start,
           "invoice period ends before it starts (BG-14)");
  }

  // VAT breakdown.
  const auto subtotals = d.Nodes("cac:TaxTotal/cac:TaxSubtotal");
  c.Rule("BR-CO-18", !subtotals.empty(), "no VAT breakdown (BG-23)");
  bool taxable = true, tax = true, category = true, rate = true, rounded = true, s_sums = true;
  std::string rounding_detail, s_detail;
  std::int64_t subtotal_tax_sum = 0;
  std::set<std::string> categories;
  for (xmlNodePtr s : subtotals) {
    const auto taxable_text = d.Text("cbc:TaxableAmount", s);
    const auto tax_text = d.Text("cbc:TaxAmount", s);
    const auto id = d.Text("cac:TaxCategory/cbc:ID", s);
    const auto percent = d.Text("cac:TaxCategory/cbc:Percent", s);
    taxable &= taxable_text.has_value();
    tax &= tax_text.has_value();
    category &= id.has_value();
    if (id) categories.insert(*id);
    rate &= percent.has_value() || id == std::optional<std::string>("O");
    const std::int64_t base = taxable_text ? Hundredths(*taxable_text).value_or(0) : 0;
    const std::int64_t amount = tax_text ? Hundredths(*tax_text).value_or(0) : 0;
    const std::int64_t percent_h = percent ? Hundredths(*percent).value_or(0) : 0;
    subtotal_tax_sum += amount;
    // Round half away from zero of base * percent / 100, all in hundredths.
    const std::int64_t scaled = base * percent_h;
    const std::int64_t expected = (scaled >= 0 ? scaled + 5000 : scaled - 5000) / 10000;
    if (expected != amount) {
      rounded = false;
      rounding_detail = Money(base) + " x " + Money(percent_h) + " % = " + Money(expected) +
                        ", not " + Money(amount);
    }
    if (id == std::optional<std::string>("S")) {
      const std::int64_t lines_net = net_by_category[{"S", percent.value_or("")}];
      if (lines_net != base) {
        s_sums = false;
        s_detail = "rate " + percent.value_or("?") + ": taxable " + Money(base) +
                   " but lines sum to " + Money(lines_net);
      }
    }
  }
  c.Rule("BR-45", taxable, "a VAT breakdown without taxable amount (BT-116)");
  c.Rule("BR-46", tax, "a VAT breakdown without VAT amount (BT-117)");
  c.Rule("BR-47", category, "a VAT breakdown without category code (BT-118)");
  c.Rule("BR-48", rate, "a VAT breakdown without rate (BT-119)");
  c.Rule("BR-CO-17", rounded,
         "VAT amount is not taxable x rate rounded to 2 decimals: " + rounding_detail);
  c.Rule("BR-S-08", s_sums, "standard-rated taxable amount != sum of its lines: " + s_detail);
  c.Rule("BR-S-02",
         !categories.count("S") ||
             d.Text("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")
                 .has_value(),
         "standard-rated invoice without seller VAT identifier (BT-31)");

  // Document totals.
  const std::int64_t bt106 = c.Amount("cac:LegalMonetaryTotal/cbc:LineExtensionAmount");
  const std::int64_t bt107 = c.Amount("cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount");
  const std::int64_t bt108 = c.Amount("cac:LegalMonetaryTotal/cbc:ChargeTotalAmount");
  const std::int64_t bt109 = c.Amount("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount");
  const std::int64_t bt110 = c.Amount("cac:TaxTotal/cbc:TaxAmount");
  const std::int64_t bt112 = c.Amount("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount");
  const std::int64_t bt113 = c.Amount("cac:LegalMonetaryTotal/cbc:PrepaidAmount");
  const std::int64_t bt114 = c.Amount("cac:LegalMonetaryTotal/cbc:PayableRoundingAmount");
  const std::int64_t bt115 = c.Amount("cac:LegalMonetaryTotal/cbc:PayableAmount");
  c.Rule("BR-CO-10", bt106 == line_sum,
         "BT-106 " + Money(bt106) + " != sum of lines " + Money(line_sum));
  c.Rule("BR-CO-13", bt109 == bt106 - bt107 + bt108,
         "BT-109 " + Money(bt109) + " != BT-106 - BT-107 + BT-108");
  c.Rule("BR-CO-14", bt110 == subtotal_tax_sum,
         "BT-110 " + Money(bt110) + " != sum of BT-117 " + Money(subtotal_tax_sum));
  c.Rule("BR-CO-15", bt112 == bt109 + bt110, "BT-112 " + Money(bt112) + " != BT-109 + BT-110");
  c.Rule("BR-CO-16", bt115 == bt112 - bt113 + bt114,
         "BT-115 " + Money(bt115) + " != BT-112 - BT-113 + BT-114");
  c.Rule("BR-CO-25", bt115 <= 0 || d.Text("cbc:DueDate") || d.Text("cac:PaymentTerms/cbc:Note"),
         "positive amount due without due date (BT-9) or payment terms (BT-20)");
  bool two_decimals = true;
  std::string decimals_detail;
  for (xmlNodePtr n : d.Nodes("//*[@currencyID]")) {
    if (!Hundredths(Document::Content(n))) {
      two_decimals = false;
      decimals_detail =
          reinterpret_cast<const char*>(n->name) + std::string(" = ") + Document::Content(n);
    }
  }
  c.Rule("BR-DEC", two_decimals, "an amount with more than 2 decimals: " + decimals_detail);

  // Payment and references.
  bool iban = true;
  for (xmlNodePtr pm : d.Nodes("cac:PaymentMeans")) {
    const auto code = d.Text("cbc:PaymentMeansCode", pm);
    if (code == std::optional<std::string>("30") || code == std::optional<std::string>("58")) {
      iban &= d.Text("cac:PayeeFinancialAccount/cbc:ID", pm).has_value();
    }
  }
  c.Rule("BR-61", iban, "credit transfer without payment account identifier (BT-84)");
  bool preceding = true;
  for (xmlNodePtr br : d.Nodes("cac:BillingReference")) {
    preceding &= d.Text("cac:InvoiceDocumentReference/cbc:ID", br).has_value();
  }
  c.Rule("BR-55", preceding, "a preceding invoice reference (BG-3) without its number (BT-25)");
  c.Present("PEPPOL-EN16931-R020", "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID",
            "Seller electronic address (BT-34)");
  c.Present("PEPPOL-EN16931-R010", "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID",
            "Buyer electronic address (BT-49)");

  // XRechnung 3.0 (CIUS rules BR-DE-*).
  c.Rule("BR-DE-1", !d.Nodes("cac:PaymentMeans").empty(), "payment instructions (BG-16) missing");
  c.Rule("BR-DE-2", !d.Nodes("cac:AccountingSupplierParty/cac:Party/cac:Contact").empty(),
         "seller contact (BG-6) missing");
  c.Present("BR-DE-3", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:CityName",
            "Seller city (BT-37)");
  c.Present("BR-DE-4", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:PostalZone",
            "Seller post code (BT-38)");
  c.Present("BR-DE-5", "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Name",
            "Seller contact point (BT-41)");
  c.Present("BR-DE-6", "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Telephone",
            "Seller contact telephone (BT-42)");
  c.Present("BR-DE-7", "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:ElectronicMail",
            "Seller contact e-mail (BT-43)");
  c.Present("BR-DE-8", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:CityName",
            "Buyer city (BT-52)");
  c.Present("BR-DE-9", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:PostalZone",
            "Buyer post code (BT-53)");
  c.Present("BR-DE-15", "cbc:BuyerReference", "Buyer reference (BT-10)");
  {
    static const std::set<std::string> allowed = {"326", "380", "384", "389",
                                                  "381", "875", "876", "877"};
    const auto code = d.Text(credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode");
    c.Rule("BR-DE-17", code && allowed.count(*code),
           "type code " + code.value_or("(none)") + " not allowed");
  }
  c.Rule("BR-DE-21",
         d.Text("cbc:CustomizationID") ==
             std::optional<std::string>(
                 "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"),
         "specification identifier is not XRechnung 3.0");
  return report;
}

}  // namespace fieldproof::exporter::testing
