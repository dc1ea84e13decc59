// Byte-level vocabulary types shared by the crypto module.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace fieldproof::crypto {

// An AES-128 key.
using Key128 = std::array<std::uint8_t, 16>;
// One AES block (also the size of a full, untruncated CMAC).
using Block128 = std::array<std::uint8_t, 16>;
// A 7-byte NFC tag UID (NTAG 424 DNA, ISO/IEC 14443-3 double size UID).
using TagUid = std::array<std::uint8_t, 7>;
// An owned, variable-length byte string.
using Bytes = std::vector<std::uint8_t>;

inline constexpr std::size_t kAesBlockSize = 16;

}  // namespace fieldproof::crypto
