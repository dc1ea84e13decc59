// CSV for spreadsheets: text cells neutralised against formula injection, numbers kept.
#include "gateway/codec/spreadsheet_csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gateway/codec/csv.hpp"

namespace fieldproof::codec {
namespace {

TEST(SpreadsheetCsvTest, SpreadsheetSafePrefixesWhatWouldStartAFormula) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"=HYPERLINK(\"http://x.example\",\"click\")", "'=HYPERLINK(\"http://x.example\",\"click\")"},
      {"+49 69 6900", "'+49 69 6900"},
      {"-1", "'-1"},  // In a text column, even a number-like text stays text.
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\t=1+2", "'\t=1+2"},
      {"\r=1+2", "'\r=1+2"},
      {"", ""},
      {"Example Airport Operations AG", "Example Airport Operations AG"},
      {"a=b", "a=b"},
      {"'quoted", "'quoted"},
      {"M\xC3\xBCller", "M\xC3\xBCller"},
  };
  for (const auto& [text, safe] : cases) {
    EXPECT_EQ(SpreadsheetSafe(text), safe) << text;
    EXPECT_EQ(StartsFormula(text), safe != text) << text;
  }
}

TEST(SpreadsheetCsvTest, TextIsQuotedAndNeutralisedNumbersStayBare) {
  std::string out;
  AppendSheetRecord(
      out, {SheetCell::Text("=1+2"), SheetCell::Number("-12.50"), SheetCell::Text("Doe, \"JD\""),
            SheetCell::Number("-1"), SheetCell::Text(""), SheetCell::Number(""),
            SheetCell::Text("plain"), SheetCell::Number("33.3"), SheetCell::Text("-12.50")});
  EXPECT_EQ(out, "\"'=1+2\",-12.50,\"Doe, \"\"JD\"\"\",-1,,,\"plain\",33.3,\"'-12.50\"\r\n");
  const auto parsed = ParseCsv(out);
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].fields,
            (std::vector<std::string>{"'=1+2", "-12.50", "Doe, \"JD\"", "-1", "", "", "plain",
                                      "33.3", "'-12.50"}));
}

// A column declared numeric by mistake must not become a way in.
TEST(SpreadsheetCsvTest, NumberCellThatIsNotANumberIsWrittenAsText) {
  for (const std::string value : {"-1+2", "=1", "1e5", "12.", ".5", "-", "0x10", "1,5", " 1"}) {
    std::string out;
    AppendSheetRecord(out, {SheetCell::Number(value)});
    EXPECT_EQ(out, "\"" + SpreadsheetSafe(value) + "\"\r\n") << value;
  }
  for (const std::string value : {"0", "-0.01", "380", "1000000", "7.5"}) {
    std::string out;
    AppendSheetRecord(out, {SheetCell::Number(value)});
    EXPECT_EQ(out, value + "\r\n");
  }
}

}  // namespace
}  // namespace fieldproof::codec
