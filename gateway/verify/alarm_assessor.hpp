#pragma once
// Alarms from telemetry (core/alarm.hpp, docs/alarms.md), applied to what the store holds:
// reads the telemetry after the alarm cursor and raises or clears alarms, opening work
// orders where the asset type's policy says so.
//
// What the rules remember of each sensor (its last message and state) is kept here, not
// rewritten in SQLite per message: that rewrite was most of what alarms cost intake. It is
// written back by SaveMemory(), as of a telemetry id; on start the assessor reads it back
// and replays the telemetry judged since, so a crash forgets nothing. Alarms, work orders,
// closing times and the cursor are written together, per batch.
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gateway/core/alarm.hpp"
#include "gateway/store/alarm_store.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::verify {

struct AlarmReport {
  std::int64_t readings = 0;  // Telemetry messages read.
  std::int64_t raised = 0;
  std::int64_t cleared = 0;
};

class AlarmAssessor {
 public:
  // `db` may be intake's connection: the assessor uses it only holding the process's write
  // lock, briefly, to read a batch and to write what it decided; it judges without the lock.
  // Policies by asset type; a type without one gets the documented defaults (no closing
  // range). Restores the sensors' memory.
  AlarmAssessor(store::Database& db, std::map<std::string, core::AlarmPolicy> policies);

  // Judges up to `limit` messages after the cursor, then writes the outcome in one
  // transaction. Silence is looked for when the batch caught up with intake, and at least
  // every kSilenceCheck under a steady load.
  AlarmReport AssessPending(std::int64_t limit, core::UnixMillis now);
  static constexpr std::chrono::seconds kSilenceCheck{30};

  // Writes back the memory of every sensor heard since the last call.
  void SaveMemory();
  std::int64_t replayed() const { return replayed_; }  // Messages replayed on start.

 private:
  using AssetKey = std::pair<std::string, std::string>;  // site, asset
  struct Sensor {
    std::string asset_type;
    core::SensorMemory memory;
  };
  struct Change {
    AssetKey asset;
    std::string asset_type;
    core::AlarmChange change;
  };

  struct Batch;

  const core::AlarmPolicy& PolicyOf(const std::string& asset_type) const;
  using OpenByAsset = std::map<AssetKey, core::OpenAlarms>;
  // No I/O: the rules over the batch, from the memory and the alarms open before it.
  Batch Judge(const std::vector<store::UnreadTelemetry>& rows, const OpenByAsset& open);
  void RestoreMemory();
  // Inside the batch's transaction, after its closings were added.
  std::optional<core::AlarmChange> JudgeDrift(const AssetKey& asset,
                                              const core::AlarmPolicy& policy,
                                              core::UnixMillis last_closing, bool open);
  void Write(const Change& change, core::UnixMillis now, AlarmReport& report);
  AlarmReport AssessSilence(const OpenByAsset& open, core::UnixMillis now);

  store::Database& db_;
  store::AlarmStore store_;
  std::map<std::string, core::AlarmPolicy> policies_;
  core::AlarmPolicy default_policy_;
  std::map<AssetKey, Sensor> sensors_;  // As of cursor_.
  std::set<AssetKey> unsaved_;
  std::int64_t cursor_ = 0;
  std::int64_t replayed_ = 0;
  std::chrono::steady_clock::time_point last_silence_check_{};
};

}  // namespace fieldproof::verify
