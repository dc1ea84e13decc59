#pragma once
// Money is integer minor units (cents) everywhere; rates are basis points (1900 = 19 %).
// Text forms are what EN 16931 expects: a decimal point and exactly two decimals.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldproof::core {

using Cents = std::int64_t;

std::string FormatAmount(Cents amount);                   // 1234 -> "12.34", -5 -> "-0.05"
std::optional<Cents> ParseAmount(std::string_view text);  // "12", "12.3", "12.34"; >= 0

// base * basis_points / 10000, rounded half away from zero (commercial rounding).
Cents ApplyRate(Cents base, std::int64_t basis_points);

std::string FormatPercent(std::int64_t basis_points);             // 1900 -> "19.00"
std::optional<std::int64_t> ParsePercent(std::string_view text);  // "19", "7.5" -> 750

}  // namespace fieldproof::core
