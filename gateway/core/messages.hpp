#pragma once
// Domain types for what arrives over MQTT and what the registry holds.
// Wire shapes live in gateway/codec; these types know nothing of JSON.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/core/rejection.hpp"
#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

enum class TapKind { kStart, kEnd };
enum class ChecklistAnswer { kPass, kFail, kNotApplicable };
enum class InspectionResult { kPass, kFail };
enum class Severity { kMinor, kMajor, kCritical };
enum class ShutterState { kOpen, kClosing, kClosed, kOpening };

struct Defect {
  std::string code;
  Severity severity;
  std::string note;
};

// The tag read exactly as the tag produced it.
struct TagRead {
  enum class Type { kSun, kUid };
  Type type;
  std::string value;  // The SUN URL, or the plain UID (upper-case hex) of a legacy tag.
};

struct Tap {
  std::string msg_id;
  std::string device_id;
  std::string technician_id;
  std::string site;
  TagRead tag;
  UnixMillis read_at;  // Device clock.
  UnixMillis sent_at;  // Device clock.
  TapKind kind;
  std::map<std::string, ChecklistAnswer> checklist;  // End taps only.
  std::optional<InspectionResult> result;            // End taps only.
  std::vector<Defect> defects;
  std::optional<std::string> work_order_id;
  std::string firmware;
  std::vector<std::string> photos;  // End taps only: SHA-256 of each photo uploaded.
};

struct StateReading {
  ShutterState state;
};
struct ClosingDurationReading {
  std::int64_t ms;
};
struct MotorCurrentReading {
  std::int64_t ma;
};
struct BatteryReading {
  std::int64_t percent;
};
struct HeartbeatReading {
  std::int64_t uptime_s;
};
using Reading = std::variant<StateReading, ClosingDurationReading, MotorCurrentReading,
                             BatteryReading, HeartbeatReading>;

struct Telemetry {
  std::string msg_id;
  std::string asset_id;
  std::string site;
  UnixMillis device_time;
  std::optional<std::string> firmware;
  std::vector<Reading> readings;
};

struct Asset {
  std::string asset_id;
  std::string site;
  std::string building;
  int floor = 0;
  std::string location;
  double x_m = 0;
  double y_m = 0;
  std::string asset_type;
  std::string tag_uid;  // Upper-case hex.
  int interval_days = 0;
  std::string owner_id;
  bool sensor_equipped = false;
};

struct Technician {
  std::string technician_id;
  std::string name;
  std::string company;
  std::vector<std::string> qualifications;  // Asset types.
  std::vector<std::string> sites;
};

// A handheld, registered to the company whose technicians may use it.
struct Device {
  std::string device_id;
  std::string site;
  std::string company;
};

// What the gateway sends back to a sender whose message it rejected.
struct RejectionNotice {
  std::optional<std::string> msg_id;
  std::string topic;
  RejectReason reason;
  std::string detail;
  UnixMillis rejected_at;
};

// Wire names of the enums (the same strings as in schemas/).
std::string_view ToString(TapKind v);
std::string_view ToString(ChecklistAnswer v);
std::string_view ToString(InspectionResult v);
std::string_view ToString(Severity v);
std::string_view ToString(ShutterState v);
std::optional<TapKind> ParseTapKind(std::string_view s);
std::optional<ChecklistAnswer> ParseChecklistAnswer(std::string_view s);
std::optional<InspectionResult> ParseInspectionResult(std::string_view s);
std::optional<Severity> ParseSeverity(std::string_view s);
std::optional<ShutterState> ParseShutterState(std::string_view s);

// Checks the rules a registry record must satisfy, whatever format it came in.
std::optional<Rejection> ValidateAsset(const Asset& asset);
std::optional<Rejection> ValidateTechnician(const Technician& technician);
std::optional<Rejection> ValidateDevice(const Device& device);

}  // namespace fieldproof::core
