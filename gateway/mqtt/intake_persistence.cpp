#include "gateway/mqtt/intake_persistence.hpp"

#include <mqtt/exception.h>
#include <spdlog/spdlog.h>

namespace fieldproof::mqtt_adapter {
namespace {

// Paho's key for a received QoS 2 PUBLISH (MQTT 3.1.1): "r-<packet id>".
bool IsReceivedPublish(std::string_view key) { return key.starts_with("r-"); }

}  // namespace

std::optional<PublishPacket> ParsePublishPacket(std::string_view packet) {
  if (packet.empty() || (static_cast<unsigned char>(packet[0]) >> 4) != 3) return std::nullopt;
  const int qos = (static_cast<unsigned char>(packet[0]) >> 1) & 3;
  std::size_t remaining = 0;
  std::size_t pos = 1;
  for (int shift = 0;; shift += 7) {
    if (pos >= packet.size() || shift > 21) return std::nullopt;
    const auto byte = static_cast<unsigned char>(packet[pos++]);
    remaining |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (packet.size() - pos != remaining || remaining < 2) return std::nullopt;
  const std::size_t topic_length = (static_cast<unsigned char>(packet[pos]) << 8) |
                                   static_cast<unsigned char>(packet[pos + 1]);
  pos += 2;
  const std::size_t id_length = qos > 0 ? 2 : 0;
  if (packet.size() - pos < topic_length + id_length) return std::nullopt;
  PublishPacket out;
  out.topic = std::string(packet.substr(pos, topic_length));
  out.payload = std::string(packet.substr(pos + topic_length + id_length));
  return out;
}

void IntakePersistence::put(const mqtt::string& key, const std::vector<mqtt::string_view>& bufs) {
  std::string bytes;
  for (const auto& buf : bufs) bytes.append(buf.data(), buf.size());
  if (!IsReceivedPublish(key)) {
    std::lock_guard lock(mutex_);
    records_[key] = std::move(bytes);
    return;
  }
  auto publish = ParsePublishPacket(bytes);
  if (!publish) {
    // Paho parsed this packet before persisting it, so this cannot happen with a
    // well-formed stream; refusing makes Paho drop the connection, and the broker,
    // which still owns the message, sends it again.
    spdlog::error("mqtt: received PUBLISH {} cannot be parsed ({} bytes); refused", key, bytes.size());
    throw mqtt::persistence_exception();
  }
  on_publish_(std::move(publish->topic), std::move(publish->payload));
}

void IntakePersistence::clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
}

bool IntakePersistence::contains_key(const mqtt::string& key) {
  std::lock_guard lock(mutex_);
  return records_.contains(key);
}

mqtt::string_collection IntakePersistence::keys() const {
  std::lock_guard lock(mutex_);
  mqtt::string_collection out;
  for (const auto& [key, value] : records_) out.push_back(key);
  return out;
}

mqtt::string IntakePersistence::get(const mqtt::string& key) const {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(key);
  if (it == records_.end()) throw mqtt::persistence_exception();
  return it->second;
}

void IntakePersistence::remove(const mqtt::string& key) {
  // A received PUBLISH was never kept here: the intake journal has it.
  std::lock_guard lock(mutex_);
  records_.erase(key);
}

}  // namespace fieldproof::mqtt_adapter
