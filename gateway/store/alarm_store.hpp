#pragma once
// Alarms from telemetry (core/alarm.hpp): the telemetry the alarm worker has not read yet,
// what it remembers of each sensor, closing times per day, and the alarms themselves, with
// what people do to them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/alarm.hpp"
#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct UnreadTelemetry {
  std::int64_t id = 0;
  std::string site;
  std::string asset_id;
  std::string asset_type;  // "" when the asset is not registered.
  std::string payload;
};

struct AlarmFilter {
  std::string site;
  std::string status;    // open | acknowledged | closed | active (not closed) | "" for all.
  std::string asset_id;  // "" for all.
  std::string owner;     // An owner's customer id; "" = every customer.
};

// A registered sensor's memory as last written back by the alarm worker.
struct RememberedSensor {
  std::string site;
  std::string asset_id;
  std::string asset_type;
  core::SensorMemory memory;
};

// Alarms not closed, by kind, at every site.
std::vector<std::pair<std::string, std::int64_t>> CountActiveAlarmsByKind(Database& db);

class AlarmStore {
 public:
  explicit AlarmStore(Database& db) : db_(db), sql_(db) {}

  // For the worker, inside its transactions.
  std::int64_t Cursor();
  void SetCursor(std::int64_t telemetry_id);
  std::vector<UnreadTelemetry> UnreadAfter(std::int64_t cursor, std::int64_t limit);
  // The sensors' memory as written back, and the telemetry id it is as of.
  std::vector<RememberedSensor> Memories();
  std::int64_t MemoryCheckpoint();
  void SaveMemory(const std::string& site, const std::string& asset_id, const core::SensorMemory& memory);
  void SetMemoryCheckpoint(std::int64_t telemetry_id);
  // Every asset's alarms not closed, by (site, asset).
  std::map<std::pair<std::string, std::string>, core::OpenAlarms> ActiveByAsset();
  // Raises (with a work order when `work_order`) or clears the asset's alarm of that kind.
  void Apply(const std::string& site, const std::string& asset_id, const core::AlarmChange& change,
             bool work_order, core::UnixMillis now);
  void AddClosing(const std::string& site, const std::string& asset_id, core::UnixMillis at, std::int64_t ms);
  // Closings of the days [first, last] (days since the epoch).
  core::ClosingWindow Closings(const std::string& site, const std::string& asset_id, std::int64_t first_day,
                               std::int64_t last_day);

  // For people.
  core::Page<core::AlarmRecord> List(const AlarmFilter& filter, core::PageRequest page);
  std::optional<core::AlarmRecord> Find(std::int64_t id, const std::string& owner);
  void Acknowledge(std::int64_t id, const std::string& by, core::UnixMillis now);
  void Close(std::int64_t id, const std::string& by, const std::string& reason, core::UnixMillis now);

 private:
  Database& db_;
  StatementCache sql_;
};

}  // namespace fieldproof::store
