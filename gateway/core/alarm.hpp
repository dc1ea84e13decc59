#pragma once
// Alarms from telemetry, between inspections (docs/alarms.md): what a sensor's readings say
// is wrong with its asset now. A sensor silent longer than its heartbeat allows, a low battery,
// a closing time outside the asset type's plausible range or drifting over weeks, a closing
// cycle that never reached `closed`. Each rule raises an alarm with the readings that prove
// it, and clears it when a later reading shows the asset well again. Pure: the store hands in
// what the sensor said before and the open alarms, and applies the changes.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/messages.hpp"
#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

enum class AlarmKind { kSensorSilent, kBatteryLow, kClosingOutOfRange, kClosingDrift, kClosingIncomplete };
inline constexpr std::size_t kAlarmKindCount = 5;
// sensor_silent | battery_low | closing_out_of_range | closing_drift | closing_incomplete
std::string_view ToString(AlarmKind kind);
std::optional<AlarmKind> AlarmKindFromString(std::string_view text);

// An asset type's thresholds (asset-types.json, "alarms"); the defaults are the documented ones.
struct AlarmPolicy {
  UnixMillis heartbeat = 2 * kHour;        // A sensor reports at least this often.
  std::int64_t battery_low_percent = 20;   // Below: raised.
  std::int64_t battery_clear_percent = 30;  // At or above (a new battery): cleared.
  std::int64_t min_closing_ms = 0;         // The asset type's plausible closing range
  std::int64_t max_closing_ms = 0;         // (closing_ms); max 0: not checked.
  double drift_percent = 25;               // Recent mean this far from the baseline's.
  std::int64_t drift_recent_days = 7;
  std::int64_t drift_baseline_days = 28;   // The weeks before the recent ones.
  std::int64_t drift_min_closings = 3;     // In each window, or nothing is judged.
  // Alarms that open a work order for the maintenance company.
  std::vector<AlarmKind> work_order_for = {AlarmKind::kClosingOutOfRange, AlarmKind::kClosingIncomplete};

  bool OpensWorkOrder(AlarmKind kind) const;
};

// One reading an alarm rests on.
struct AlarmEvidence {
  std::string msg_id;  // The telemetry message, or "" for an aggregate.
  UnixMillis at = 0;   // Device time.
  std::string what;    // "battery 12 %", "state closing", "closing took 45000 ms", ...
  bool operator==(const AlarmEvidence&) const = default;
};

struct AlarmChange {
  AlarmKind kind = AlarmKind::kSensorSilent;
  bool raise = true;  // Else: cleared.
  UnixMillis at = 0;  // Device time of the reading that decided it.
  std::string detail;
  std::vector<AlarmEvidence> evidence;
};

// What the rules remember of a sensor between its messages.
struct SensorMemory {
  UnixMillis last_seen = 0;  // Latest device time; 0 before the first reading.
  std::optional<ShutterState> last_state;
  UnixMillis last_state_at = 0;
  std::string last_state_msg;
  bool operator==(const SensorMemory&) const = default;
};

using OpenAlarms = std::array<bool, kAlarmKindCount>;  // By AlarmKind.

// The changes one message makes, given the alarms open for its asset; updates `memory` and
// `open`. Messages older than the last state seen do not drive the closing cycle.
std::vector<AlarmChange> AssessTelemetry(const AlarmPolicy& policy, const Telemetry& message,
                                         SensorMemory& memory, OpenAlarms& open);

// Silence is measured on the site's sensor clock, the median of its sensors' latest device
// times: a sensor is silent when that clock has moved more than a heartbeat past its last
// reading. (A whole site going quiet shows in the intake metrics instead.)
std::optional<AlarmChange> AssessSilence(const AlarmPolicy& policy, UnixMillis last_seen,
                                         UnixMillis site_clock, bool open);

// The site's sensor clock from its sensors' latest device times (0 without any): the median,
// so that one sensor whose clock runs ahead, or a handful sending late from an outbox,
// cannot make the rest look silent.
UnixMillis SiteClock(std::vector<UnixMillis> last_seen);

// Closing times over a window of days.
struct ClosingWindow {
  std::int64_t closings = 0;
  double mean_ms = 0;
  UnixMillis from = 0, to = 0;
};

// Drift: the recent window's mean closing time against the baseline's. Raised beyond
// drift_percent; cleared below four fifths of it.
std::optional<AlarmChange> AssessDrift(const AlarmPolicy& policy, const ClosingWindow& baseline,
                                       const ClosingWindow& recent, bool open);

// An alarm as kept: raised with its evidence, perhaps acknowledged, closed when a reading
// cleared it or a person closed it with a reason.
enum class AlarmStatus { kOpen, kAcknowledged, kClosed };
std::string_view ToString(AlarmStatus status);  // open | acknowledged | closed
std::optional<AlarmStatus> AlarmStatusFromString(std::string_view text);

struct AlarmRecord {
  std::int64_t id = 0;
  std::string site;
  std::string asset_id;
  AlarmKind kind = AlarmKind::kSensorSilent;
  AlarmStatus status = AlarmStatus::kOpen;
  UnixMillis raised_at = 0;  // Device time of the reading that raised it.
  std::string detail;
  std::vector<AlarmEvidence> evidence;
  std::string work_order;  // "WO-12" when the alarm opened one.
  std::string acknowledged_by;
  std::optional<UnixMillis> acknowledged_at;
  std::string closed_by;  // "fieldproof" when a reading cleared it.
  std::optional<UnixMillis> closed_at;
  std::string close_reason;
  std::vector<AlarmEvidence> clear_evidence;
};

inline constexpr std::string_view kClearedByReading = "fieldproof";

// Why a person may not acknowledge (reason empty) or close the alarm, or nullopt: a closed
// alarm stays closed, an acknowledged one is not acknowledged again, closing needs a reason.
std::optional<Refusal> RefuseAlarmAction(const AlarmRecord& alarm, bool close, std::string_view reason);

}  // namespace fieldproof::core
