#include "gateway/crypto/aes_cmac.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <random>

#include "gateway/crypto/aes.hpp"
#include "tests/unit/crypto/crypto_test_util.hpp"

namespace fieldproof::crypto {
namespace {

using testing::ArrayFromHex;
using testing::FromHex;
using testing::KeyFromHex;

// RFC 4493 section 4 "Test Vectors" (identical to NIST SP 800-38B, D.1).
const Key128 kRfcKey = KeyFromHex("2B7E151628AED2A6ABF7158809CF4F3C");
const Bytes kRfcMessage = FromHex(
    "6BC1BEE22E409F96E93D7E117393172A"
    "AE2D8A571E03AC9C9EB76FAC45AF8E51"
    "30C81C46A35CE411E5FBC1191A0A52EF"
    "F69F2445DF4F9B17AD2B417BE66C3710");

TEST(AesCmacTest, Rfc4493Subkeys) {
  AesCmacContext context(kRfcKey);
  EXPECT_EQ(HexEncode(context.k1()), "FBEED618357133667C85E08F7236A8DE");
  EXPECT_EQ(HexEncode(context.k2()), "F7DDAC306AE266CCF90BC11EE46D513B");
}

TEST(AesCmacTest, Rfc4493Examples) {
  const std::span<const std::uint8_t> m(kRfcMessage);
  // Example 1: len = 0.
  EXPECT_EQ(HexEncode(AesCmac(kRfcKey, m.first(0))), "BB1D6929E95937287FA37D129B756746");
  // Example 2: len = 16.
  EXPECT_EQ(HexEncode(AesCmac(kRfcKey, m.first(16))), "070A16B46B4D4144F79BDD9DD04A287C");
  // Example 3: len = 40.
  EXPECT_EQ(HexEncode(AesCmac(kRfcKey, m.first(40))), "DFA66747DE9AE63030CA32611497C827");
  // Example 4: len = 64.
  EXPECT_EQ(HexEncode(AesCmac(kRfcKey, m.first(64))), "51F0BEBF7E3B9D92FC49741779363CFE");
}

TEST(AesCmacTest, ContextReusedAcrossMessagesAndKeys) {
  AesCmacContext context(Key128{});
  context.SetKey(kRfcKey);
  const std::span<const std::uint8_t> m(kRfcMessage);
  EXPECT_EQ(HexEncode(context.Mac(m.first(40))), "DFA66747DE9AE63030CA32611497C827");
  EXPECT_EQ(HexEncode(context.Mac(m.first(0))), "BB1D6929E95937287FA37D129B756746");
  EXPECT_EQ(HexEncode(context.Mac(m.first(64))), "51F0BEBF7E3B9D92FC49741779363CFE");
  EXPECT_THROW(context.Mac(m, 0), std::invalid_argument);
}

// Independent implementation: OpenSSL 3's EVP_MAC "CMAC".
Block128 OpenSslCmac(const Key128& key, std::span<const std::uint8_t> msg) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char cipher_name[] = "AES-128-CBC";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("cipher", cipher_name, 0),
                         OSSL_PARAM_construct_end()};
  Block128 out{};
  size_t out_len = 0;
  const bool ok = EVP_MAC_init(ctx, key.data(), key.size(), params) == 1 &&
                  EVP_MAC_update(ctx, msg.data(), msg.size()) == 1 &&
                  EVP_MAC_final(ctx, out.data(), &out_len, out.size()) == 1;
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  EXPECT_TRUE(ok);
  EXPECT_EQ(out_len, 16u);
  return out;
}

TEST(AesCmacTest, MatchesOpenSslCmacForAllLengthsUpTo100) {
  std::mt19937 rng(4493);
  for (std::size_t len = 0; len <= 100; ++len) {
    Key128 key;
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    Bytes msg(len);
    for (auto& b : msg) b = static_cast<std::uint8_t>(rng());
    EXPECT_EQ(AesCmac(key, msg), OpenSslCmac(key, msg)) << "length " << len;
  }
}

// FIPS-197 Appendix C.1 (AES-128).
TEST(Aes128Test, Fips197AppendixC1) {
  const Key128 key = KeyFromHex("000102030405060708090A0B0C0D0E0F");
  const Block128 plain = ArrayFromHex<16>("00112233445566778899AABBCCDDEEFF");
  Aes128 encrypt(AesMode::kEcb, AesDirection::kEncrypt, key);
  const Block128 cipher = encrypt.ApplyBlock(plain);
  EXPECT_EQ(HexEncode(cipher), "69C4E0D86A7B0430D8CDB78070B4C55A");
  Aes128 decrypt(AesMode::kEcb, AesDirection::kDecrypt, key);
  EXPECT_EQ(decrypt.ApplyBlock(cipher), plain);
}

// NIST SP 800-38A F.2.1 / F.2.2 (CBC-AES128), first two blocks.
TEST(Aes128Test, Sp80038aCbc) {
  const Key128 key = KeyFromHex("2B7E151628AED2A6ABF7158809CF4F3C");
  const Block128 iv = ArrayFromHex<16>("000102030405060708090A0B0C0D0E0F");
  const Bytes plain = FromHex("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51");
  Aes128 encrypt(AesMode::kCbc, AesDirection::kEncrypt, key);
  Bytes cipher(plain.size());
  encrypt.Apply(plain, cipher, iv);
  EXPECT_EQ(HexEncode(cipher), "7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2");
  // Each call restarts the chain from the IV given.
  Bytes again(plain.size());
  encrypt.Apply(plain, again, iv);
  EXPECT_EQ(again, cipher);

  Aes128 decrypt(AesMode::kCbc, AesDirection::kDecrypt, Key128{});
  decrypt.SetKey(key);
  Bytes round(cipher.size());
  decrypt.Apply(cipher, round, iv);
  EXPECT_EQ(round, plain);
  decrypt.Apply(cipher, cipher, iv);  // In place.
  EXPECT_EQ(cipher, plain);
}

TEST(Aes128Test, RejectsPartialBlocks) {
  Aes128 aes(AesMode::kEcb, AesDirection::kEncrypt, Key128{});
  Bytes in(15), out(15);
  EXPECT_THROW(aes.Apply(in, out), std::invalid_argument);
  Bytes out16(16), in16(16);
  Bytes out32(32);
  EXPECT_THROW(aes.Apply(in16, out32), std::invalid_argument);
  EXPECT_NO_THROW(aes.Apply(in16, out16));
}

TEST(Aes128Test, MovedContextStillWorks) {
  Aes128 a(AesMode::kEcb, AesDirection::kEncrypt, Key128{});
  Aes128 b = std::move(a);
  const Block128 once = b.ApplyBlock(Block128{});
  Aes128 c(AesMode::kEcb, AesDirection::kEncrypt);
  c = std::move(b);
  c.SetKey(Key128{});
  EXPECT_EQ(c.ApplyBlock(Block128{}), once);
}

}  // namespace
}  // namespace fieldproof::crypto
