#include "gateway/verify/alarm_assessor.hpp"

#include <set>

#include "gateway/codec/message_codec.hpp"
#include "gateway/store/alarm_store.hpp"

namespace fieldproof::verify {
namespace {

using AssetKey = std::pair<std::string, std::string>;  // site, asset

// What one batch learned of one sensor, written back once at its end.
struct SensorBatch {
  std::string asset_type;
  core::SensorMemory memory;
  core::OpenAlarms open{};
  bool closed_again = false;  // A closing time arrived: drift is judged again.
  core::UnixMillis last_closing = 0;
};

}  // namespace

AlarmAssessor::AlarmAssessor(store::Database& db, std::map<std::string, core::AlarmPolicy> policies)
    : db_(db), policies_(std::move(policies)) {}

const core::AlarmPolicy& AlarmAssessor::PolicyOf(const std::string& asset_type) const {
  const auto it = policies_.find(asset_type);
  return it == policies_.end() ? default_policy_ : it->second;
}

AlarmReport AlarmAssessor::AssessPending(std::int64_t limit, core::UnixMillis now) {
  AlarmReport report;
  store::InTransaction(db_, [&] {
    report = {};
    store::AlarmStore alarms(db_);
    const auto rows = alarms.UnreadAfter(alarms.Cursor(), limit);
    if (rows.empty()) return;
    std::map<AssetKey, SensorBatch> sensors;
    std::set<std::string> sites;
    auto apply = [&](const AssetKey& key, const core::AlarmChange& change) {
      alarms.Apply(key.first, key.second, change,
                   change.raise && PolicyOf(sensors[key].asset_type).OpensWorkOrder(change.kind), now);
      ++(change.raise ? report.raised : report.cleared);
    };
    for (const auto& row : rows) {
      ++report.readings;
      const auto message = codec::DecodeTelemetry(row.payload);
      if (!message.ok() || row.asset_type.empty()) continue;  // Stored, so valid; unknown assets have no policy.
      const AssetKey key{row.site, row.asset_id};
      auto [it, first] = sensors.try_emplace(key);
      SensorBatch& sensor = it->second;
      if (first) sensor = {row.asset_type, alarms.Memory(row.site, row.asset_id), alarms.Active(row.site, row.asset_id)};
      for (const auto& change : core::AssessTelemetry(PolicyOf(row.asset_type), message.value(), sensor.memory, sensor.open)) {
        apply(key, change);
      }
      for (const auto& reading : message.value().readings) {
        if (const auto* r = std::get_if<core::ClosingDurationReading>(&reading)) {
          alarms.AddClosing(row.site, row.asset_id, message.value().device_time, r->ms);
          sensor.closed_again = true;
          sensor.last_closing = std::max(sensor.last_closing, message.value().device_time);
        }
      }
      sites.insert(row.site);
    }
    for (auto& [key, sensor] : sensors) {
      alarms.SaveMemory(key.first, key.second, sensor.memory);
      if (!sensor.closed_again) continue;
      const core::AlarmPolicy& policy = PolicyOf(sensor.asset_type);
      const std::int64_t last = core::DayNumber(sensor.last_closing);
      const auto recent = alarms.Closings(key.first, key.second, last - policy.drift_recent_days + 1, last);
      const auto baseline = alarms.Closings(key.first, key.second, last - policy.drift_recent_days - policy.drift_baseline_days + 1,
                                            last - policy.drift_recent_days);
      const bool open = sensor.open[static_cast<std::size_t>(core::AlarmKind::kClosingDrift)];
      if (const auto change = core::AssessDrift(policy, baseline, recent, open)) apply(key, *change);
    }
    // Silence, on each site's sensor clock: only sensors quiet for longer than the shortest
    // heartbeat are looked at, each against its own type's.
    const auto wall = std::chrono::steady_clock::now();
    const bool caught_up = static_cast<std::int64_t>(rows.size()) < limit;
    if (!caught_up && wall - last_silence_check_ < kSilenceCheck) sites.clear();
    else last_silence_check_ = wall;
    core::UnixMillis shortest = default_policy_.heartbeat;
    for (const auto& [type, policy] : policies_) shortest = std::min(shortest, policy.heartbeat);
    for (const std::string& site : sites) {
      const core::UnixMillis clock = alarms.SiteClock(site);
      for (const auto& quiet : alarms.QuietSince(site, clock - shortest)) {
        const AssetKey key{site, quiet.asset_id};
        sensors[key].asset_type = quiet.asset_type;
        if (const auto change = core::AssessSilence(PolicyOf(quiet.asset_type), quiet.last_seen, clock, false)) {
          apply(key, *change);
        }
      }
    }
    alarms.SetCursor(rows.back().id);
  });
  return report;
}

}  // namespace fieldproof::verify
