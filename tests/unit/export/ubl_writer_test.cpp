#include "gateway/export/ubl_writer.hpp"

#include <gtest/gtest.h>

#include <set>

#include "en16931_rules.hpp"
#include "export_fixtures.hpp"
#include "gateway/export/xml_writer.hpp"

namespace fieldproof::exporter {
namespace {

using testing::CheckUblRules;

// The document without line breaks and indentation, to look for neighbouring elements.
std::string Flat(const std::string& xml) {
  std::string out;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] != '\n') {
      out += xml[i];
      continue;
    }
    while (i + 1 < xml.size() && xml[i + 1] == ' ') ++i;
  }
  return out;
}

std::string Describe(const testing::RuleReport& r) {
  std::string out;
  for (const auto& v : r.violations) out += v.rule + ": " + v.detail + "\n";
  return out;
}

TEST(UblWriter, InvoicePassesEveryCheckedRule) {
  const auto report = CheckUblRules(WriteUbl(testing::SampleInvoice()));
  ASSERT_TRUE(report.well_formed);
  EXPECT_TRUE(report.violations.empty()) << Describe(report);
  EXPECT_GE(report.rules_checked.size(), 55u);
}

TEST(UblWriter, CreditNotePassesEveryCheckedRule) {
  const std::string xml = Flat(WriteUbl(testing::SampleCreditNote()));
  const auto report = CheckUblRules(xml);
  ASSERT_TRUE(report.well_formed);
  EXPECT_TRUE(report.violations.empty()) << Describe(report);
  EXPECT_NE(
      xml.find("<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\""),
      std::string::npos);
  EXPECT_NE(xml.find("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:ID>FP-INV-000001</cbc:ID><cbc:IssueDate>2026-12-01</cbc:IssueDate>"),
            std::string::npos);
  EXPECT_NE(xml.find("<cbc:CreditedQuantity unitCode=\"C62\">1</cbc:CreditedQuantity>"),
            std::string::npos);
  EXPECT_EQ(xml.find("cbc:DueDate"), std::string::npos) << "UBL 2.1 CreditNote has no DueDate";
}

TEST(UblWriter, LinesCarryRecordsHashesAndEvidence) {
  const std::string xml = Flat(WriteUbl(testing::SampleInvoice()));
  EXPECT_NE(xml.find("<cbc:ID>FRA#1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>"),
            std::string::npos);
  EXPECT_NE(xml.find("<cbc:Value>" + std::string(63, 'c') + "1</cbc:Value>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:Name>Evidence taps</cbc:Name><cbc:Value>10:11</cbc:Value>"),
            std::string::npos);
  EXPECT_NE(xml.find("<cbc:Value>WO-17</cbc:Value>"), std::string::npos);
  EXPECT_NE(xml.find("Maintenance record chain FRA at record 5, SHA-256 " + std::string(64, 'f')),
            std::string::npos);
}

TEST(UblWriter, EscapesText) {
  core::Invoice inv = testing::SampleInvoice();
  inv.buyer.name = "Airport <Ops> & \"Sons\"";
  const std::string xml = WriteUbl(inv);
  EXPECT_NE(xml.find("Airport &lt;Ops&gt; &amp; &quot;Sons&quot;"), std::string::npos);
  EXPECT_TRUE(CheckUblRules(xml).well_formed);
}

// Security review (issue 17): contracts imported before imports checked their text, and
// credit reasons, may hold characters XML 1.0 forbids or bytes that are not UTF-8. The
// document must stay well-formed: each becomes U+FFFD.
TEST(UblWriter, StaysWellFormedWhateverTheTextHolds) {
  using namespace std::string_literals;
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  core::Invoice inv = testing::SampleInvoice();
  inv.buyer.name = "Airport\x1B[31m AG";
  inv.buyer.address.street = "Street\0 1"s;
  inv.buyer_reference = "04011000\xEF\xBF\xBF";       // U+FFFF
  inv.purchase_order = "PO\xEF\xBF\xBE";              // U+FFFE
  inv.seller.name = "Fire Safety GmbH \xE4\xC0\xAF";  // Latin-1 and overlong bytes.
  inv.payment.terms_note = "Net 30\r\nSkonto:\t2 %\x0B";
  inv.lines.front().description = "Inspection\x7F \xC2\x9B ok";  // DEL and C1: XML allows.
  const std::string xml = WriteUbl(inv);
  const auto report = CheckUblRules(xml);
  ASSERT_TRUE(report.well_formed) << xml;
  EXPECT_TRUE(report.violations.empty()) << Describe(report);
  EXPECT_NE(xml.find("<cbc:RegistrationName>Airport" + replacement + "[31m AG<"),
            std::string::npos);
  EXPECT_NE(xml.find("<cbc:StreetName>Street" + replacement + " 1<"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:BuyerReference>04011000" + replacement + "<"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:ID>PO" + replacement + "<"), std::string::npos);
  EXPECT_NE(xml.find("Fire Safety GmbH " + replacement + replacement + replacement + "<"),
            std::string::npos);
  EXPECT_NE(xml.find("<cbc:Note>Net 30&#xD;\nSkonto:\t2 %" + replacement + "<"), std::string::npos);
  EXPECT_NE(xml.find("Inspection\x7F \xC2\x9B ok"), std::string::npos);
}

