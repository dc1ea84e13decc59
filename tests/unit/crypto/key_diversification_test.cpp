#include "gateway/crypto/key_diversification.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "gateway/crypto/aes.hpp"
#include "gateway/crypto/aes_cmac.hpp"
#include "tests/unit/crypto/crypto_test_util.hpp"

namespace fieldproof::crypto {
namespace {

using testing::ArrayFromHex;
using testing::FromHex;
using testing::KeyFromHex;

// NXP AN10922 "Symmetric key diversifications", section 2.2.1 "AES-128 key
// diversification example": master key, diversification input
// M = UID 04782E21801D80 || AID 3042F5 || system identifier "NXP Abu"
// (4E585020416275), the subkeys K1/K2 and the diversified key.
const Key128 kAn10922Master = KeyFromHex("00112233445566778899AABBCCDDEEFF");
const Bytes kAn10922Input = FromHex("04782E21801D803042F54E585020416275");

TEST(KeyDiversificationTest, An10922Aes128Example) {
  AesCmacContext context(kAn10922Master);
  EXPECT_EQ(HexEncode(context.k1()), "FBC9F75C9413C041DFEE452D3F0706D1");
  EXPECT_EQ(HexEncode(context.k2()), "F793EEB928278083BFDC8A5A7E0E0D25");
  EXPECT_EQ(HexEncode(DiversifyAes128(kAn10922Master, kAn10922Input)),
            "A8DD63A3B89D54B37CA802473FDA9175");
}

TEST(KeyDiversificationTest, An10922PaddedCmacInputByHand) {
  // AN10922 2.2.1 steps: D = 0x01 || M || 0x80 || zeros (32 bytes), K2 XORed
  // into the last 16 bytes, then AES-CBC-MAC with a zero IV. Computed here with
  // the bare block cipher, independently of AesCmacContext's padding logic.
  Bytes d = {0x01};
  d.insert(d.end(), kAn10922Input.begin(), kAn10922Input.end());
  d.push_back(0x80);
  d.resize(32, 0x00);
  const Block128 k2 = ArrayFromHex<16>("F793EEB928278083BFDC8A5A7E0E0D25");
  for (std::size_t i = 0; i < 16; ++i) d[16 + i] ^= k2[i];
  Aes128 cbc(AesMode::kCbc, AesDirection::kEncrypt, kAn10922Master);
  Bytes out(32);
  cbc.Apply(d, out, Block128{});
  EXPECT_EQ(HexEncode(std::span(out).last(16)), "A8DD63A3B89D54B37CA802473FDA9175");
}

TEST(KeyDiversificationTest, ThirtyOneByteInputIsPlainCmacOf32Bytes) {
  // With 31 input bytes, 0x01 || M is exactly 32 bytes: no padding, K1, i.e.
  // ordinary RFC 4493 CMAC.
  Bytes m(31);
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = static_cast<std::uint8_t>(0xA0 + i);
  Bytes d = {0x01};
  d.insert(d.end(), m.begin(), m.end());
  EXPECT_EQ(DiversifyAes128(kAn10922Master, m), AesCmac(kAn10922Master, d));
}

TEST(KeyDiversificationTest, ShortInputIsPaddedToTwoBlocks) {
  // 0x01 || M of 16 bytes is one complete block for RFC 4493, but AN10922
  // pads to 32 bytes, so the results must differ.
  Bytes m(15, 0x42);
  Bytes d = {0x01};
  d.insert(d.end(), m.begin(), m.end());
  EXPECT_NE(DiversifyAes128(kAn10922Master, m), AesCmac(kAn10922Master, d));
  AesCmacContext context(kAn10922Master);
  EXPECT_EQ(DiversifyAes128(kAn10922Master, m), context.Mac(d, 2));
}

TEST(KeyDiversificationTest, RejectsEmptyAndOverlongInput) {
  EXPECT_THROW(DiversifyAes128(kAn10922Master, Bytes{}), std::invalid_argument);
  EXPECT_THROW(DiversifyAes128(kAn10922Master, Bytes(32, 1)), std::invalid_argument);
  EXPECT_NO_THROW(DiversifyAes128(kAn10922Master, Bytes(1, 1)));
  EXPECT_NO_THROW(DiversifyAes128(kAn10922Master, Bytes(31, 1)));
}

TEST(KeyDiversificationTest, SiteMetaReadKeyIsPrefixedDiversification) {
  const std::string site = "AMS-T2-EAST";
  Bytes input = testing::AsciiBytes("FPMETA" + site);
  EXPECT_EQ(SiteMetaReadKey(kAn10922Master, site), DiversifyAes128(kAn10922Master, input));
  EXPECT_EQ(SiteMetaReadKey(kAn10922Master, ""),
            DiversifyAes128(kAn10922Master, testing::AsciiBytes("FPMETA")));
}

TEST(KeyDiversificationTest, SiteIdIsTruncatedTo25Bytes) {
  const std::string long_site(40, 'S');
  const std::string prefix(kMaxSiteIdBytes, 'S');
  EXPECT_EQ(SiteMetaReadKey(kAn10922Master, long_site), SiteMetaReadKey(kAn10922Master, prefix));
  EXPECT_NE(SiteMetaReadKey(kAn10922Master, prefix.substr(1)),
            SiteMetaReadKey(kAn10922Master, prefix));
}

TEST(KeyDiversificationTest, TagFileReadKeyIsPrefixedDiversification) {
  const TagUid uid = ArrayFromHex<7>("04DE5F1EACC040");
  Bytes input = testing::AsciiBytes("FPFILE");
  input.insert(input.end(), uid.begin(), uid.end());
  EXPECT_EQ(TagFileReadKey(kAn10922Master, uid), DiversifyAes128(kAn10922Master, input));
}

TEST(KeyDiversificationTest, KeysAreDistinctPerTagSiteAndMaster) {
  std::set<Key128> keys;
  for (int i = 0; i < 200; ++i) {
    TagUid uid = {0x04, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(i)};
    keys.insert(TagFileReadKey(kAn10922Master, uid));
    keys.insert(SiteMetaReadKey(kAn10922Master, "site-" + std::to_string(i)));
  }
  keys.insert(TagFileReadKey(KeyFromHex("00112233445566778899AABBCCDDEEFE"),
                             TagUid{0x04, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(keys.size(), 401u);
}

}  // namespace
}  // namespace fieldproof::crypto
