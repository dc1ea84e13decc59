#include "gateway/mqtt/control_client.hpp"

#include <mqtt/client.h>

#include <cstdio>
#include <random>
#include <stdexcept>

namespace fieldproof::mqtt_adapter {

std::string ControlClient::Ask(const std::string& topic, const std::string& request,
                               const std::function<bool(const std::string&)>& is_answer) const {
  std::random_device random;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%08x", random());
  mqtt::client client(config_.broker_uri, config_.client_id_prefix + suffix);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(config_.timeout);
  auto options = mqtt::connect_options_builder()
                     .clean_session(true)
                     .user_name(config_.username)
                     .password(config_.password)
                     .connect_timeout(seconds)
                     .finalize();
  try {
    client.start_consuming();
    client.connect(options);
    client.subscribe(topic + "/response", 1);
    client.publish(mqtt::make_message(topic, request, 1, false));
    const auto deadline = std::chrono::steady_clock::now() + config_.timeout;
    mqtt::const_message_ptr message;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (!client.try_consume_message_for(&message, left) || !message) continue;
      if (is_answer(message->to_string())) {
        client.disconnect();
        return message->to_string();
      }
    }
    client.disconnect();
  } catch (const mqtt::exception& e) {
    throw std::runtime_error("broker control at " + config_.broker_uri + ": " + e.what());
  }
  throw std::runtime_error("broker control at " + config_.broker_uri + ": no answer on " + topic +
                           "/response within " + std::to_string(config_.timeout.count()) + " ms");
}

}  // namespace fieldproof::mqtt_adapter
