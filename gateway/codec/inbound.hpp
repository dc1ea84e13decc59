#pragma once
// From (topic, payload bytes) to a decoded message or the reason it was refused.
// Everything that can be decided without the database is decided here.
#include <cstddef>
#include <string_view>
#include <variant>

#include "gateway/core/messages.hpp"
#include "gateway/core/topic.hpp"

namespace fieldproof::codec {

inline constexpr std::size_t kDefaultMaxPayloadBytes = 16 * 1024;

using InboundMessage = std::variant<core::Tap, core::Telemetry>;

// Checks, in order: topic layout, payload size, payload contract, payload vs. topic
// (site, and device id for taps or asset id for telemetry, must equal the topic's).
core::Result<InboundMessage> DecodeInbound(std::string_view topic, std::string_view payload,
                                           std::size_t max_payload_bytes);

}  // namespace fieldproof::codec
