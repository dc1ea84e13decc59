#include "gateway/crypto/hex.hpp"

namespace fieldproof::crypto {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

// Returns the value of one hex digit, or -1.
constexpr int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

bool HexDecodeInto(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() % 2 != 0 || hex.size() / 2 != out.size()) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = DigitValue(hex[2 * i]);
    const int low = DigitValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>((high << 4) | low);
  }
  return true;
}

std::optional<Bytes> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  Bytes out(hex.size() / 2);
  if (!HexDecodeInto(hex, out)) return std::nullopt;
  return out;
}

void AppendHex(std::span<const std::uint8_t> bytes, std::string& out) {
  out.reserve(out.size() + 2 * bytes.size());
  for (const std::uint8_t b : bytes) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0x0F]);
  }
}

std::string HexEncode(std::span<const std::uint8_t> bytes) {
  std::string out;
  AppendHex(bytes, out);
  return out;
}

}  // namespace fieldproof::crypto
