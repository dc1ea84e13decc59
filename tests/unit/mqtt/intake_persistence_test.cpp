// The received PUBLISH as Paho hands it to the persistence: MQTT 3.1.1 wire format.
#include "gateway/mqtt/intake_persistence.hpp"

#include <gtest/gtest.h>
#include <mqtt/exception.h>

namespace fieldproof::mqtt_adapter {
namespace {

std::string Publish(int qos, const std::string& topic, const std::string& payload) {
  std::string body;
  body.push_back(static_cast<char>(topic.size() >> 8));
  body.push_back(static_cast<char>(topic.size() & 0xff));
  body += topic;
  if (qos > 0) body += std::string("\x12\x34", 2);
  body += payload;
  std::string packet(1, static_cast<char>(0x30 | (qos << 1)));
  for (std::size_t n = body.size();;) {  // Remaining length, 7 bits a byte.
    const auto byte = static_cast<char>(n & 0x7f);
    n >>= 7;
    packet.push_back(static_cast<char>(byte | (n ? 0x80 : 0)));
    if (!n) break;
  }
  return packet + body;
}

TEST(ParsePublishPacketTest, ReadsTopicAndPayloadOfAQos2Publish) {
  const auto p = ParsePublishPacket(Publish(2, "fieldproof/v1/FRA/tap/H1", "{\"x\":1}"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->topic, "fieldproof/v1/FRA/tap/H1");
  EXPECT_EQ(p->payload, "{\"x\":1}");
}

TEST(ParsePublishPacketTest, LongPayloadsUseAMultiByteLength) {
  const std::string payload(20000, 'p');
  const auto p = ParsePublishPacket(Publish(2, "t", payload));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->payload, payload);
}

TEST(ParsePublishPacketTest, Qos0HasNoPacketId) {
  const auto p = ParsePublishPacket(Publish(0, "t", "ab"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->payload, "ab");
}

TEST(ParsePublishPacketTest, RefusesWhatIsNotAWholePublish) {
  const std::string good = Publish(2, "topic", "payload");
  EXPECT_FALSE(ParsePublishPacket(""));
  EXPECT_FALSE(ParsePublishPacket(good.substr(0, good.size() - 1)));   // Short.
  EXPECT_FALSE(ParsePublishPacket(good + "x"));                         // Long.
  EXPECT_FALSE(ParsePublishPacket(std::string(1, '\x62') + good.substr(1)));  // PUBREL.
  std::string topic_too_long = good;
  topic_too_long[3] = '\x7f';
  EXPECT_FALSE(ParsePublishPacket(topic_too_long));
}

TEST(IntakePersistenceTest, HandsOnReceivedPublishesAndKeepsPahosOwnRecords) {
  std::vector<std::string> topics;
  IntakePersistence persistence([&](std::string topic, std::string) { topics.push_back(topic); });
  const std::string packet = Publish(2, "fieldproof/v1/FRA/telemetry/A1", "{}");
  persistence.put("r-17", {mqtt::string_view(packet.data(), 1), mqtt::string_view(packet.data() + 1, packet.size() - 1)});
  EXPECT_EQ(topics, std::vector<std::string>{"fieldproof/v1/FRA/telemetry/A1"});
  EXPECT_FALSE(persistence.contains_key("r-17"));  // The journal has it, not Paho.

  persistence.put("s-3", {mqtt::string_view("ab"), mqtt::string_view("cd")});
  EXPECT_TRUE(persistence.contains_key("s-3"));
  EXPECT_EQ(persistence.get("s-3"), "abcd");
  EXPECT_EQ(persistence.keys().size(), 1u);
  persistence.remove("s-3");
  EXPECT_FALSE(persistence.contains_key("s-3"));
  EXPECT_THROW(persistence.get("s-3"), mqtt::exception);
  EXPECT_THROW(persistence.put("r-18", {mqtt::string_view("junk")}), mqtt::exception);
}

}  // namespace
}  // namespace fieldproof::mqtt_adapter
