#include "gateway/core/enrolment_code.hpp"

#include <cctype>

namespace fieldproof::core {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

std::string FormatEnrolmentCode(const std::array<std::uint8_t, kEnrolmentCodeBytes>& random) {
  std::string code;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t byte : random) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      if (code.size() % 5 == 4) code += '-';
      code += kBase32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return code;  // 80 bits are exactly 16 characters.
}

std::optional<std::string> NormalizeEnrolmentCode(std::string_view typed) {
  std::string code;
  for (const char c : typed) {
    if (c == '-' || c == ' ') continue;
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kBase32.find(upper) == std::string_view::npos) return std::nullopt;
    code += upper;
  }
  if (code.size() != 16) return std::nullopt;
  return code;
}

}  // namespace fieldproof::core
