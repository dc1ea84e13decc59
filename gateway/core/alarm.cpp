#include "gateway/core/alarm.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fieldproof::core {
namespace {

constexpr std::array<std::string_view, kAlarmKindCount> kKindNames = {
    "sensor_silent", "battery_low", "closing_out_of_range", "closing_drift", "closing_incomplete"};

bool& Open(OpenAlarms& open, AlarmKind kind) { return open[static_cast<std::size_t>(kind)]; }

std::string Hours(UnixMillis span) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f h", static_cast<double>(span) / kHour);
  return text;
}

std::string Day(UnixMillis t) { return FormatRfc3339(t).substr(0, 10); }

// Changes `open` as `change` says and keeps it.
void Apply(std::vector<AlarmChange>& changes, OpenAlarms& open, AlarmChange change) {
  Open(open, change.kind) = change.raise;
  changes.push_back(std::move(change));
}

void AssessBattery(const AlarmPolicy& p, const Telemetry& t, const BatteryReading& r,
                   std::vector<AlarmChange>& changes, OpenAlarms& open) {
  const AlarmEvidence evidence{t.msg_id, t.device_time, "battery " + std::to_string(r.percent) + " %"};
  if (!Open(open, AlarmKind::kBatteryLow) && r.percent < p.battery_low_percent) {
    Apply(changes, open, {AlarmKind::kBatteryLow, true, t.device_time,
                          "battery at " + std::to_string(r.percent) + " %, below " +
                              std::to_string(p.battery_low_percent) + " %",
                          {evidence}});
  } else if (Open(open, AlarmKind::kBatteryLow) && r.percent >= p.battery_clear_percent) {
    Apply(changes, open, {AlarmKind::kBatteryLow, false, t.device_time,
                          "battery back at " + std::to_string(r.percent) + " %", {evidence}});
  }
}

void AssessClosingTime(const AlarmPolicy& p, const Telemetry& t, const ClosingDurationReading& r,
                       std::vector<AlarmChange>& changes, OpenAlarms& open) {
  if (p.max_closing_ms <= 0) return;
  const AlarmEvidence evidence{t.msg_id, t.device_time, "closing took " + std::to_string(r.ms) + " ms"};
  const bool in_range = r.ms >= p.min_closing_ms && r.ms <= p.max_closing_ms;
  const std::string range = std::to_string(p.min_closing_ms) + "–" + std::to_string(p.max_closing_ms) + " ms";
  if (!in_range && !Open(open, AlarmKind::kClosingOutOfRange)) {
    Apply(changes, open, {AlarmKind::kClosingOutOfRange, true, t.device_time,
                          "closing took " + std::to_string(r.ms) + " ms, outside the plausible " + range,
                          {evidence}});
  } else if (in_range && Open(open, AlarmKind::kClosingOutOfRange)) {
    Apply(changes, open, {AlarmKind::kClosingOutOfRange, false, t.device_time,
                          "closing took " + std::to_string(r.ms) + " ms, within " + range, {evidence}});
  }
}

// A closure that started must end closed; the next state after `closing` tells.
void AssessCycle(const Telemetry& t, const StateReading& r, SensorMemory& m,
                 std::vector<AlarmChange>& changes, OpenAlarms& open) {
  if (t.device_time < m.last_state_at) return;  // Late: the cycle has moved on.
  const AlarmEvidence now{t.msg_id, t.device_time, "state " + std::string(ToString(r.state))};
  if (m.last_state == ShutterState::kClosing && r.state != ShutterState::kClosing) {
    const AlarmEvidence started{m.last_state_msg, m.last_state_at, "state closing"};
    if (r.state != ShutterState::kClosed && !Open(open, AlarmKind::kClosingIncomplete)) {
      Apply(changes, open, {AlarmKind::kClosingIncomplete, true, t.device_time,
                            "a closure started at " + FormatRfc3339(m.last_state_at) + " ended " +
                                std::string(ToString(r.state)) + ", never closed",
                            {started, now}});
    } else if (r.state == ShutterState::kClosed && Open(open, AlarmKind::kClosingIncomplete)) {
      Apply(changes, open, {AlarmKind::kClosingIncomplete, false, t.device_time,
                            "a closure reached closed again", {started, now}});
    }
  }
  m.last_state = r.state;
  m.last_state_at = t.device_time;
  m.last_state_msg = t.msg_id;
}

}  // namespace

