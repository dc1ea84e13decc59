// The JSON documents the gateway reads besides MQTT payloads: the asset-type policies file,
// customer contracts, stored invoice documents, registry records and the notices it sends.
// The first byte picks the decoder ('p'olicies, 'c'ontract, 'i'nvoice, 'a'sset,
// 't'echnician, 'd'evice, 'v'erdict notice, 'r'ejection notice; any other byte modulo 8),
// the rest is the document: each input is parsed once, not once per decoder.
// Properties: no crash, leak or UB; what decodes re-encodes to something that decodes to
// the same encoding.
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/codec/billing_codec.hpp"
#include "gateway/codec/message_codec.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace codec = fieldproof::codec;
using fieldproof::fuzz::Check;

namespace {

// Decode, encode, decode again: the second decode must succeed and encode identically.
template <class Decode, class Encode>
void RoundTrip(std::string_view input, Decode decode, Encode encode, std::string_view what) {
  const auto first = decode(input);
  if (!first.ok()) return;
  const std::string encoded = encode(first.value());
  const auto second = decode(encoded);
  Check(second.ok(), what, second.ok() ? encoded : second.error().detail);
  Check(encode(second.value()) == encoded, what, encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view document(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr std::string_view kDecoders = "pcviatdr";
  const auto named = kDecoders.find(static_cast<char>(data[0]));
  switch (named != std::string_view::npos ? kDecoders[named] : kDecoders[data[0] % 8]) {
    case 'p':
      (void)codec::DecodeAssetTypePolicies(document);
      break;
    case 'c':
      (void)codec::DecodeContract(document);
      break;
    case 'i':
      RoundTrip(document, codec::DecodeInvoice, codec::EncodeInvoice, "invoice round trip:");
      if (const auto invoice = codec::DecodeInvoice(document); invoice.ok()) {
        Check(!codec::EncodeInvoiceExport("2026-01", {&invoice.value(), 1}).empty(),
              "invoice export encodes");
      }
      break;
    case 'a':
      RoundTrip(document, codec::DecodeAsset, codec::EncodeAsset, "asset round trip:");
      break;
    case 't':
      RoundTrip(document, codec::DecodeTechnician, codec::EncodeTechnician,
                "technician round trip:");
      break;
    case 'd':
      RoundTrip(document, codec::DecodeDevice, codec::EncodeDevice, "device round trip:");
      break;
    case 'v':
      RoundTrip(document, codec::DecodeVerdictNotice, codec::EncodeVerdictNotice,
                "verdict notice round trip:");
      break;
    case 'r':
      RoundTrip(document, codec::DecodeRejectionNotice, codec::EncodeRejectionNotice,
                "rejection notice round trip:");
      break;
  }
  return 0;
}
