#include "firmware-sim/fault_injector.hpp"

#include <nlohmann/json.hpp>

#include "gateway/core/topic.hpp"

namespace fieldproof::sim {

std::vector<Injected> FaultInjector::After(const Outbound& good) {
  std::vector<Injected> extra;
  std::uniform_real_distribution<double> unit(0, 1);
  recent_.push_back(good);
  if (recent_.size() > 256) recent_.pop_front();
  if (unit(rng_) < spec_.duplicate_ratio) {
    const Outbound& earlier = recent_[rng_() % recent_.size()];
    extra.push_back({earlier.topic, earlier.payload, ""});
  }
  if (unit(rng_) < spec_.garbage_ratio) extra.push_back(Garbage(good));
  return extra;
}

Injected FaultInjector::Garbage(const Outbound& good) {
  using nlohmann::json;
  json j = json::parse(good.payload);
  j["msg_id"] = "junk-" + std::to_string(++junk_);  // Never collides with a good id.
  const std::string site = j["site"].get<std::string>();
  const bool tap = good.kind == Outbound::Kind::kTap;
  switch (rng_() % 8) {
    case 0: {
      // Cut short mid-object; the id up front keeps each one distinct.
      const std::string text = j.dump();
      return {good.topic,
              R"({"msg_id":")" + j["msg_id"].get<std::string>() + "\"," +
                  text.substr(1, text.size() / 2),
              "malformed_json"};
    }
    case 1:
      j["padding"] = std::string(20000, 'x');
      return {good.topic, j.dump(), "payload_too_large"};
    case 2:
      j[tap ? "read_at" : "device_time"] = 1700000000;
      return {good.topic, j.dump(), "wrong_type"};
    case 3:
      j["debug"] = true;
      return {good.topic, j.dump(), "unknown_field"};
    case 4:
      j.erase(tap ? "technician_id" : "readings");
      return {good.topic, j.dump(), "missing_field"};
    case 5: {
      const std::string typo = std::string(core::kTopicRoot) + "/" + site + "/" +
                               (tap ? "taps/" : "telemetrie/") + good.sender;
      return {typo, j.dump(), "unknown_topic"};
    }
    case 6: {
      // A device speaking under another device's (or asset's) topic.
      const std::string other = good.sender + "X";
      return {tap ? core::TapTopic(site, other) : core::TelemetryTopic(site, other), j.dump(),
              "topic_mismatch"};
    }
    default: {
      json ghost = {{"msg_id", j["msg_id"]},
                    {"asset_id", "GHOST-0001"},
                    {"site", site},
                    {"device_time", "2026-11-02T06:00:00Z"},
                    {"readings", {{{"type", "heartbeat"}, {"uptime_s", 1}}}}};
      return {core::TelemetryTopic(site, "GHOST-0001"), ghost.dump(), "unknown_asset"};
    }
  }
}

}  // namespace fieldproof::sim
