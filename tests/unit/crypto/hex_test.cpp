#include "gateway/crypto/hex.hpp"

#include <gtest/gtest.h>

#include <array>

namespace fieldproof::crypto {
namespace {

TEST(HexTest, DecodesUpperAndLowerCase) {
  const Bytes expected = {0x00, 0x1F, 0xAB, 0xCD, 0xEF, 0x90};
  EXPECT_EQ(HexDecode("001FABCDEF90"), expected);
  EXPECT_EQ(HexDecode("001fabcdef90"), expected);
  EXPECT_EQ(HexDecode("001fAbCdEf90"), expected);
}

TEST(HexTest, DecodesEmptyString) { EXPECT_EQ(HexDecode(""), Bytes{}); }

TEST(HexTest, RejectsOddLengthAndNonHex) {
  EXPECT_FALSE(HexDecode("ABC"));
  EXPECT_FALSE(HexDecode("0G"));
  EXPECT_FALSE(HexDecode("0x12"));
  EXPECT_FALSE(HexDecode(" 12"));
  EXPECT_FALSE(HexDecode("12 "));
  EXPECT_FALSE(HexDecode("1-"));
}

TEST(HexTest, DecodeIntoChecksLength) {
  std::array<std::uint8_t, 2> out{};
  EXPECT_TRUE(HexDecodeInto("BEEF", out));
  EXPECT_EQ(out, (std::array<std::uint8_t, 2>{0xBE, 0xEF}));
  EXPECT_FALSE(HexDecodeInto("BEEF00", out));
  EXPECT_FALSE(HexDecodeInto("BE", out));
  EXPECT_FALSE(HexDecodeInto("BEEG", out));
}

TEST(HexTest, EncodesUpperCase) {
  const Bytes bytes = {0x00, 0x0A, 0xBC, 0xFF};
  EXPECT_EQ(HexEncode(bytes), "000ABCFF");
  EXPECT_EQ(HexEncode(Bytes{}), "");
  std::string out = "x=";
  AppendHex(bytes, out);
  EXPECT_EQ(out, "x=000ABCFF");
}

TEST(HexTest, RoundTripsAllByteValues) {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(HexDecode(HexEncode(all)), all);
}

}  // namespace
}  // namespace fieldproof::crypto
