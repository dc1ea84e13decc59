#include "gateway/core/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace fieldproof::core {
namespace {

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool IsLineBreakOrTab(char32_t c) { return c == '\t' || c == '\n' || c == '\r'; }

// U+FDD0..U+FDEF and the last two code points of every plane: never meant to be interchanged.
bool IsNoncharacter(char32_t c) { return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE; }

// Characters a terminal may act on or that hide what the text says: C0, DEL, C1, the line and
// paragraph separators and the bidirectional formatting characters (reordering text shown).
bool NeedsEscapeOnTerminal(char32_t c) {
  return IsControl(c) || c == 0x061C || c == 0x200E || c == 0x200F || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string CodePointName(char32_t c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

std::string TerminalEscape(char32_t c) {
  switch (c) {
    case '\t':
      return "\\t";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    default:
      break;
  }
  char text[16];
  std::snprintf(text, sizeof text, c < 0x80 ? "\\x%02x" : "\\u%04x", static_cast<unsigned>(c));
  return text;
}

}  // namespace

std::optional<Utf8Char> DecodeUtf8(std::string_view s) {
  if (s.empty()) return std::nullopt;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t value = 0;
  unsigned char min_second = 0x80, max_second = 0xBF;
  if (lead < 0x80) return Utf8Char{lead, 1};
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) min_second = 0xA0;  // Overlong.
    if (lead == 0xED) max_second = 0x9F;  // Surrogates.
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xF0) min_second = 0x90;  // Overlong.
    if (lead == 0xF4) max_second = 0x8F;  // Above U+10FFFF.
  } else {
    return std::nullopt;
  }
  if (s.size() < length) return std::nullopt;
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char lo = k == 1 ? min_second : 0x80, hi = k == 1 ? max_second : 0xBF;
    if (byte(k) < lo || byte(k) > hi) return std::nullopt;
    value = (value << 6) | (byte(k) & 0x3F);
  }
  return Utf8Char{value, length};
}

bool IsUtf8(std::string_view text) {
  while (!text.empty()) {
    const auto c = DecodeUtf8(text);
    if (!c) return false;
    text.remove_prefix(c->length);
  }
  return true;
}

bool IsXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

std::optional<std::string> PlainTextProblem(std::string_view text, LineBreaks line_breaks) {
  for (std::size_t position = 1; !text.empty(); ++position) {
    const auto c = DecodeUtf8(text);
    if (!c) return "is not valid UTF-8";
    const char32_t cp = c->code_point;
    const bool allowed_break = line_breaks == LineBreaks::kAllowed && IsLineBreakOrTab(cp);
    const char* kind = IsControl(cp) && !allowed_break ? "a control character"
                       : IsNoncharacter(cp)            ? "a noncharacter"
                                                       : nullptr;
    if (kind != nullptr) {
      return std::string("has ") + kind + " (" + CodePointName(cp) + ") at character " +
             std::to_string(position);
    }
    text.remove_prefix(c->length);
  }
  return std::nullopt;
}

std::string PrintableText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto c = DecodeUtf8(text);
    if (!c) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(text[0]));
      out += escaped;
      text.remove_prefix(1);
      continue;
    }
    if (c->code_point == '\\') {
      out += "\\\\";
    } else if (NeedsEscapeOnTerminal(c->code_point)) {
      out += TerminalEscape(c->code_point);
    } else {
      out += text.substr(0, c->length);
    }
    text.remove_prefix(c->length);
  }
  return out;
}

std::string Base64(std::string_view bytes) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      group = group << 8 | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kDigits[(group >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

}  // namespace fieldproof::core
