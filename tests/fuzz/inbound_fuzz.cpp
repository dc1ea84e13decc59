// The gateway's intake: DecodeInbound(topic, payload) as the Asio thread calls it for every
// MQTT message, then what it does with the result. Input: the topic, a newline, the payload.
// Properties: an accepted message re-encodes to a payload that decodes to the same encoding;
// a rejection always yields a notice that encodes (whatever bytes it echoes).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "gateway/codec/inbound.hpp"
#include "gateway/codec/message_codec.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace codec = fieldproof::codec;
using fieldproof::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string_view topic = input.substr(0, newline);
  const std::string_view payload =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  const auto decoded = codec::DecodeInbound(topic, payload, codec::kDefaultMaxPayloadBytes);
  if (!decoded.ok()) {
    const fieldproof::core::RejectionNotice notice{codec::PeekMsgId(payload), std::string(topic),
                                                   decoded.error().reason,
                                                   decoded.error().detail, 0};
    Check(!codec::EncodeRejectionNotice(notice).empty(), "rejection notice encodes");
    return 0;
  }
  if (const auto* tap = std::get_if<fieldproof::core::Tap>(&decoded.value())) {
    const std::string encoded = codec::EncodeTap(*tap);
    const auto again = codec::DecodeTap(encoded);
    Check(again.ok(), "an accepted tap re-encodes to a valid tap:",
          again.ok() ? encoded : again.error().detail);
    Check(codec::EncodeTap(again.value()) == encoded, "tap round trip is stable:", encoded);
    Check(codec::PeekMsgId(payload) == tap->msg_id, "PeekMsgId finds the accepted msg_id");
  } else {
    const auto& telemetry = std::get<fieldproof::core::Telemetry>(decoded.value());
    const std::string encoded = codec::EncodeTelemetry(telemetry);
    const auto again = codec::DecodeTelemetry(encoded);
    Check(again.ok(), "accepted telemetry re-encodes to valid telemetry:",
          again.ok() ? encoded : again.error().detail);
    Check(codec::EncodeTelemetry(again.value()) == encoded, "telemetry round trip is stable:",
          encoded);
  }
  return 0;
}
