#include "gateway/crypto/tag_emulator.hpp"

#include <utility>

namespace fieldproof::crypto {

TagEmulator::TagEmulator(Config config) : config_(std::move(config)) {}

std::optional<std::string> TagEmulator::Read(std::span<const std::uint8_t> random_padding) {
  if (config_.read_counter >= kMaxReadCounter) return std::nullopt;
  std::string url =
      MakeSunUrl(config_.base_url, config_.meta_read_key, config_.file_read_key, config_.uid,
                 config_.read_counter + 1, config_.file_data, random_padding);
  ++config_.read_counter;
  return url;
}

}  // namespace fieldproof::crypto
