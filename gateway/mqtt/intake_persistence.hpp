#pragma once
// The gateway's durability boundary, in Paho's own persistence hook (docs/reliability.md).
// Paho acknowledges a QoS 1 message before anyone has seen it, so a crash could lose what
// the broker has already dropped. A QoS 2 PUBLISH is different: Paho hands it to the
// client persistence (key "r-<packet id>") before it answers PUBREC, and only PUBREC lets
// the broker drop its copy (MQTT 3.1.1, 4.3.3). So this persistence passes each received
// PUBLISH on right there, and returns only when the gateway holds it (its intake journal).
// Paho's other records (outgoing messages and commands) stay in memory: after a restart
// the broker redelivers what it still owns, and the gateway's notices are best effort.
#include <mqtt/iclient_persistence.h>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace fieldproof::mqtt_adapter {

struct PublishPacket {
  std::string topic;
  std::string payload;
};

// Parses an MQTT 3.1.1 PUBLISH packet: fixed header, topic, packet id, payload.
std::optional<PublishPacket> ParsePublishPacket(std::string_view packet);

class IntakePersistence : public mqtt::iclient_persistence {
 public:
  using OnPublish = std::function<void(std::string topic, std::string payload)>;
  explicit IntakePersistence(OnPublish on_publish) : on_publish_(std::move(on_publish)) {}

  void open(const mqtt::string&, const mqtt::string&) override {}
  void close() override {}
  void clear() override;
  bool contains_key(const mqtt::string& key) override;
  mqtt::string_collection keys() const override;
  void put(const mqtt::string& key, const std::vector<mqtt::string_view>& bufs) override;
  mqtt::string get(const mqtt::string& key) const override;
  void remove(const mqtt::string& key) override;

 private:
  OnPublish on_publish_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> records_;  // Paho's own, not received messages.
};

}  // namespace fieldproof::mqtt_adapter
