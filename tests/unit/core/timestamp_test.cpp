// RFC 3339 parsing and formatting (schemas/common.json#/$defs/timestamp).
#include "gateway/core/timestamp.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace fieldproof::core {
namespace {


// 2026-11-23T08:15:00Z, computed independently: 20780 days after the epoch.
constexpr UnixMillis k20261123T0815 = 20780 * kDay + 8 * kHour + 15 * kMinute;

struct ParseCase {
  std::string text;
  std::optional<UnixMillis> expected;  // nullopt: must be rejected.
};

void PrintTo(const ParseCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class ParseRfc3339Test : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseRfc3339Test, ParsesOrRejects) {
  const ParseCase& c = GetParam();
  EXPECT_EQ(ParseRfc3339(c.text), c.expected);
}

// Known Unix millisecond values.
INSTANTIATE_TEST_SUITE_P(
    KnownValues, ParseRfc3339Test,
    ::testing::Values(ParseCase{"1970-01-01T00:00:00Z", 0},
                      ParseCase{"1970-01-01T00:00:00.001Z", 1},
                      ParseCase{"1970-01-02T00:00:00Z", kDay},
                      ParseCase{"1969-12-31T23:59:59.999Z", -1},
                      ParseCase{"1969-12-31T00:00:00Z", -kDay},
                      ParseCase{"2000-01-01T00:00:00Z", 946684800000},
                      ParseCase{"2000-03-01T00:00:00Z", 951868800000},  // After 2000-02-29.
                      ParseCase{"2001-09-09T01:46:40Z", 1000000000000},
                      ParseCase{"2009-02-13T23:31:30Z", 1234567890000},
                      ParseCase{"2038-01-19T03:14:07Z", 2147483647000},
                      ParseCase{"2038-01-19T03:14:08Z", 2147483648000},
                      ParseCase{"2026-11-23T08:15:00Z", k20261123T0815},
                      ParseCase{"2100-03-01T00:00:00Z", 4107542400000},  // 2100 not leap.
                      ParseCase{"9999-12-31T23:59:59.999Z", 253402300799999},
                      ParseCase{"0000-01-01T00:00:00Z", -62167219200000}));

INSTANTIATE_TEST_SUITE_P(
    Offsets, ParseRfc3339Test,
    ::testing::Values(
        ParseCase{"2026-11-23T08:15:00+00:00", k20261123T0815},
        ParseCase{"2026-11-23T08:15:00-00:00", k20261123T0815},
        ParseCase{"2026-11-23T09:15:00+01:00", k20261123T0815},
        ParseCase{"2026-11-23T03:15:00-05:00", k20261123T0815},
        ParseCase{"2026-11-23T13:45:00+05:30", k20261123T0815},
        ParseCase{"2026-11-22T20:15:00-12:00", k20261123T0815},  // Previous local day.
        ParseCase{"2026-11-24T00:00:00+15:45", k20261123T0815},  // Next local day.
        ParseCase{"2026-11-23T08:15:00+23:59", k20261123T0815 - 23 * kHour - 59 * kMinute},
        ParseCase{"2026-11-23T08:15:00-23:59", k20261123T0815 + 23 * kHour + 59 * kMinute},
        ParseCase{"1970-01-01T00:00:00+01:00", -kHour},
        ParseCase{"2026-11-23T08:15:00+24:00", std::nullopt},
        ParseCase{"2026-11-23T08:15:00+01:60", std::nullopt},
        ParseCase{"2026-11-23T08:15:00+0100", std::nullopt},
        ParseCase{"2026-11-23T08:15:00+01", std::nullopt},
        ParseCase{"2026-11-23T08:15:00+1:00", std::nullopt},
        ParseCase{"2026-11-23T08:15:00 +01:00", std::nullopt},
        ParseCase{"2026-11-23T08:15:00", std::nullopt},  // No offset at all.
        ParseCase{"2026-11-23T08:15:00UTC", std::nullopt},
        ParseCase{"2026-11-23T08:15:00ZZ", std::nullopt},
        ParseCase{"2026-11-23T08:15:00+01:00Z", std::nullopt}));

// Fractions of 1..9 digits, truncated (not rounded) to milliseconds.
INSTANTIATE_TEST_SUITE_P(
    Fractions, ParseRfc3339Test,
    ::testing::Values(ParseCase{"2026-11-23T08:15:00.1Z", k20261123T0815 + 100},
                      ParseCase{"2026-11-23T08:15:00.12Z", k20261123T0815 + 120},
                      ParseCase{"2026-11-23T08:15:00.123Z", k20261123T0815 + 123},
                      ParseCase{"2026-11-23T08:15:00.1239Z", k20261123T0815 + 123},
                      ParseCase{"2026-11-23T08:15:00.12399Z", k20261123T0815 + 123},
                      ParseCase{"2026-11-23T08:15:00.999999Z", k20261123T0815 + 999},
                      ParseCase{"2026-11-23T08:15:00.0000001Z", k20261123T0815},
                      ParseCase{"2026-11-23T08:15:00.99999999Z", k20261123T0815 + 999},
                      ParseCase{"2026-11-23T08:15:00.999999999Z", k20261123T0815 + 999},
                      ParseCase{"2026-11-23T08:15:00.000Z", k20261123T0815},
                      ParseCase{"2026-11-23T09:15:00.5+01:00", k20261123T0815 + 500},
                      ParseCase{"1969-12-31T23:59:59.9999Z", -1},
                      ParseCase{"2026-11-23T08:15:00.1234567890Z", std::nullopt},  // 10 digits
                      ParseCase{"2026-11-23T08:15:00.Z", std::nullopt},
                      ParseCase{"2026-11-23T08:15:00,123Z", std::nullopt},
                      ParseCase{"2026-11-23T08:15:00.12aZ", std::nullopt}));

INSTANTIATE_TEST_SUITE_P(
    Calendar, ParseRfc3339Test,
    ::testing::Values(
        ParseCase{"2028-02-29T12:00:00Z", ParseRfc3339("2028-03-01T12:00:00Z").value() - kDay},
        ParseCase{"2000-02-29T00:00:00Z", 951782400000},
        ParseCase{"2026-02-29T12:00:00Z", std::nullopt},
        ParseCase{"2100-02-29T00:00:00Z", std::nullopt},
        ParseCase{"2026-02-30T00:00:00Z", std::nullopt},
        ParseCase{"2026-04-31T00:00:00Z", std::nullopt},
        ParseCase{"2026-04-30T00:00:00Z", ParseRfc3339("2026-05-01T00:00:00Z").value() - kDay},
        ParseCase{"2026-12-31T00:00:00Z", ParseRfc3339("2027-01-01T00:00:00Z").value() - kDay},
        ParseCase{"2026-13-01T00:00:00Z", std::nullopt},
        ParseCase{"2026-00-10T00:00:00Z", std::nullopt},
        ParseCase{"2026-01-00T00:00:00Z", std::nullopt},
        ParseCase{"2026-01-32T00:00:00Z", std::nullopt}));

INSTANTIATE_TEST_SUITE_P(
    ClockTime, ParseRfc3339Test,
    ::testing::Values(ParseCase{"2026-11-23T23:59:59Z", 20781 * kDay - kSecond},
                      ParseCase{"2026-11-23T23:59:59.999Z", 20781 * kDay - 1},
                      ParseCase{"2026-11-23T00:00:00Z", 20780 * kDay},
                      ParseCase{"2026-11-23T24:00:00Z", std::nullopt},
                      ParseCase{"2026-11-23T23:60:00Z", std::nullopt},
                      ParseCase{"2026-11-23T23:59:60Z", std::nullopt},  // No leap seconds.
                      ParseCase{"2026-11-23T12:00:61Z", std::nullopt}));

INSTANTIATE_TEST_SUITE_P(
    Syntax, ParseRfc3339Test,
    ::testing::Values(ParseCase{"2026-11-23t08:15:00Z", std::nullopt},
                      ParseCase{"2026-11-23T08:15:00z", std::nullopt},
                      ParseCase{"2026-11-23t08:15:00z", std::nullopt},
                      ParseCase{"2026-11-23 08:15:00Z", std::nullopt},
                      ParseCase{"2026-11-23", std::nullopt},
                      ParseCase{"", std::nullopt},
                      ParseCase{"Z", std::nullopt},
                      ParseCase{"2026-11-23T08:15Z", std::nullopt},
                      ParseCase{"2026-11-23T8:15:00Z", std::nullopt},
                      ParseCase{"26-11-23T08:15:00Z", std::nullopt},
                      ParseCase{"+2026-11-23T08:15:00Z", std::nullopt},
                      ParseCase{"2026/11/23T08:15:00Z", std::nullopt},
                      ParseCase{"2026-11-23T08.15.00Z", std::nullopt},
                      ParseCase{" 2026-11-23T08:15:00Z", std::nullopt},
                      ParseCase{"2026-11-23T08:15:00Z ", std::nullopt},
                      ParseCase{"2026-11-23T08:15:00Z\n", std::nullopt},
                      ParseCase{"2026-1a-23T08:15:00Z", std::nullopt},
                      ParseCase{"1764000000000", std::nullopt}));

struct FormatCase {
  UnixMillis t;
  std::string text;
};

TEST(FormatRfc3339Test, KnownValues) {
  const std::vector<FormatCase> cases = {
      {0, "1970-01-01T00:00:00.000Z"},
      {1, "1970-01-01T00:00:00.001Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {-kDay, "1969-12-31T00:00:00.000Z"},
      {-kDay - 1, "1969-12-30T23:59:59.999Z"},
      {946684800000, "2000-01-01T00:00:00.000Z"},
      {951782400000, "2000-02-29T00:00:00.000Z"},
      {1000000000000, "2001-09-09T01:46:40.000Z"},
      {1234567890123, "2009-02-13T23:31:30.123Z"},
      {k20261123T0815 + 31, "2026-11-23T08:15:00.031Z"},
      {253402300799999, "9999-12-31T23:59:59.999Z"},
      {-62167219200000, "0000-01-01T00:00:00.000Z"},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(FormatRfc3339(c.t), c.text) << "t = " << c.t;
  }
}

TEST(FormatRfc3339Test, RoundTripsThroughParse) {
  const std::vector<UnixMillis> values = {0,
                                          1,
                                          -1,
                                          999,
                                          -999,
                                          -1000,
                                          -1001,
                                          kDay - 1,
                                          -kDay + 1,
                                          -86400001,
                                          951782400000 + 12 * kHour,  // 2000-02-29 noon
                                          ParseRfc3339("2028-02-29T23:59:59.999Z").value(),
                                          k20261123T0815 + 123,
                                          4102444799999,  // 2099-12-31T23:59:59.999Z
                                          -2208988800000 + 7};  // 1900-01-01, year not leap
  for (UnixMillis t : values) {
    const std::string text = FormatRfc3339(t);
    EXPECT_EQ(ParseRfc3339(text), std::optional<UnixMillis>(t)) << t << " -> " << text;
  }
}

TEST(FormatRfc3339Test, NormalisesOffsetsToUtc) {
  const auto t = ParseRfc3339("2026-11-23T09:26:03.125+01:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatRfc3339(*t), "2026-11-23T08:26:03.125Z");
  const auto u = ParseRfc3339("2026-02-28T22:00:00.987654321-03:30");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(FormatRfc3339(*u), "2026-03-01T01:30:00.987Z");
}

}  // namespace
}  // namespace fieldproof::core
