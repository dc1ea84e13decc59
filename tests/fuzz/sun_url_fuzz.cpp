// The SUN URL a handheld copies from the tag into tap.tag.url: the codec's contract check
// (IsSunUrl), then what the verifier does with it (ParseSunUrl under both MAC-input
// conventions, VerifySun). The keys are NXP's all-zero example keys, so the seeds (AN12196's
// published URLs) verify and mutations reach the MAC, decryption and file-data paths.
// Properties: a URL the contract accepts always parses; verification never claims a counter
// the tag cannot hold, and decrypts file data only when the MAC verified.
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/codec/message_codec.hpp"
#include "gateway/crypto/sun_message.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace crypto = fieldproof::crypto;
using fieldproof::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url(reinterpret_cast<const char*>(data), size);
  const bool contract_accepts = fieldproof::codec::IsSunUrl(url);
  const crypto::Key128 zero_key{};
  for (const auto start : {crypto::SunMacInputStart::kConventional,
                           crypto::SunMacInputStart::kFirstMirroredValue}) {
    std::string error;
    const auto parts = crypto::ParseSunUrl(url, crypto::SunParseOptions{start}, &error);
    Check(parts || !contract_accepts, "a URL IsSunUrl accepts parses:", error);
    if (!parts) {
      Check(!error.empty(), "a refusal says why");
      continue;
    }
    const crypto::SunVerification v = crypto::VerifySun(*parts, zero_key, zero_key);
    Check(v.valid == (v.failure == crypto::SunFailure::kNone), "valid iff no failure");
    Check(v.valid || !v.reason.empty(), "a failure says why");
    Check(v.read_counter <= crypto::kMaxReadCounter, "counter fits 24 bits");
    Check(v.valid || !v.file_data, "file data only after the MAC verified");
    if (v.file_data) {
      Check(v.file_data->size() == parts->enc_file_data.size(), "file data keeps its length");
    }
  }
  return 0;
}
