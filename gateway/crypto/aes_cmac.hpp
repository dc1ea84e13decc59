// AES-CMAC (NIST SP 800-38B, RFC 4493) on top of AES-128-ECB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "gateway/crypto/aes.hpp"
#include "gateway/crypto/bytes.hpp"

namespace fieldproof::crypto {

// Full 16-byte AES-CMAC of `msg` under `key` (RFC 4493). Thread-safe: uses a
// per-thread cipher context that is re-keyed on each call, so it does not
// allocate after a thread's first call.
Block128 AesCmac(const Key128& key, std::span<const std::uint8_t> msg);

// A keyed AES-CMAC context: the key schedule and the subkeys K1, K2 are
// computed once in the constructor (or SetKey) and reused for every Mac().
// Prefer this over AesCmac() when one key MACs many messages.
//
// Not thread-safe: use one instance per thread. Movable, not copyable.
class AesCmacContext {
 public:
  explicit AesCmacContext(const Key128& key);
  ~AesCmacContext();
  AesCmacContext(AesCmacContext&&) noexcept = default;
  AesCmacContext& operator=(AesCmacContext&&) noexcept = default;

  void SetKey(const Key128& key);

  // CMAC of `msg`. `min_blocks` generalises the padding rule: a message
  // shorter than min_blocks * 16 bytes is padded (0x80 then zeros) up to that
  // length and finished with K2; a message of exactly min_blocks * 16 bytes or
  // a longer whole number of blocks is finished with K1. min_blocks = 1 is
  // plain RFC 4493 CMAC; min_blocks = 2 is the AN10922 AES-128 key
  // diversification rule (input always padded to 32 bytes). min_blocks must
  // be at least 1.
  Block128 Mac(std::span<const std::uint8_t> msg, std::size_t min_blocks = 1);

  // Subkeys (exposed for known-answer tests).
  const Block128& k1() const { return k1_; }
  const Block128& k2() const { return k2_; }

 private:
  Aes128 aes_;  // AES-128-ECB, encrypt.
  Block128 k1_{};
  Block128 k2_{};
};

}  // namespace fieldproof::crypto
