#include "gateway/crypto/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace fieldproof::crypto {

void RandomFill(std::span<std::uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    throw std::runtime_error("the random number generator failed");
  }
}

std::string RandomHex(std::size_t bytes) {
  std::vector<std::uint8_t> buffer(bytes);
  RandomFill(buffer);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : buffer) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace fieldproof::crypto
