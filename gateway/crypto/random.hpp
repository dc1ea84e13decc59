#pragma once
// Secrets from the operating system's CSPRNG (OpenSSL RAND_bytes).
#include <cstddef>
#include <string>

namespace fieldproof::crypto {

// `bytes` random bytes as lower-case hex; throws std::runtime_error if the CSPRNG fails.
std::string RandomHex(std::size_t bytes);

}  // namespace fieldproof::crypto
