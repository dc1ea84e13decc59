#include "gateway/export/ubl_writer.hpp"

#include "gateway/export/record_refs.hpp"
#include "gateway/export/xml_writer.hpp"

namespace fieldproof::exporter {
namespace {

constexpr std::string_view kCac =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
constexpr std::string_view kCbc =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

class UblDocument {
 public:
  explicit UblDocument(const core::Invoice& inv) : inv_(inv) {}

  std::string Write() {
    const bool invoice = inv_.type == core::DocumentType::kInvoice;
    const std::string root = invoice ? "Invoice" : "CreditNote";
    x_.Open(root, {{"xmlns", "urn:oasis:names:specification:ubl:schema:xsd:" + root + "-2"},
                   {"xmlns:cac", std::string(kCac)},
                   {"xmlns:cbc", std::string(kCbc)}});
    x_.Leaf("cbc:CustomizationID", kXRechnungCustomization);  // BT-24
    x_.Leaf("cbc:ProfileID", kPeppolBillingProfile);          // BT-23
    x_.Leaf("cbc:ID", inv_.number);                           // BT-1
    x_.Leaf("cbc:IssueDate", inv_.issue_date);                // BT-2
    if (invoice) x_.Leaf("cbc:DueDate", inv_.due_date);       // BT-9
    x_.Leaf(invoice ? "cbc:InvoiceTypeCode" : "cbc:CreditNoteTypeCode",
            core::TypeCode(inv_.type));  // BT-3
    x_.Leaf("cbc:Note", inv_.note);      // BT-22
    for (const auto& head : inv_.chain_heads) {
      x_.Leaf("cbc:Note", "Maintenance record chain " + head.site + " at record " +
                              std::to_string(head.seq) + ", SHA-256 " + head.hash);
    }
    x_.Leaf("cbc:DocumentCurrencyCode", inv_.currency);   // BT-5
    x_.Leaf("cbc:BuyerReference", inv_.buyer_reference);  // BT-10
    x_.Open("cac:InvoicePeriod");                         // BG-14
    x_.Leaf("cbc:StartDate", inv_.period_start);
    x_.Leaf("cbc:EndDate", inv_.period_end);
    x_.Close();
    if (!inv_.purchase_order.empty()) {
      x_.Open("cac:OrderReference");  // BT-13
      x_.Leaf("cbc:ID", inv_.purchase_order);
      x_.Close();
    }
    if (!inv_.preceding_number.empty()) {
      x_.Open("cac:BillingReference");  // BG-3
      x_.Open("cac:InvoiceDocumentReference");
      x_.Leaf("cbc:ID", inv_.preceding_number);             // BT-25
      x_.Leaf("cbc:IssueDate", inv_.preceding_issue_date);  // BT-26
      x_.Close();
      x_.Close();
    }
    x_.Open("cac:ContractDocumentReference");  // BT-12
    x_.Leaf("cbc:ID", inv_.contract_id);
    x_.Close();
    x_.Open("cac:AccountingSupplierParty");  // BG-4
    Party(inv_.seller);
    x_.Close();
    x_.Open("cac:AccountingCustomerParty");  // BG-7
    Party(inv_.buyer);
    x_.Close();
    PaymentMeans();
    if (invoice || !inv_.payment.terms_note.empty()) {  // A credit note has no term of its own.
      x_.Open("cac:PaymentTerms");
      x_.Leaf("cbc:Note", TermsNote());
      x_.Close();
    }
    TaxTotal();
    x_.Open("cac:LegalMonetaryTotal");                            // BG-22
    Amount("cbc:LineExtensionAmount", inv_.totals.line_net);      // BT-106
    Amount("cbc:TaxExclusiveAmount", inv_.totals.tax_exclusive);  // BT-109
    Amount("cbc:TaxInclusiveAmount", inv_.totals.tax_inclusive);  // BT-112
    Amount("cbc:PayableAmount", inv_.totals.payable);             // BT-115
    x_.Close();
    for (const auto& line : inv_.lines) Line(line, invoice);
    return x_.Finish();
  }

 private:
  void Amount(std::string_view name, core::Cents amount) {
    x_.Leaf(name, core::FormatAmount(amount), {{"currencyID", inv_.currency}});
  }

  // BT-20: the contract's wording, else the term in days.
  std::string TermsNote() const {
    if (!inv_.payment.terms_note.empty()) return inv_.payment.terms_note;
    return "Payable within " + std::to_string(inv_.payment.terms_days) + " days";
  }

