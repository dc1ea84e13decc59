#include "gateway/core/topic.hpp"

#include <vector>

#include "gateway/core/identifiers.hpp"

namespace fieldproof::core {
namespace {

std::vector<std::string_view> SplitLevels(std::string_view topic) {
  std::vector<std::string_view> levels;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = topic.find('/', start);
    levels.push_back(topic.substr(start, slash - start));
    if (slash == std::string_view::npos) return levels;
    start = slash + 1;
  }
}

Rejection UnknownTopic(std::string detail) {
  return {RejectReason::kUnknownTopic, std::move(detail)};
}

}  // namespace

Result<Topic> ParseTopic(std::string_view topic) {
  const auto levels = SplitLevels(topic);
  if (levels.size() != 5 || levels[0] != "fieldproof" || levels[1] != "v1") {
    return UnknownTopic("topic must be fieldproof/v1/<site>/<tap|telemetry>/<id>");
  }
  Topic parsed;
  if (levels[3] == "tap") {
    parsed.kind = TopicKind::kTap;
  } else if (levels[3] == "telemetry") {
    parsed.kind = TopicKind::kTelemetry;
  } else {
    return UnknownTopic("unknown message kind '" + std::string(levels[3]) +
                        "' (expected tap or telemetry)");
  }
  if (!IsSiteId(levels[2])) return UnknownTopic("topic site is not a valid site code");
  if (!IsEntityId(levels[4])) return UnknownTopic("topic id is not a valid identifier");
  parsed.site = levels[2];
  parsed.source_id = levels[4];
  return parsed;
}

std::string TapTopic(std::string_view site, std::string_view device_id) {
  return std::string(kTopicRoot) + "/" + std::string(site) + "/tap/" + std::string(device_id);
}

std::string TelemetryTopic(std::string_view site, std::string_view asset_id) {
  return std::string(kTopicRoot) + "/" + std::string(site) + "/telemetry/" +
         std::string(asset_id);
}

std::string NoticeTopic(std::string_view received_topic) {
  return std::string(received_topic) + "/notice";
}

}  // namespace fieldproof::core
