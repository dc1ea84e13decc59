// Helpers shared by the crypto unit tests.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "gateway/crypto/bytes.hpp"
#include "gateway/crypto/hex.hpp"

namespace fieldproof::crypto::testing {

// Decodes a hex literal; throws on bad hex so a typo in a vector fails loudly.
inline Bytes FromHex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  if (!bytes) throw std::invalid_argument("bad hex literal in test");
  return *bytes;
}

template <std::size_t N>
std::array<std::uint8_t, N> ArrayFromHex(std::string_view hex) {
  const Bytes bytes = FromHex(hex);
  if (bytes.size() != N) throw std::invalid_argument("hex literal has the wrong length");
  std::array<std::uint8_t, N> out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

inline Key128 KeyFromHex(std::string_view hex) { return ArrayFromHex<16>(hex); }

inline Bytes AsciiBytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

}  // namespace fieldproof::crypto::testing
