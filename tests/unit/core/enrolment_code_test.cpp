// The one-time enrolment code (core/enrolment_code.hpp).
#include "gateway/core/enrolment_code.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

TEST(EnrolmentCodeTest, EightyBitsAreSixteenBase32CharactersInFours) {
  std::array<std::uint8_t, kEnrolmentCodeBytes> zeros{};
  EXPECT_EQ(FormatEnrolmentCode(zeros), "AAAA-AAAA-AAAA-AAAA");
  std::array<std::uint8_t, kEnrolmentCodeBytes> ones;
  ones.fill(0xFF);
  EXPECT_EQ(FormatEnrolmentCode(ones), "7777-7777-7777-7777");
  // RFC 4648's test vector "fooba" is MZXW6YTB; twice makes ten bytes.
  const std::array<std::uint8_t, 10> fooba = {'f', 'o', 'o', 'b', 'a', 'f', 'o', 'o', 'b', 'a'};
  EXPECT_EQ(FormatEnrolmentCode(fooba), "MZXW-6YTB-MZXW-6YTB");
}

TEST(EnrolmentCodeTest, TypedCodesAreComparedWithoutCaseDashesOrSpaces) {
  EXPECT_EQ(NormalizeEnrolmentCode("mzxw-6ytb mzxw-6ytb"), "MZXW6YTBMZXW6YTB");
  EXPECT_EQ(NormalizeEnrolmentCode("MZXW6YTBMZXW6YTB"), "MZXW6YTBMZXW6YTB");
  EXPECT_FALSE(NormalizeEnrolmentCode("MZXW-6YTB-MZXW-6YT")) << "15 characters";
  EXPECT_FALSE(NormalizeEnrolmentCode("MZXW-6YTB-MZXW-6YTB1")) << "1 is not base32";
  EXPECT_FALSE(NormalizeEnrolmentCode("MZXW-6YTB-MZXW-6YT0")) << "0 is not base32";
  EXPECT_FALSE(NormalizeEnrolmentCode(""));
}

}  // namespace
}  // namespace fieldproof::core
