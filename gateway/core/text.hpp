#pragma once
// Text that came from outside (registry CSV files, contracts, MQTT payloads): what plain text
// may hold, and how to show any text on an operator's terminal. Pure functions over UTF-8.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fieldproof::core {

// One character decoded from the front of UTF-8 text.
struct Utf8Char {
  char32_t code_point;
  std::size_t length;  // Bytes, 1 to 4.
};

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. nullopt when `text` is
// empty or does not start with a well-formed character.
std::optional<Utf8Char> DecodeUtf8(std::string_view text);
bool IsUtf8(std::string_view text);

// XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF].
bool IsXmlChar(char32_t c);

enum class LineBreaks { kRefused, kAllowed };

// Why `text` is not plain text, e.g. "has a control character (U+001B) at character 7", or
// nullopt when it is. Plain text is UTF-8 without control characters (C0, DEL, C1; tab, LF and
// CR only where `line_breaks` allows them) and without noncharacters (U+FFFE, U+FFFF, ...).
// Names, addresses and locations have no use for them; they make e-invoices that are not XML
// and can drive a terminal (ESC).
std::optional<std::string> PlainTextProblem(std::string_view text,
                                            LineBreaks line_breaks = LineBreaks::kRefused);

// `text` made safe to print on a terminal, one line: printable UTF-8 (umlauts too) stays as
// it is; a backslash becomes "\\"; tab, LF and CR "\t", "\n", "\r"; other C0 controls and DEL
// "\x1b"; bytes that are not UTF-8 "\xNN"; C1 controls, line separators and bidirectional
// formatting characters "\u202e". Nothing in the output can start an escape sequence.
std::string PrintableText(std::string_view text);

// Standard base64 with padding (RFC 4648), e.g. for a data: URI.
std::string Base64(std::string_view bytes);

}  // namespace fieldproof::core
