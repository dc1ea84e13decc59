#pragma once
// Requests to the broker itself: mosquitto's plugins answer JSON published on a $CONTROL
// topic with JSON on its /response topic. One connection of its own, made per request
// (requests are rare: a handheld enrolled or revoked), so nothing stays open to go stale.
#include <chrono>
#include <functional>
#include <string>

namespace fieldproof::mqtt_adapter {

struct ControlConfig {
  std::string broker_uri;  // e.g. ws://127.0.0.1:9001 (the listener the plugin governs)
  // A random suffix makes each request's client id its own: two requests at once (the
  // gateway enrolling, the CLI revoking) must not take over each other's connection.
  std::string client_id_prefix = "fieldproof-control";
  std::string username;
  std::string password;
  std::chrono::milliseconds timeout{5000};
};

class ControlClient {
 public:
  explicit ControlClient(ControlConfig config) : config_(std::move(config)) {}

  // Publishes `request` on `topic` and returns the first message on `topic` + "/response"
  // that `is_answer` accepts. Throws std::runtime_error, saying why, when the broker cannot be
  // reached, refuses the credentials, or sends no answer within the timeout.
  std::string Ask(const std::string& topic, const std::string& request,
                  const std::function<bool(const std::string&)>& is_answer) const;

 private:
  ControlConfig config_;
};

}  // namespace fieldproof::mqtt_adapter
