#pragma once
// The commands fieldproof sends to mosquitto's dynamic-security plugin
// ($CONTROL/dynamic-security/v1) to give an enrolled handheld an account of its own, and
// the plugin's answers. An account is a client (username and client id = the device id,
// its password) with one role that may publish only the device's taps and subscribe only
// to its own answers (docs/handheld.md).
#include <string>
#include <string_view>
#include <vector>

namespace fieldproof::codec {

inline constexpr std::string_view kDynsecTopic = "$CONTROL/dynamic-security/v1";
inline constexpr std::string_view kDynsecResponseTopic = "$CONTROL/dynamic-security/v1/response";

struct DeviceAccount {
  std::string site;
  std::string device_id;
  std::string password;
};

// Removes any earlier account of the device, then creates its role and client.
std::string EncodeOpenDeviceAccount(const DeviceAccount& account, std::string_view correlation);
// Removes the client (the broker disconnects it at once) and its role.
std::string EncodeCloseDeviceAccount(std::string_view device_id, std::string_view correlation);

struct DynsecAnswer {
  std::string correlation;       // Of the request it answers ("" when the answer has none).
  std::vector<std::string> errors;  // Of the commands that failed, "command: error".
};
// An answer that does not parse is one error.
DynsecAnswer DecodeDynsecAnswer(std::string_view payload);

}  // namespace fieldproof::codec
