#include "gateway/core/money.hpp"

#include <cstdio>
#include <cstdlib>

namespace fieldproof::core {
namespace {

// Non-negative decimal, at most 12 integer and 2 fraction digits, scaled by 100.
std::optional<std::int64_t> ParseHundredths(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  std::int64_t whole = 0, fraction = 0;
  std::size_t i = 0, int_digits = 0, frac_digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i, ++int_digits) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
  }
  if (int_digits == 0 || int_digits > 12) return std::nullopt;
  if (i < text.size()) {
    for (++i; i < text.size(); ++i, ++frac_digits) {
      if (text[i] < '0' || text[i] > '9' || frac_digits == 2) return std::nullopt;
      fraction = fraction * 10 + (text[i] - '0');
    }
    if (frac_digits == 0) return std::nullopt;
    if (frac_digits == 1) fraction *= 10;
  }
  return whole * 100 + fraction;
}

std::string FormatHundredths(std::int64_t value) {
  char text[32];
  const std::int64_t magnitude = std::llabs(value);
  std::snprintf(text, sizeof text, "%s%lld.%02lld", value < 0 ? "-" : "",
                static_cast<long long>(magnitude / 100), static_cast<long long>(magnitude % 100));
  return text;
}

}  // namespace

std::string FormatAmount(Cents amount) { return FormatHundredths(amount); }
std::optional<Cents> ParseAmount(std::string_view text) { return ParseHundredths(text); }

Cents ApplyRate(Cents base, std::int64_t basis_points) {
  const std::int64_t scaled = base * basis_points;
  const std::int64_t half = 5000;
  return scaled >= 0 ? (scaled + half) / 10000 : -((-scaled + half) / 10000);
}

std::string FormatPercent(std::int64_t basis_points) { return FormatHundredths(basis_points); }
std::optional<std::int64_t> ParsePercent(std::string_view text) {
  auto value = ParseHundredths(text);
  if (!value || *value > 10000) return std::nullopt;
  return value;
}

}  // namespace fieldproof::core
