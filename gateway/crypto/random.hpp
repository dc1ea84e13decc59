#pragma once
// Secrets from the operating system's CSPRNG (OpenSSL RAND_bytes).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace fieldproof::crypto {

// `bytes` random bytes as lower-case hex; throws std::runtime_error if the CSPRNG fails.
std::string RandomHex(std::size_t bytes);
// Fills `out` with random bytes; throws std::runtime_error if the CSPRNG fails.
void RandomFill(std::span<std::uint8_t> out);

}  // namespace fieldproof::crypto