TEST(EscapeXml, ReplacesWhatXmlForbidsAndKeepsTheRest) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&apos;"},
      {"tab\tLF\nCR\r", "tab\tLF\nCR&#xD;"},
      {"M\xC3\xBCller \xE2\x82\xAC \xF0\x9F\x94\xA5",
       "M\xC3\xBCller \xE2\x82\xAC \xF0\x9F\x94\xA5"},
      {"\x01\x1F", "\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"\xEF\xBF\xBE\xEF\xBF\xBF", "\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"\xEF\xBF\xBD", "\xEF\xBF\xBD"},
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // A surrogate's bytes.
      {"cut \xE2\x82", "cut \xEF\xBF\xBD\xEF\xBF\xBD"},
  };
  for (const auto& [text, escaped] : cases) EXPECT_EQ(EscapeXml(text), escaped) << escaped;
}

// --- Every rule check can fail: one mutation of a valid document per rule. ---

std::string RemoveElement(std::string xml, const std::string& open_tag, int nth = 1) {
  const std::string name = open_tag.substr(1, open_tag.find_first_of(" >") - 1);
  std::size_t at = 0;
  for (int i = 0; i < nth; ++i) {
    at = xml.find(open_tag, i == 0 ? 0 : at + 1);
    if (at == std::string::npos) return xml;
  }
  const std::string close = "</" + name + ">";
  const std::size_t end = xml.find(close, at);
  return xml.erase(at, end + close.size() - at);
}

std::string Replace(std::string xml, const std::string& from, const std::string& to, int nth = 1) {
  std::size_t at = 0;
  for (int i = 0; i < nth; ++i) {
    at = xml.find(from, i == 0 ? 0 : at + 1);
    if (at == std::string::npos) return xml;
  }
  return xml.replace(at, from.size(), to);
}

std::string RemoveAll(std::string xml, const std::string& open_tag) {
  while (xml.find(open_tag) != std::string::npos) xml = RemoveElement(xml, open_tag);
  return xml;
}

struct Mutation {
  const char* rule;
  bool credit_note;
  std::function<std::string(const std::string&)> apply;
};

const std::string kEur = " currencyID=\"EUR\">";

