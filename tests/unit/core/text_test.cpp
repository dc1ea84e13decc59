// Text from outside: UTF-8 decoding, what plain text may hold, printing on a terminal.
#include "gateway/core/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fieldproof::core {
namespace {

using namespace std::string_literals;  // "...\0..."s keeps the NUL.

TEST(TextTest, DecodeUtf8) {
  struct Case {
    std::string text;
    std::optional<char32_t> code_point;
    std::size_t length;
  };
  const std::vector<Case> cases = {
      {"A", U'A', 1},
      {"\xC3\xA4", U'\u00E4', 2},              // ä
      {"\xE2\x82\xAC", U'\u20AC', 3},          // €
      {"\xF0\x9F\x94\xA5", U'\U0001F525', 4},  // 🔥
      {"\xEF\xBF\xBF", U'\uFFFF', 3},          // Well-formed, though not plain text.
      {"", std::nullopt, 0},
      {"\xE4", std::nullopt, 0},              // Latin-1 ä.
      {"\xC0\xAF", std::nullopt, 0},          // Overlong '/'.
      {"\xED\xA0\x80", std::nullopt, 0},      // Surrogate.
      {"\xF4\x90\x80\x80", std::nullopt, 0},  // Above U+10FFFF.
      {"\xE2\x82", std::nullopt, 0},          // Cut short.
  };
  for (const Case& c : cases) {
    const auto decoded = DecodeUtf8(c.text);
    ASSERT_EQ(decoded.has_value(), c.code_point.has_value()) << PrintableText(c.text);
    if (!decoded) continue;
    EXPECT_EQ(decoded->code_point, *c.code_point) << PrintableText(c.text);
    EXPECT_EQ(decoded->length, c.length) << PrintableText(c.text);
  }
  EXPECT_TRUE(IsUtf8("Gep\xC3\xA4" "ck"));
  EXPECT_FALSE(IsUtf8("Gep\xE4" "ck"));
}

TEST(TextTest, XmlChar) {
  for (char32_t c : {U'\t', U'\n', U'\r', U' ', U'\u00E4', U'\uD7FF', U'\uE000', U'\uFFFD',
                     U'\U00010000', U'\U0010FFFF'}) {
    EXPECT_TRUE(IsXmlChar(c)) << static_cast<unsigned>(c);
  }
  for (char32_t c : {U'\0', U'\x01', U'\x1B', U'\x1F', U'\uFFFE', U'\uFFFF',
                     static_cast<char32_t>(0xD800), static_cast<char32_t>(0x110000)}) {
    EXPECT_FALSE(IsXmlChar(c)) << static_cast<unsigned>(c);
  }
}

struct PlainCase {
  std::string text;
  std::optional<std::string> problem;  // nullopt: plain text.
};

TEST(TextTest, PlainTextProblem) {
  const std::vector<PlainCase> cases = {
      {"", std::nullopt},
      {"Gate B12, east", std::nullopt},
      {"M\xC3\xBCller & S\xC3\xB6hne", std::nullopt},
      {"=SUM(A1:A9)", std::nullopt},  // A formula is text; the CSV writers neutralise it.
      {"\xF0\x9F\x94\xA5", std::nullopt},
      {"Gate\x1B[31m", "has a control character (U+001B) at character 5"},
      {"A\0B"s, "has a control character (U+0000) at character 2"},
      {"two\nlines", "has a control character (U+000A) at character 4"},
      {"tab\there", "has a control character (U+0009) at character 4"},
      {"cr\r", "has a control character (U+000D) at character 3"},
      {"del\x7F", "has a control character (U+007F) at character 4"},
      {"\xC3\xA4\xC2\x9B", "has a control character (U+009B) at character 2"},  // C1 CSI.
      {"x\xEF\xBF\xBE", "has a noncharacter (U+FFFE) at character 2"},
      {"\xEF\xBF\xBF", "has a noncharacter (U+FFFF) at character 1"},
      {"\xEF\xB7\x90", "has a noncharacter (U+FDD0) at character 1"},
      {"Gep\xE4" "ck", "is not valid UTF-8"},
  };
  for (const PlainCase& c : cases) {
    EXPECT_EQ(PlainTextProblem(c.text), c.problem) << PrintableText(c.text);
  }
}

TEST(TextTest, LineBreaksWhereAllowed) {
  EXPECT_EQ(PlainTextProblem("Net 30 days.\r\nSkonto:\t2 %", LineBreaks::kAllowed),
            std::nullopt);
  EXPECT_EQ(PlainTextProblem("bell\a", LineBreaks::kAllowed),
            "has a control character (U+0007) at character 5");
  EXPECT_EQ(PlainTextProblem("\xEF\xBF\xBF", LineBreaks::kAllowed),
            "has a noncharacter (U+FFFF) at character 1");
}

TEST(TextTest, PrintableTextEscapesWhatATerminalWouldActOn) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"plain text, 100 %", "plain text, 100 %"},
      {"M\xC3\xBCller, Gr\xC3\xB6\xC3\x9F" "e", "M\xC3\xBCller, Gr\xC3\xB6\xC3\x9F" "e"},
      {"\xE2\x82\xAC \xF0\x9F\x94\xA5", "\xE2\x82\xAC \xF0\x9F\x94\xA5"},
      {"\x1B[2J\x1B]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"},
      {"a\0b"s, "a\\x00b"},
      {"del\x7F", "del\\x7f"},
      {"tab\tLF\nCR\r", "tab\\tLF\\nCR\\r"},
      {"back\\slash", "back\\\\slash"},  // Else "\x1b" in the text would look escaped.
      {"\xC2\x9B" "31m", "\\u009b31m"},          // C1 CSI.
      {"abc\xE2\x80\xAE" "cba", "abc\\u202ecba"},  // Right-to-left override.
      {"line\xE2\x80\xA8sep", "line\\u2028sep"},
      {"Latin-1 \xE4", "Latin-1 \\xe4"},
      {"cut \xE2\x82", "cut \\xe2\\x82"},
      {"\xFF\xFE", "\\xff\\xfe"},
  };
  for (const auto& [text, printed] : cases) EXPECT_EQ(PrintableText(text), printed) << printed;
}

TEST(TextTest, PrintableTextHoldsNoControlBytes) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  for (unsigned char c : PrintableText(every_byte)) {
    EXPECT_TRUE(c >= 0x20 && c != 0x7F) << static_cast<int>(c);
  }
}

}  // namespace
}  // namespace fieldproof::core

namespace fieldproof::core {
namespace {

TEST(TextTest, Base64OfRfc4648sVectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64(std::string("\xFF\xFE\x00", 3)), "//4A");
}

}  // namespace
}  // namespace fieldproof::core
