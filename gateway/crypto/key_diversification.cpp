#include "gateway/crypto/key_diversification.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "gateway/crypto/aes_cmac.hpp"

namespace fieldproof::crypto {
namespace {

constexpr std::uint8_t kAes128DivConstant = 0x01;  // AN10922: AES-128 diversification.
constexpr std::string_view kMetaPrefix = "FPMETA";
constexpr std::string_view kFilePrefix = "FPFILE";

}  // namespace

Key128 DiversifyAes128(const Key128& master, std::span<const std::uint8_t> diversification_input) {
  if (diversification_input.empty() || diversification_input.size() > kMaxDiversificationInput) {
    throw std::invalid_argument("DiversifyAes128: diversification input must be 1..31 bytes");
  }
  std::array<std::uint8_t, 1 + kMaxDiversificationInput> data;
  data[0] = kAes128DivConstant;
  std::copy(diversification_input.begin(), diversification_input.end(), data.begin() + 1);
  const std::span<const std::uint8_t> message(data.data(), 1 + diversification_input.size());

  thread_local AesCmacContext context(Key128{});
  context.SetKey(master);
  return context.Mac(message, /*min_blocks=*/2);
}

Key128 SiteMetaReadKey(const Key128& master, std::string_view site) {
  std::array<std::uint8_t, kMaxDiversificationInput> input;
  const std::size_t site_bytes = std::min(site.size(), kMaxSiteIdBytes);
  std::copy(kMetaPrefix.begin(), kMetaPrefix.end(), input.begin());
  std::copy_n(site.begin(), site_bytes, input.begin() + kMetaPrefix.size());
  return DiversifyAes128(master, std::span(input.data(), kMetaPrefix.size() + site_bytes));
}

Key128 TagFileReadKey(const Key128& master, std::span<const std::uint8_t, 7> uid) {
  std::array<std::uint8_t, kFilePrefix.size() + 7> input;
  std::copy(kFilePrefix.begin(), kFilePrefix.end(), input.begin());
  std::copy(uid.begin(), uid.end(), input.begin() + kFilePrefix.size());
  return DiversifyAes128(master, input);
}

}  // namespace fieldproof::crypto
