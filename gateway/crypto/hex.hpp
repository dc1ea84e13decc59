// Hexadecimal encoding and decoding of byte strings.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gateway/crypto/bytes.hpp"

namespace fieldproof::crypto {

// Decodes `hex` (upper or lower case digits, no separators, no "0x" prefix).
// Returns nullopt on an odd length or any non-hex character. The empty string
// decodes to an empty byte string.
std::optional<Bytes> HexDecode(std::string_view hex);

// Decodes `hex` into `out`, which must be exactly hex.size() / 2 bytes long.
// Returns false (leaving `out` unspecified) on a length mismatch, an odd
// length or a non-hex character. Does not allocate.
bool HexDecodeInto(std::string_view hex, std::span<std::uint8_t> out);

// Encodes `bytes` as upper-case hex, two characters per byte.
std::string HexEncode(std::span<const std::uint8_t> bytes);

// Appends the upper-case hex encoding of `bytes` to `out`.
void AppendHex(std::span<const std::uint8_t> bytes, std::string& out);

}  // namespace fieldproof::crypto