  void Party(const core::Party& p) {
    x_.Open("cac:Party");
    x_.Leaf("cbc:EndpointID", p.electronic_address, {{"schemeID", "EM"}});  // BT-34 / BT-49
    x_.Open("cac:PostalAddress");                                           // BG-5 / BG-8
    x_.Leaf("cbc:StreetName", p.address.street);
    x_.Leaf("cbc:AdditionalStreetName", p.address.additional_street);
    x_.Leaf("cbc:CityName", p.address.city);
    x_.Leaf("cbc:PostalZone", p.address.postal_code);
    x_.Open("cac:Country");
    x_.Leaf("cbc:IdentificationCode", p.address.country_code);
    x_.Close();
    x_.Close();
    x_.Open("cac:PartyTaxScheme");  // BT-31 / BT-48
    x_.Leaf("cbc:CompanyID", p.vat_id);
    x_.Open("cac:TaxScheme");
    x_.Leaf("cbc:ID", "VAT");
    x_.Close();
    x_.Close();
    x_.Open("cac:PartyLegalEntity");
    x_.Leaf("cbc:RegistrationName", p.name);  // BT-27 / BT-44
    x_.Leaf("cbc:CompanyID", p.legal_id);     // BT-30 / BT-47
    x_.Close();
    x_.Open("cac:Contact");  // BG-6 / BG-9
    x_.Leaf("cbc:Name", p.contact.name);
    x_.Leaf("cbc:Telephone", p.contact.phone);
    x_.Leaf("cbc:ElectronicMail", p.contact.email);
    x_.Close();
    x_.Close();
  }

  void PaymentMeans() {
    const auto& p = inv_.payment;
    x_.Open("cac:PaymentMeans");                    // BG-16
    x_.Leaf("cbc:PaymentMeansCode", p.means_code);  // BT-81
    x_.Leaf("cbc:PaymentID", inv_.number);          // BT-83, remittance information
    x_.Open("cac:PayeeFinancialAccount");           // BG-17
    x_.Leaf("cbc:ID", p.iban);                      // BT-84
    x_.Leaf("cbc:Name", p.account_name);            // BT-85
    if (!p.bic.empty()) {
      x_.Open("cac:FinancialInstitutionBranch");
      x_.Leaf("cbc:ID", p.bic);  // BT-86
      x_.Close();
    }
    x_.Close();
    x_.Close();
  }

  void TaxCategory(std::string_view element, const std::string& category, std::int64_t rate_bp,
                   const std::string& exemption_reason) {
    x_.Open(element);
    x_.Leaf("cbc:ID", category);
    if (category != "O") x_.Leaf("cbc:Percent", core::FormatPercent(rate_bp));
    x_.Leaf("cbc:TaxExemptionReason", exemption_reason);
    x_.Open("cac:TaxScheme");
    x_.Leaf("cbc:ID", "VAT");
    x_.Close();
    x_.Close();
  }

  void TaxTotal() {
    x_.Open("cac:TaxTotal");
    Amount("cbc:TaxAmount", inv_.totals.vat);  // BT-110
    for (const auto& s : inv_.vat) {           // BG-23
      x_.Open("cac:TaxSubtotal");
      Amount("cbc:TaxableAmount", s.taxable);  // BT-116
      Amount("cbc:TaxAmount", s.tax);          // BT-117
      TaxCategory("cac:TaxCategory", s.category, s.rate_bp, s.exemption_reason);
      x_.Close();
    }
    x_.Close();
  }

  void Line(const core::InvoiceLine& line, bool invoice) {
    x_.Open(invoice ? "cac:InvoiceLine" : "cac:CreditNoteLine");  // BG-25
    x_.Leaf("cbc:ID", std::to_string(line.line_no));              // BT-126
    x_.Leaf(invoice ? "cbc:InvoicedQuantity" : "cbc:CreditedQuantity",
            std::to_string(line.quantity), {{"unitCode", "C62"}});  // BT-129, BT-130
    Amount("cbc:LineExtensionAmount", line.net);                    // BT-131
    x_.Open("cac:InvoicePeriod");                                   // BG-26
    x_.Leaf("cbc:StartDate", line.service_date);
    x_.Leaf("cbc:EndDate", line.service_date);
    x_.Close();
    x_.Open("cac:DocumentReference");  // BT-128: the record billed
    x_.Leaf("cbc:ID", RecordId(line.records.front()));
    x_.Leaf("cbc:DocumentTypeCode", "130");
    x_.Close();
    x_.Open("cac:Item");
    x_.Leaf("cbc:Description", line.description);  // BT-154
    x_.Leaf("cbc:Name", line.name);                // BT-153
    x_.Open("cac:SellersItemIdentification");
    x_.Leaf("cbc:ID", line.item_id);  // BT-155
    x_.Close();
    TaxCategory("cac:ClassifiedTaxCategory", line.vat_category, line.vat_rate_bp, "");  // BG-30
    auto property = [&](std::string_view name, const std::string& value) {              // BG-32
      if (value.empty()) return;
      x_.Open("cac:AdditionalItemProperty");
      x_.Leaf("cbc:Name", name);
      x_.Leaf("cbc:Value", value);
      x_.Close();
    };
    property("Site", line.site);
    property("Asset", line.asset_id);
    property("Technician", line.technician_id);
    property("Work order", line.work_order_id);
    property("Maintenance records", RecordIds(line.records));
    property("Record hashes", RecordHashes(line.records));
    property("Inspections", InspectionIds(line.records));
    property("Evidence taps", EvidenceTaps(line.records));
    x_.Close();
    x_.Open("cac:Price");
    Amount("cbc:PriceAmount", line.unit_price);  // BT-146
    x_.Close();
    x_.Close();
  }

  const core::Invoice& inv_;
  XmlWriter x_;
};

}  // namespace

std::string WriteUbl(const core::Invoice& document) { return UblDocument(document).Write(); }

std::string UblFileName(const core::Invoice& document) { return document.number + ".xml"; }

}  // namespace fieldproof::exporter
