#include "gateway/verify/alarm_assessor.hpp"

#include <algorithm>
#include <vector>

#include "gateway/codec/message_codec.hpp"

namespace fieldproof::verify {
namespace {

// What one batch learned of one sensor; the assessor keeps it once the batch is written.
struct SensorBatch {
  std::string asset_type;
  core::SensorMemory memory;
  core::OpenAlarms open{};
  bool closed_again = false;  // A closing time arrived: drift is judged again.
  core::UnixMillis last_closing = 0;
};

struct Closing {
  std::pair<std::string, std::string> asset;
  core::UnixMillis at = 0;
  std::int64_t ms = 0;
};

bool IsOpen(const core::OpenAlarms& open, core::AlarmKind kind) {
  return open[static_cast<std::size_t>(kind)];
}

}  // namespace

AlarmAssessor::AlarmAssessor(store::Database& db, std::map<std::string, core::AlarmPolicy> policies)
    : db_(db), store_(db), policies_(std::move(policies)) {
  RestoreMemory();
}

const core::AlarmPolicy& AlarmAssessor::PolicyOf(const std::string& asset_type) const {
  const auto it = policies_.find(asset_type);
  return it == policies_.end() ? default_policy_ : it->second;
}

void AlarmAssessor::RestoreMemory() {
  std::int64_t from = 0;
  store::InTransaction(db_, [&] {
    cursor_ = store_.Cursor();
    from = store_.MemoryCheckpoint();
    for (auto& r : store_.Memories()) sensors_[{r.site, r.asset_id}] = {r.asset_type, std::move(r.memory)};
  });
  // The telemetry judged after the memory was last written back is read again for the
  // memory alone: what it raised or cleared is written already.
  while (from < cursor_) {
    std::vector<store::UnreadTelemetry> rows;
    store::InTransaction(db_, [&] { rows = store_.UnreadAfter(from, 1000); });
    if (rows.empty()) break;
    for (const auto& row : rows) {
      if (row.id > cursor_) break;
      const auto message = codec::DecodeTelemetry(row.payload);
      if (!message.ok() || row.asset_type.empty()) continue;
      const AssetKey key{row.site, row.asset_id};
      Sensor& sensor = sensors_[key];
      sensor.asset_type = row.asset_type;
      core::OpenAlarms written{};
      core::AssessTelemetry(PolicyOf(row.asset_type), message.value(), sensor.memory, written);
      unsaved_.insert(key);
      ++replayed_;
    }
    from = std::min(rows.back().id, cursor_);
  }
}

// What one batch decided: written in one transaction, and its sensors' memory kept once it is.
struct AlarmAssessor::Batch {
  std::map<AssetKey, SensorBatch> sensors;
  std::vector<Change> changes;
  std::vector<Closing> closings;
};

AlarmAssessor::Batch AlarmAssessor::Judge(const std::vector<store::UnreadTelemetry>& rows,
                                          const OpenByAsset& open) {
  Batch batch;
  for (const auto& row : rows) {
    const auto message = codec::DecodeTelemetry(row.payload);
    if (!message.ok() || row.asset_type.empty())
      continue;  // Stored, so valid; unknown assets have no policy.
    const AssetKey key{row.site, row.asset_id};
    auto [it, first] = batch.sensors.try_emplace(key);
    SensorBatch& sensor = it->second;
    if (first) {
      const auto known = sensors_.find(key);
      if (known != sensors_.end()) sensor.memory = known->second.memory;
      if (const auto alarms = open.find(key); alarms != open.end()) sensor.open = alarms->second;
    }
    sensor.asset_type = row.asset_type;
    for (auto& change : core::AssessTelemetry(PolicyOf(row.asset_type), message.value(),
                                              sensor.memory, sensor.open)) {
      batch.changes.push_back({key, row.asset_type, std::move(change)});
    }
    for (const auto& reading : message.value().readings) {
      if (const auto* r = std::get_if<core::ClosingDurationReading>(&reading)) {
        batch.closings.push_back({key, message.value().device_time, r->ms});
        sensor.closed_again = true;
        sensor.last_closing = std::max(sensor.last_closing, message.value().device_time);
      }
    }
  }
  return batch;
}

AlarmReport AlarmAssessor::AssessPending(std::int64_t limit, core::UnixMillis now) {
  // The batch and the open alarms are read holding the write lock, and judged without it. A
  // read beside intake's commits would keep the checkpointer from starting the WAL over: it
  // grew, and intake's commits took twice as long (docs/performance.md, "Alarms").
  std::vector<store::UnreadTelemetry> rows;
  OpenByAsset open;
  store::InTransaction(db_, [&] {
    rows = store_.UnreadAfter(cursor_, limit);
    if (!rows.empty()) open = store_.ActiveByAsset();
  });
  if (rows.empty()) return {};
  Batch batch = Judge(rows, open);
  AlarmReport report;
  store::InTransaction(db_, [&] {
    report = {static_cast<std::int64_t>(rows.size())};
    for (const auto& change : batch.changes) Write(change, now, report);
    for (const auto& c : batch.closings)
      store_.AddClosing(c.asset.first, c.asset.second, c.at, c.ms);
    for (const auto& [key, sensor] : batch.sensors) {
      if (!sensor.closed_again) continue;
      const bool open = IsOpen(sensor.open, core::AlarmKind::kClosingDrift);
      if (auto drift = JudgeDrift(key, PolicyOf(sensor.asset_type), sensor.last_closing, open)) {
        Write({key, sensor.asset_type, std::move(*drift)}, now, report);
      }
    }
    store_.SetCursor(rows.back().id);
  });
  cursor_ = rows.back().id;
  for (auto& [key, sensor] : batch.sensors) {
    open[key] = sensor.open;  // As the batch left them.
    sensors_[key] = {std::move(sensor.asset_type), std::move(sensor.memory)};
    unsaved_.insert(key);
  }
  const auto wall = std::chrono::steady_clock::now();
  const bool caught_up = static_cast<std::int64_t>(rows.size()) < limit;
  if (caught_up || wall - last_silence_check_ >= kSilenceCheck) {
    last_silence_check_ = wall;
    report.raised += AssessSilence(open, now).raised;
  }
  return report;
}

std::optional<core::AlarmChange> AlarmAssessor::JudgeDrift(const AssetKey& asset,
                                                           const core::AlarmPolicy& policy,
                                                           core::UnixMillis last_closing,
                                                           bool open) {
  const auto& [site, asset_id] = asset;
  const std::int64_t last = core::DayNumber(last_closing);
  const std::int64_t recent_from = last - policy.drift_recent_days + 1;
  const auto recent = store_.Closings(site, asset_id, recent_from, last);
  const auto baseline =
      store_.Closings(site, asset_id, recent_from - policy.drift_baseline_days, recent_from - 1);
  return core::AssessDrift(policy, baseline, recent, open);
}

void AlarmAssessor::Write(const Change& c, core::UnixMillis now, AlarmReport& report) {
  const bool work_order = c.change.raise && PolicyOf(c.asset_type).OpensWorkOrder(c.change.kind);
  store_.Apply(c.asset.first, c.asset.second, c.change, work_order, now);
  ++(c.change.raise ? report.raised : report.cleared);
}

// Silence, on each site's sensor clock; only this assessor raises it, so the alarms open as
// of the batch just written are the ones open now.
AlarmReport AlarmAssessor::AssessSilence(const OpenByAsset& open, core::UnixMillis now) {
  std::vector<Change> changes;
  for (auto first = sensors_.begin(); first != sensors_.end();) {
    const auto end = std::find_if(
        first, sensors_.end(), [&](const auto& s) { return s.first.first != first->first.first; });
    std::vector<core::UnixMillis> last_seen;
    for (auto it = first; it != end; ++it) last_seen.push_back(it->second.memory.last_seen);
    const core::UnixMillis clock = core::SiteClock(std::move(last_seen));
    for (auto it = first; it != end; ++it) {
      const auto& [key, sensor] = *it;
      const auto& policy = PolicyOf(sensor.asset_type);
      const auto alarms = open.find(key);
      const bool silent = alarms != open.end() && IsOpen(alarms->second, core::AlarmKind::kSensorSilent);
      if (auto change = core::AssessSilence(policy, sensor.memory.last_seen, clock, silent)) {
        changes.push_back({key, sensor.asset_type, std::move(*change)});
      }
    }
    first = end;
  }
  AlarmReport report;
  if (changes.empty()) return report;
  store::InTransaction(db_, [&] {
    report = {};
    for (const auto& change : changes) Write(change, now, report);
  });
  return report;
}

void AlarmAssessor::SaveMemory() {
  if (unsaved_.empty()) return;
  store::InTransaction(db_, [&] {
    for (const AssetKey& key : unsaved_)
      store_.SaveMemory(key.first, key.second, sensors_.at(key).memory);
    store_.SetMemoryCheckpoint(cursor_);
  });
  unsaved_.clear();
}

}  // namespace fieldproof::verify
