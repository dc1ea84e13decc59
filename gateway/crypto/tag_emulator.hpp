// Emulation of an NTAG 424 DNA tag personalised for Secure Dynamic Messaging
// with encrypted PICC data (and optionally encrypted file data), for the
// firmware simulator and tests.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>

#include "gateway/crypto/bytes.hpp"
#include "gateway/crypto/sun_message.hpp"

namespace fieldproof::crypto {

class TagEmulator {
 public:
  struct Config {
    std::string base_url;  // e.g. "https://fp.example/t"
    TagUid uid{};
    Key128 meta_read_key{};  // K_SDMMetaRead, e.g. SiteMetaReadKey(master, site).
    Key128 file_read_key{};  // K_SDMFileRead, e.g. TagFileReadKey(master, uid).
    // SDMReadCtr before the first Read(); a factory-fresh tag starts at 0.
    std::uint32_t read_counter = 0;
    // Plaintext of the mirrored file region; empty for no enc parameter.
    // Zero-padded to a multiple of 16 bytes (see MakeSunUrl).
    Bytes file_data;
  };

  explicit TagEmulator(Config config);

  // One tap: increments SDMReadCtr, then returns the SUN URL carrying the new
  // value (so a fresh tag's first read mirrors counter 1). `random_padding`
  // is the 5 random bytes of the PICC data. Returns nullopt, without
  // changing anything, once the counter has reached 0xFFFFFF (the emulator
  // then refuses further reads). Throws std::invalid_argument if the padding
  // is not 5 bytes.
  std::optional<std::string> Read(std::span<const std::uint8_t> random_padding);

  // As above, drawing the padding from `rng`.
  template <std::uniform_random_bit_generator Rng>
  std::optional<std::string> Read(Rng& rng) {
    std::array<std::uint8_t, kPiccPaddingSize> padding;
    for (auto& byte : padding) byte = static_cast<std::uint8_t>(rng());
    return Read(std::span<const std::uint8_t>(padding));
  }

  // The last mirrored counter value (the configured start before any read).
  std::uint32_t read_counter() const { return config_.read_counter; }
  const TagUid& uid() const { return config_.uid; }
  void set_file_data(Bytes file_data) { config_.file_data = std::move(file_data); }

 private:
  Config config_;
};

}  // namespace fieldproof::crypto
