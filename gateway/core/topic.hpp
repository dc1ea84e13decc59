#pragma once
// Topic layout (versioned): fieldproof/v1/<site>/<kind>/<source>
//   kind "tap":       source is the handheld's device id
//   kind "telemetry": source is the asset id
// The gateway answers a rejected message on "<topic>/notice".
#include <string>
#include <string_view>

#include "gateway/core/rejection.hpp"

namespace fieldproof::core {

inline constexpr std::string_view kTopicRoot = "fieldproof/v1";
inline constexpr std::string_view kIngestSubscription = "fieldproof/v1/+/+/+";

enum class TopicKind { kTap, kTelemetry };

struct Topic {
  std::string site;
  TopicKind kind;
  std::string source_id;
};

Result<Topic> ParseTopic(std::string_view topic);
std::string TapTopic(std::string_view site, std::string_view device_id);
std::string TelemetryTopic(std::string_view site, std::string_view asset_id);
std::string NoticeTopic(std::string_view received_topic);

}  // namespace fieldproof::core
