// AES-128 block cipher in ECB and CBC mode over OpenSSL's EVP interface.
#pragma once

#include <cstdint>
#include <span>

#include "gateway/crypto/bytes.hpp"

// Forward declaration from <openssl/evp.h>; keeps OpenSSL out of includers.
struct evp_cipher_ctx_st;

namespace fieldproof::crypto {

enum class AesMode { kEcb, kCbc };
enum class AesDirection { kEncrypt, kDecrypt };

// One reusable AES-128 cipher context with a fixed mode and direction.
//
// Construction allocates the OpenSSL context once; SetKey() re-keys it without
// allocating, so a long-lived (or thread_local) instance serves any number of
// keys and messages. No padding is ever applied: inputs are whole blocks.
//
// Not thread-safe: use one instance per thread. Movable, not copyable.
// Errors inside OpenSSL (out of memory, AES unavailable in the loaded
// provider) throw std::runtime_error; they do not happen in normal operation.
class Aes128 {
 public:
  Aes128(AesMode mode, AesDirection direction);
  Aes128(AesMode mode, AesDirection direction, const Key128& key);
  ~Aes128();

  Aes128(Aes128&& other) noexcept;
  Aes128& operator=(Aes128&& other) noexcept;
  Aes128(const Aes128&) = delete;
  Aes128& operator=(const Aes128&) = delete;

  void SetKey(const Key128& key);

  // Transforms `in` into `out` (equal sizes, a multiple of 16 bytes; `out`
  // may be the same buffer as `in`, but must not partially overlap it).
  // In CBC mode every call starts a fresh chain from `iv`; ECB ignores it.
  // Throws std::invalid_argument on a size violation.
  void Apply(std::span<const std::uint8_t> in, std::span<std::uint8_t> out,
             const Block128& iv = {});

  // One block: out = E_K(in) or D_K(in) (CBC with a zero IV is the same).
  Block128 ApplyBlock(const Block128& in);

 private:
  evp_cipher_ctx_st* ctx_ = nullptr;
  AesMode mode_;
};

}  // namespace fieldproof::crypto
