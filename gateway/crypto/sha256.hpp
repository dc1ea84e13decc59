#pragma once
// SHA-256 (OpenSSL), for the maintenance-record hash chain and token hashing.
#include <string>
#include <string_view>

namespace fieldproof::crypto {

// Lower-case hex, 64 characters.
std::string Sha256Hex(std::string_view data);

}  // namespace fieldproof::crypto
