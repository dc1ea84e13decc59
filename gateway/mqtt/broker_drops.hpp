#pragma once
// mosquitto's $SYS/broker/publish/messages/dropped counts the messages it has discarded since
// it started, for any client: above all, what did not fit the queue of a session that is away
// (max_queued_messages), such as the gateway's during an outage. Those were accepted from the
// devices and are lost, so every increase is worth an alarm.
#include <cstdint>
#include <optional>
#include <string_view>

namespace fieldproof::mqtt_adapter {

inline constexpr std::string_view kBrokerDropsTopic = "$SYS/broker/publish/messages/dropped";

// Turns the broker's running count into new drops.
class BrokerDropWatch {
 public:
  // Drops since the previous reading. The first reading reports all of the broker's, and so
  // does one after a broker restart (the count went back): those may be the gateway's own.
  std::uint64_t Observe(std::uint64_t count) {
    const std::uint64_t fresh = count >= last_ ? count - last_ : count;
    last_ = count;
    total_ += fresh;
    return fresh;
  }
  // Reported since the gateway started.
  std::uint64_t total() const { return total_; }

 private:
  std::uint64_t last_ = 0;
  std::uint64_t total_ = 0;
};

// The count as mosquitto publishes it: decimal digits only.
std::optional<std::uint64_t> ParseBrokerCount(std::string_view payload);

}  // namespace fieldproof::mqtt_adapter