std::string_view ToString(AlarmKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

std::optional<AlarmKind> AlarmKindFromString(std::string_view text) {
  const auto it = std::find(kKindNames.begin(), kKindNames.end(), text);
  if (it == kKindNames.end()) return std::nullopt;
  return static_cast<AlarmKind>(it - kKindNames.begin());
}

std::string_view ToString(AlarmStatus status) {
  switch (status) {
    case AlarmStatus::kOpen: return "open";
    case AlarmStatus::kAcknowledged: return "acknowledged";
    case AlarmStatus::kClosed: return "closed";
  }
  return "open";
}

std::optional<AlarmStatus> AlarmStatusFromString(std::string_view text) {
  for (auto status : {AlarmStatus::kOpen, AlarmStatus::kAcknowledged, AlarmStatus::kClosed}) {
    if (ToString(status) == text) return status;
  }
  return std::nullopt;
}

std::optional<Refusal> RefuseAlarmAction(const AlarmRecord& alarm, bool close, std::string_view reason) {
  const std::string which = "alarm " + std::to_string(alarm.id);
  if (alarm.status == AlarmStatus::kClosed) {
    return Refusal{RefusalKind::kConflict, which + " is closed already (" + alarm.close_reason + ")"};
  }
  if (!close && alarm.status == AlarmStatus::kAcknowledged) {
    return Refusal{RefusalKind::kConflict, which + " was acknowledged by " + alarm.acknowledged_by};
  }
  if (close && reason.find_first_not_of(" \t") == std::string_view::npos) {
    return Refusal{RefusalKind::kInvalid, "closing " + which + " needs a reason"};
  }
  return std::nullopt;
}

bool AlarmPolicy::OpensWorkOrder(AlarmKind kind) const {
  return std::find(work_order_for.begin(), work_order_for.end(), kind) != work_order_for.end();
}

std::vector<AlarmChange> AssessTelemetry(const AlarmPolicy& p, const Telemetry& t, SensorMemory& m,
                                         OpenAlarms& open) {
  std::vector<AlarmChange> changes;
  if (Open(open, AlarmKind::kSensorSilent) && t.device_time > m.last_seen) {
    Apply(changes, open, {AlarmKind::kSensorSilent, false, t.device_time,
                          "reporting again after " + Hours(t.device_time - m.last_seen),
                          {{t.msg_id, t.device_time, "a message"}}});
  }
  m.last_seen = std::max(m.last_seen, t.device_time);
  for (const Reading& reading : t.readings) {
    if (const auto* r = std::get_if<BatteryReading>(&reading)) AssessBattery(p, t, *r, changes, open);
    if (const auto* r = std::get_if<ClosingDurationReading>(&reading)) AssessClosingTime(p, t, *r, changes, open);
    if (const auto* r = std::get_if<StateReading>(&reading)) AssessCycle(t, *r, m, changes, open);
  }
  return changes;
}

std::optional<AlarmChange> AssessSilence(const AlarmPolicy& p, UnixMillis last_seen, UnixMillis site_clock,
                                         bool open) {
  if (open || last_seen <= 0 || site_clock - last_seen <= p.heartbeat) return std::nullopt;
  return AlarmChange{AlarmKind::kSensorSilent, true, site_clock,
                     "silent for " + Hours(site_clock - last_seen) + " while the site's sensors report; it " +
                         "should report every " + Hours(p.heartbeat),
                     {{"", last_seen, "its last message"}, {"", site_clock, "the site's latest sensor message"}}};
}

UnixMillis SiteClock(std::vector<UnixMillis> last_seen) {
  if (last_seen.empty()) return 0;
  const auto median = last_seen.begin() + static_cast<std::ptrdiff_t>(last_seen.size() / 2);
  std::nth_element(last_seen.begin(), median, last_seen.end());
  return *median;
}

std::optional<AlarmChange> AssessDrift(const AlarmPolicy& p, const ClosingWindow& baseline,
                                       const ClosingWindow& recent, bool open) {
  if (baseline.closings < p.drift_min_closings || recent.closings < p.drift_min_closings ||
      baseline.mean_ms <= 0) {
    return std::nullopt;
  }
  const double drift = (recent.mean_ms - baseline.mean_ms) / baseline.mean_ms * 100;
  char detail[160];
  std::snprintf(detail, sizeof detail, "mean closing time %.0f ms over %s–%s, %+.0f %% against %.0f ms before",
                recent.mean_ms, Day(recent.from).c_str(), Day(recent.to).c_str(), drift, baseline.mean_ms);
  auto window = [](const ClosingWindow& w) {
    char what[96];
    std::snprintf(what, sizeof what, "mean %.0f ms over %lld closings, %s to %s", w.mean_ms,
                  static_cast<long long>(w.closings), Day(w.from).c_str(), Day(w.to).c_str());
    return AlarmEvidence{"", w.to, what};
  };
  const bool beyond = std::abs(drift) > p.drift_percent;
  const bool settled = std::abs(drift) < p.drift_percent * 0.8;
  if (beyond == open || (open && !settled)) return std::nullopt;
  return AlarmChange{AlarmKind::kClosingDrift, beyond, recent.to, detail, {window(baseline), window(recent)}};
}

}  // namespace fieldproof::core
