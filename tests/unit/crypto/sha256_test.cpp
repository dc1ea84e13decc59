#include "gateway/crypto/sha256.hpp"

#include <gtest/gtest.h>

namespace fieldproof::crypto {
namespace {

TEST(Sha256Test, KnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// The test vectors every PBKDF2-HMAC-SHA256 implementation is checked against.
TEST(Sha256Test, Pbkdf2MatchesKnownVectors) {
  EXPECT_EQ(Pbkdf2Sha256Hex("password", "salt", 1),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  EXPECT_EQ(Pbkdf2Sha256Hex("password", "salt", 4096),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
}

// RFC 4231, test case 2.
TEST(Sha256Test, HmacMatchesRfc4231) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace fieldproof::crypto
