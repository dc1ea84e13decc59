#include "gateway/crypto/aes.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace fieldproof::crypto {
namespace {

[[noreturn]] void ThrowOpenSslError(const char* what) {
  std::string message = std::string("OpenSSL: ") + what;
  if (const unsigned long code = ERR_get_error(); code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    message += ": ";
    message += buffer;
  }
  ERR_clear_error();
  throw std::runtime_error(message);
}

// Fetches each cipher implementation once per process (an implicit fetch on
// every init is the expensive part of using EVP in OpenSSL 3). The fetched
// objects are intentionally never freed: contexts hold references to them and
// may be destroyed during thread or process exit in any order.
const EVP_CIPHER* FetchCipher(AesMode mode) {
  static const EVP_CIPHER* const kEcb = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
  static const EVP_CIPHER* const kCbc = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
  const EVP_CIPHER* cipher = mode == AesMode::kEcb ? kEcb : kCbc;
  if (cipher == nullptr) ThrowOpenSslError("cannot fetch AES-128");
  return cipher;
}

}  // namespace

Aes128::Aes128(AesMode mode, AesDirection direction) : mode_(mode) {
  ctx_ = EVP_CIPHER_CTX_new();
  if (ctx_ == nullptr) throw std::bad_alloc();
  const int enc = direction == AesDirection::kEncrypt ? 1 : 0;
  if (EVP_CipherInit_ex2(ctx_, FetchCipher(mode), nullptr, nullptr, enc, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx_, 0) != 1) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = nullptr;
    ThrowOpenSslError("cannot initialise AES-128 context");
  }
}

Aes128::Aes128(AesMode mode, AesDirection direction, const Key128& key) : Aes128(mode, direction) {
  SetKey(key);
}

Aes128::~Aes128() { EVP_CIPHER_CTX_free(ctx_); }  // Frees and cleanses the key schedule.

Aes128::Aes128(Aes128&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), mode_(other.mode_) {}

Aes128& Aes128::operator=(Aes128&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    mode_ = other.mode_;
  }
  return *this;
}

void Aes128::SetKey(const Key128& key) {
  // A null cipher keeps the fetched implementation and its provider context,
  // so re-keying only runs the key schedule.
  if (EVP_CipherInit_ex2(ctx_, nullptr, key.data(), nullptr, -1, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx_, 0) != 1) {
    ThrowOpenSslError("cannot set AES-128 key");
  }
}

void Aes128::Apply(std::span<const std::uint8_t> in, std::span<std::uint8_t> out,
                   const Block128& iv) {
  if (in.size() != out.size() || in.size() % kAesBlockSize != 0) {
    throw std::invalid_argument("Aes128::Apply: sizes must match and be whole blocks");
  }
  if (in.empty()) return;
  if (mode_ == AesMode::kCbc &&
      EVP_CipherInit_ex2(ctx_, nullptr, nullptr, iv.data(), -1, nullptr) != 1) {
    ThrowOpenSslError("cannot set AES-128-CBC IV");
  }
  int out_len = 0;
  if (EVP_CipherUpdate(ctx_, out.data(), &out_len, in.data(), static_cast<int>(in.size())) != 1 ||
      static_cast<std::size_t>(out_len) != in.size()) {
    ThrowOpenSslError("AES-128 operation failed");
  }
}

Block128 Aes128::ApplyBlock(const Block128& in) {
  Block128 out;
  Apply(in, out);
  return out;
}

}  // namespace fieldproof::crypto
