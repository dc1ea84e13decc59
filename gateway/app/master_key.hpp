#pragma once
// The site master key from the file the operator names: 32 hex digits, refused when other
// users of the machine could read or change the file.
#include <optional>
#include <string>

#include "gateway/app/process_limits.hpp"
#include "gateway/app/read_file.hpp"
#include "gateway/crypto/bytes.hpp"
#include "gateway/crypto/hex.hpp"

namespace fieldproof::app {

// nullopt, with `error` saying why, when the file is exposed, unreadable or malformed.
inline std::optional<crypto::Key128> ReadMasterKey(const std::string& path, std::string* error) {
  if (std::string exposed = ExposedSecret(path); !exposed.empty()) {
    *error = std::move(exposed);
    return std::nullopt;
  }
  std::string hex = ReadFile(path).value_or("");
  hex.erase(hex.find_last_not_of(" \r\n\t") + 1);
  crypto::Key128 key{};
  if (hex.size() != 32 || !crypto::HexDecodeInto(hex, key)) {
    *error = path + ": must hold the master key as 32 hex digits";
    return std::nullopt;
  }
  return key;
}

}  // namespace fieldproof::app