std::vector<Mutation> Mutations() {
  // Prepends a digit to the nth amount of this element: 12.34 -> 112.34.
  auto amount = [](const char* element, int nth = 1) {
    return [=](const std::string& x) {
      const std::string open = std::string("<") + element + kEur;
      std::size_t at = x.find(open);
      for (int i = 1; i < nth; ++i) at = x.find(open, at + 1);
      std::string y = x;
      y.insert(at + open.size(), "1");
      return y;
    };
  };
  auto remove = [](const char* open, int nth = 1) {
    return [=](const std::string& x) { return RemoveElement(x, open, nth); };
  };
  return {
      {"BR-01", false, remove("<cbc:CustomizationID>")},
      {"BR-02", false,
       [](const std::string& x) { return Replace(x, "<cbc:ID>FP-INV-000001</cbc:ID>", ""); }},
      {"BR-03", false, remove("<cbc:IssueDate>")},
      {"BR-04", false, remove("<cbc:InvoiceTypeCode>")},
      {"BR-05", false, remove("<cbc:DocumentCurrencyCode>")},
      {"BR-06", false, remove("<cbc:RegistrationName>")},
      {"BR-07", false, remove("<cbc:RegistrationName>", 2)},
      {"BR-08", false, remove("<cac:PostalAddress>")},
      {"BR-09", false, remove("<cbc:IdentificationCode>")},
      {"BR-10", false, remove("<cac:PostalAddress>", 2)},
      {"BR-11", false, remove("<cbc:IdentificationCode>", 2)},
      {"BR-12", false, remove("<cbc:LineExtensionAmount currencyID")},
      {"BR-13", false, remove("<cbc:TaxExclusiveAmount")},
      {"BR-14", false, remove("<cbc:TaxInclusiveAmount")},
      {"BR-15", false, remove("<cbc:PayableAmount")},
      {"BR-16", false, [](const std::string& x) { return RemoveAll(x, "<cac:InvoiceLine>"); }},
      {"BR-21", false, [](const std::string& x) { return Replace(x, "<cbc:ID>1</cbc:ID>", ""); }},
      {"BR-22", false, remove("<cbc:InvoicedQuantity")},
      {"BR-23", false, [](const std::string& x) { return Replace(x, " unitCode=\"C62\"", ""); }},
      {"BR-24", false, remove("<cbc:LineExtensionAmount currencyID", 2)},
      {"BR-25", false,
       [](const std::string& x) {
         return Replace(x, "<cbc:Name>Verified inspection, fire_shutter</cbc:Name>", "");
       }},
      {"BR-26", false, remove("<cbc:PriceAmount")},
      {"BR-27", false,
       [](const std::string& x) {
         return Replace(x, kEur + "48.00</cbc:PriceAmount>", kEur + "-48.00</cbc:PriceAmount>");
       }},
      {"BR-29", false,
       [](const std::string& x) {
         return Replace(x, "<cbc:EndDate>2026-11-30", "<cbc:EndDate>2026-10-30");
       }},
      {"BR-30", false,
       [](const std::string& x) {
         return Replace(x, "<cbc:EndDate>2026-11-03", "<cbc:EndDate>2026-11-02");
       }},
      {"PEPPOL-EN16931-R120", false,
       [](const std::string& x) {
         return Replace(x, kEur + "48.00</cbc:PriceAmount>", kEur + "47.00</cbc:PriceAmount>");
       }},
      {"BR-CO-18", false, [](const std::string& x) { return RemoveAll(x, "<cac:TaxSubtotal>"); }},
      {"BR-45", false, remove("<cbc:TaxableAmount")},
      {"BR-46", false, remove("<cbc:TaxAmount", 2)},
      {"BR-47", false, [](const std::string& x) { return Replace(x, "<cbc:ID>S</cbc:ID>", ""); }},
      {"BR-48", false, remove("<cbc:Percent>")},
      {"BR-CO-17", false, amount("cbc:TaxAmount", 2)},
      {"BR-S-08", false, amount("cbc:TaxableAmount")},
      {"BR-S-02", false, remove("<cac:PartyTaxScheme>")},
      {"BR-CO-10", false, amount("cbc:LineExtensionAmount")},
      {"BR-CO-13", false, amount("cbc:TaxExclusiveAmount")},
      {"BR-CO-14", false, amount("cbc:TaxAmount")},
      {"BR-CO-15", false, amount("cbc:TaxInclusiveAmount")},
      {"BR-CO-16", false, amount("cbc:PayableAmount")},
      {"BR-CO-25", false,
       [](const std::string& x) {
         return RemoveElement(RemoveElement(x, "<cbc:DueDate>"), "<cac:PaymentTerms>");
       }},
      {"BR-DEC", false,
       [](const std::string& x) {
         return Replace(x, kEur + "48.00</cbc:PriceAmount>", kEur + "48.001</cbc:PriceAmount>");
       }},
      {"BR-61", false,
       [](const std::string& x) {
         return Replace(x, "<cbc:ID>DE02120300000000202051</cbc:ID>", "");
       }},
      {"BR-55", true,
       [](const std::string& x) { return RemoveElement(x, "<cbc:ID>FP-INV-000001</cbc:ID>"); }},
      {"PEPPOL-EN16931-R020", false, remove("<cbc:EndpointID")},
      {"PEPPOL-EN16931-R010", false, remove("<cbc:EndpointID", 2)},
      {"BR-DE-1", false, remove("<cac:PaymentMeans>")},
      {"BR-DE-2", false, remove("<cac:Contact>")},
      {"BR-DE-3", false, remove("<cbc:CityName>")},
      {"BR-DE-4", false, remove("<cbc:PostalZone>")},
      {"BR-DE-5", false,
       [](const std::string& x) { return Replace(x, "<cbc:Name>Billing Desk</cbc:Name>", ""); }},
      {"BR-DE-6", false, remove("<cbc:Telephone>")},
      {"BR-DE-7", false, remove("<cbc:ElectronicMail>")},
      {"BR-DE-8", false, remove("<cbc:CityName>", 2)},
      {"BR-DE-9", false, remove("<cbc:PostalZone>", 2)},
      {"BR-DE-15", false, remove("<cbc:BuyerReference>")},
      {"BR-DE-17", false,
       [](const std::string& x) {
         return Replace(x, "<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>999");
       }},
      {"BR-DE-21", false,
       [](const std::string& x) { return Replace(x, "xrechnung_3.0", "xrechnung_2.0"); }},
  };
}

TEST(UblRules, EachRuleCatchesItsViolation) {
  const std::string invoice = WriteUbl(testing::SampleInvoice());
  const std::string credit = WriteUbl(testing::SampleCreditNote());
  std::set<std::string> covered;
  for (const Mutation& m : Mutations()) {
    const std::string& original = m.credit_note ? credit : invoice;
    const std::string mutated = m.apply(original);
    ASSERT_NE(mutated, original) << m.rule << ": the mutation changed nothing";
    const auto report = CheckUblRules(mutated);
    ASSERT_TRUE(report.well_formed) << m.rule;
    std::set<std::string> violated;
    for (const auto& v : report.violations) violated.insert(v.rule);
    EXPECT_TRUE(violated.count(m.rule)) << m.rule << " not reported; got:\n" << Describe(report);
    covered.insert(m.rule);
  }
  // No rule goes unchecked: each one the checker evaluates has a mutation above.
  for (const auto& rule : CheckUblRules(invoice).rules_checked) {
    EXPECT_TRUE(covered.count(rule)) << rule << " has no mutation test";
  }
}

}  // namespace
}  // namespace fieldproof::exporter
