#pragma once
// The one-time code that enrols a handheld: 16 characters of RFC 4648 base32 (80 bits),
// shown in groups of four (ABCD-EFGH-JKLM-NPQR) to be typed or scanned. Pure.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldproof::core {

inline constexpr std::size_t kEnrolmentCodeBytes = 10;

std::string FormatEnrolmentCode(const std::array<std::uint8_t, kEnrolmentCodeBytes>& random);

// The code as stored and compared: upper case, without the dashes and spaces a person may
// type; nullopt unless that leaves 16 base32 characters.
std::optional<std::string> NormalizeEnrolmentCode(std::string_view typed);

}  // namespace fieldproof::core
