#include "gateway/crypto/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace fieldproof::crypto {

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
    throw std::runtime_error("the random number generator failed");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : buffer) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace fieldproof::crypto
