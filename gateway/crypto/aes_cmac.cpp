#include "gateway/crypto/aes_cmac.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <stdexcept>

namespace fieldproof::crypto {
namespace {

// Doubling in GF(2^128) with the CMAC polynomial (SP 800-38B 6.1): shift the
// big-endian value left by one bit, XOR 0x87 into the last byte if the top
// bit was set. Constant time in the key material.
Block128 Double(const Block128& in) {
  Block128 out;
  for (std::size_t i = 0; i < kAesBlockSize - 1; ++i) {
    out[i] = static_cast<std::uint8_t>((in[i] << 1) | (in[i + 1] >> 7));
  }
  const auto carry_mask = static_cast<std::uint8_t>(0u - (in[0] >> 7));
  out[kAesBlockSize - 1] =
      static_cast<std::uint8_t>((in[kAesBlockSize - 1] << 1) ^ (0x87 & carry_mask));
  return out;
}

}  // namespace

AesCmacContext::AesCmacContext(const Key128& key) : aes_(AesMode::kEcb, AesDirection::kEncrypt) {
  SetKey(key);
}

AesCmacContext::~AesCmacContext() {
  OPENSSL_cleanse(k1_.data(), k1_.size());
  OPENSSL_cleanse(k2_.data(), k2_.size());
}

void AesCmacContext::SetKey(const Key128& key) {
  aes_.SetKey(key);
  Block128 l = aes_.ApplyBlock(Block128{});
  k1_ = Double(l);
  k2_ = Double(k1_);
  OPENSSL_cleanse(l.data(), l.size());
}

Block128 AesCmacContext::Mac(std::span<const std::uint8_t> msg, std::size_t min_blocks) {
  if (min_blocks == 0) throw std::invalid_argument("AesCmacContext::Mac: min_blocks must be >= 1");
  const std::size_t size = msg.size();
  const std::size_t blocks = std::max(min_blocks, (size + kAesBlockSize - 1) / kAesBlockSize);
  const bool complete = size == blocks * kAesBlockSize;
  const Block128& subkey = complete ? k1_ : k2_;

  Block128 x{};
  Block128 block;
  for (std::size_t i = 0; i < blocks; ++i) {
    const std::size_t offset = i * kAesBlockSize;
    if (offset + kAesBlockSize <= size) {
      std::copy_n(msg.data() + offset, kAesBlockSize, block.begin());
    } else {
      // The block holding the end of the message, or a padding-only block.
      block.fill(0);
      if (offset <= size) {
        std::copy(msg.begin() + static_cast<std::ptrdiff_t>(offset), msg.end(), block.begin());
        block[size - offset] = 0x80;
      }
    }
    const bool last = i + 1 == blocks;
    for (std::size_t j = 0; j < kAesBlockSize; ++j) {
      x[j] ^= static_cast<std::uint8_t>(block[j] ^ (last ? subkey[j] : 0));
    }
    aes_.Apply(x, x);
  }
  return x;
}

Block128 AesCmac(const Key128& key, std::span<const std::uint8_t> msg) {
  thread_local AesCmacContext context(Key128{});
  context.SetKey(key);
  return context.Mac(msg);
}

}  // namespace fieldproof::crypto
