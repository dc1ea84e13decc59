#include "gateway/codec/inbound.hpp"

#include <string>

#include "gateway/codec/message_codec.hpp"

namespace fieldproof::codec {
namespace {

core::Rejection Mismatch(std::string_view field, std::string_view payload_value,
                         std::string_view topic_value) {
  return {core::RejectReason::kTopicMismatch,
          "/" + std::string(field) + ": payload says '" + std::string(payload_value) +
              "' but the topic says '" + std::string(topic_value) + "'"};
}

}  // namespace

core::Result<InboundMessage> DecodeInbound(std::string_view topic_text, std::string_view payload,
                                           std::size_t max_payload_bytes) {
  auto topic = core::ParseTopic(topic_text);
  if (!topic.ok()) return topic.error();
  if (payload.size() > max_payload_bytes) {
    return core::Rejection{core::RejectReason::kPayloadTooLarge,
                           "payload is " + std::to_string(payload.size()) +
                               " bytes; the limit is " + std::to_string(max_payload_bytes)};
  }
  const core::Topic& t = topic.value();
  if (t.kind == core::TopicKind::kTap) {
    auto tap = DecodeTap(payload);
    if (!tap.ok()) return tap.error();
    if (tap.value().site != t.site) return Mismatch("site", tap.value().site, t.site);
    if (tap.value().device_id != t.source_id) {
      return Mismatch("device_id", tap.value().device_id, t.source_id);
    }
    return InboundMessage{std::move(tap).value()};
  }
  auto telemetry = DecodeTelemetry(payload);
  if (!telemetry.ok()) return telemetry.error();
  if (telemetry.value().site != t.site) return Mismatch("site", telemetry.value().site, t.site);
  if (telemetry.value().asset_id != t.source_id) {
    return Mismatch("asset_id", telemetry.value().asset_id, t.source_id);
  }
  return InboundMessage{std::move(telemetry).value()};
}

}  // namespace fieldproof::codec
