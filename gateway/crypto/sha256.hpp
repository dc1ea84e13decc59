#pragma once
// SHA-256 (OpenSSL), for the maintenance-record hash chain and token hashing, and PBKDF2
// over it for technicians' PINs, HMAC over it for webhooks.
#include <string>
#include <string_view>

namespace fieldproof::crypto {

// Lower-case hex, 64 characters.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256 of `data` with `key`, lower-case hex: a webhook's signature.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// PBKDF2-HMAC-SHA256 of `secret` with `salt`, 32 bytes as lower-case hex.
std::string Pbkdf2Sha256Hex(std::string_view secret, std::string_view salt, int iterations);

}  // namespace fieldproof::crypto
