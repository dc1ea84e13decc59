// RFC 4180 reader: quoting, line ends, line numbers, errors.
#include "gateway/codec/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fieldproof::codec {
namespace {

using Fields = std::vector<std::string>;

struct ExpectedRecord {
  std::size_t line;
  Fields fields;
};

struct ExpectedError {
  std::size_t line;
  std::string reason_contains;
};

struct CsvCase {
  std::string name;
  std::string text;
  std::vector<ExpectedRecord> records;
  std::vector<ExpectedError> errors;
};

void PrintTo(const CsvCase& c, std::ostream* os) { *os << c.name; }

class ParseCsvTest : public ::testing::TestWithParam<CsvCase> {};

TEST_P(ParseCsvTest, Parses) {
  const CsvCase& c = GetParam();
  const CsvDocument doc = ParseCsv(c.text);
  ASSERT_EQ(doc.records.size(), c.records.size());
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    EXPECT_EQ(doc.records[i].line, c.records[i].line) << "record " << i;
    EXPECT_EQ(doc.records[i].fields, c.records[i].fields) << "record " << i;
  }
  ASSERT_EQ(doc.errors.size(), c.errors.size());
  for (std::size_t i = 0; i < c.errors.size(); ++i) {
    EXPECT_EQ(doc.errors[i].line, c.errors[i].line) << "error " << i;
    EXPECT_NE(doc.errors[i].reason.find(c.errors[i].reason_contains), std::string::npos)
        << doc.errors[i].reason;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseCsvTest,
    ::testing::Values(
        CsvCase{"empty", "", {}, {}},
        CsvCase{"only_newlines", "\n\r\n\n", {}, {}},
        CsvCase{"simple_lf", "a,b,c\n1,2,3\n", {{1, {"a", "b", "c"}}, {2, {"1", "2", "3"}}}, {}},
        CsvCase{"no_final_newline", "a,b\n1,2", {{1, {"a", "b"}}, {2, {"1", "2"}}}, {}},
        CsvCase{"crlf", "a,b\r\n1,2\r\n", {{1, {"a", "b"}}, {2, {"1", "2"}}}, {}},
        CsvCase{"lone_cr", "a,b\r1,2\r", {{1, {"a", "b"}}, {2, {"1", "2"}}}, {}},
        CsvCase{"bom", "\xEF\xBB\xBF" "asset_id,site\nA,FRA\n",
                {{1, {"asset_id", "site"}}, {2, {"A", "FRA"}}}, {}},
        CsvCase{"bom_crlf_quoted", "\xEF\xBB\xBF\"a\",b\r\n", {{1, {"a", "b"}}}, {}},
        CsvCase{"bom_only_at_start", "a\n\xEF\xBB\xBF" "b\n", {{1, {"a"}}, {2, {"\xEF\xBB\xBF" "b"}}},
                {}},
        CsvCase{"empty_fields", "a,,b\n,\n,,\n",
                {{1, {"a", "", "b"}}, {2, {"", ""}}, {3, {"", "", ""}}}, {}},
        CsvCase{"trailing_comma", "a,b,\n", {{1, {"a", "b", ""}}}, {}},
        CsvCase{"spaces_kept", " a , b \n", {{1, {" a ", " b "}}}, {}},
        CsvCase{"blank_lines_skipped_lines_counted", "a\n\n\nb\r\n\r\nc\n",
                {{1, {"a"}}, {4, {"b"}}, {6, {"c"}}}, {}},
        CsvCase{"quoted", "\"a\",\"b c\",d\n", {{1, {"a", "b c", "d"}}}, {}},
        CsvCase{"quoted_empty_is_a_record", "\"\"\n", {{1, {""}}}, {}},
        CsvCase{"escaped_quotes", "\"he said \"\"hi\"\"\",x\n\"\"\"\"\n",
                {{1, {"he said \"hi\"", "x"}}, {2, {"\""}}}, {}},
        CsvCase{"embedded_comma", "\"a,b\",c\n", {{1, {"a,b", "c"}}}, {}},
        CsvCase{"embedded_newline_line_numbers",
                "h1,h2\n\"line1\nline2\",z\nnext,row\n\"a\n\nb\",c\nlast,x\n",
                {{1, {"h1", "h2"}},
                 {2, {"line1\nline2", "z"}},
                 {4, {"next", "row"}},
                 {5, {"a\n\nb", "c"}},
                 {8, {"last", "x"}}},
                {}},
        CsvCase{"embedded_crlf_kept", "\"a\r\nb\",c\r\nd,e\r\n",
                {{1, {"a\r\nb", "c"}}, {3, {"d", "e"}}}, {}},
        CsvCase{"quote_only_at_field_start", "x,\"q\"\n", {{1, {"x", "q"}}}, {}},
        CsvCase{"unterminated_quote", "a,b\n\"open,b\nc,d\n", {{1, {"a", "b"}}},
                {{2, "never closed"}}},
        CsvCase{"text_after_closing_quote", "\"a\"b,c\nd,e\n", {{2, {"d", "e"}}},
                {{1, "after a closing quote"}}},
        CsvCase{"space_after_closing_quote", "x\n\"a\" ,c\nd\n", {{1, {"x"}}, {3, {"d"}}},
                {{2, "after a closing quote"}}},
        CsvCase{"quote_inside_unquoted", "ab\"c\",d\ne\n", {{2, {"e"}}},
                {{1, "quote inside an unquoted field"}}},
        CsvCase{"error_after_multiline_record", "\"a\nb\",c\n\"x\"y\nz\n",
                {{1, {"a\nb", "c"}}, {4, {"z"}}}, {{3, "after a closing quote"}}}),
    [](const ::testing::TestParamInfo<CsvCase>& info) { return info.param.name; });

TEST(ParseCsvTest, ManyRecordsKeepTheirLineNumbers) {
  std::string text;
  for (int i = 1; i <= 500; ++i) text += std::to_string(i) + ",\"v\n" + std::to_string(i) + "\"\n";
  const CsvDocument doc = ParseCsv(text);
  ASSERT_EQ(doc.records.size(), 500u);
  ASSERT_TRUE(doc.errors.empty());
  for (std::size_t i = 0; i < doc.records.size(); ++i) {
    EXPECT_EQ(doc.records[i].line, 2 * i + 1);
    EXPECT_EQ(doc.records[i].fields[0], std::to_string(i + 1));
    EXPECT_EQ(doc.records[i].fields[1], "v\n" + std::to_string(i + 1));
  }
}

}  // namespace
}  // namespace fieldproof::codec
