#pragma once
// Handhelds' own accounts on the broker's device listener (docs/handheld.md), through the
// dynamic-security plugin: an account may publish only its device's taps and read only its
// own answers; closing it disconnects the device at once.
#include <string>

#include "gateway/codec/dynsec_codec.hpp"
#include "gateway/mqtt/control_client.hpp"

namespace fieldproof::app {

class DeviceAccounts {
 public:
  explicit DeviceAccounts(mqtt_adapter::ControlConfig config) : control_(std::move(config)) {}

  // Replaces any earlier account of the device. Throws std::runtime_error saying why.
  void Open(const codec::DeviceAccount& account) const;
  void Close(const std::string& device_id) const;

  // The broker admin's "username:password" from a file only its owner may read.
  static mqtt_adapter::ControlConfig ConfigFrom(const std::string& broker_uri,
                                                const std::string& admin_file);

 private:
  void Send(const std::string& commands, const std::string& correlation) const;

  mqtt_adapter::ControlClient control_;
};

}  // namespace fieldproof::app
