#pragma once
// Alarms from telemetry (core/alarm.hpp): the telemetry the alarm worker has not read yet,
// what it remembers of each sensor, closing times per day, and the alarms themselves, with
// what people do to them.
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

struct SilentSensor {
  std::string asset_id;
  std::string asset_type;
  core::UnixMillis last_seen = 0;
};

// Alarms not closed, by kind, at every site.
std::vector<std::pair<std::string, std::int64_t>> CountActiveAlarmsByKind(Database& db);

class AlarmStore {
 public:
  explicit AlarmStore(Database& db) : db_(db), sql_(db) {}

  // For the worker, inside its transaction.
  std::int64_t Cursor();
  void SetCursor(std::int64_t telemetry_id);
  std::vector<UnreadTelemetry> UnreadAfter(std::int64_t cursor, std::int64_t limit);
  core::SensorMemory Memory(const std::string& site, const std::string& asset_id);
  void SaveMemory(const std::string& site, const std::string& asset_id, const core::SensorMemory& memory);
  core::OpenAlarms Active(const std::string& site, const std::string& asset_id);
  // Raises (with a work order when `work_order`) or clears the asset's alarm of that kind.
  void Apply(const std::string& site, const std::string& asset_id, const core::AlarmChange& change,
             bool work_order, core::UnixMillis now);
  void AddClosing(const std::string& site, const std::string& asset_id, core::UnixMillis at, std::int64_t ms);
  // Closings of the days [first, last] (days since the epoch).
  core::ClosingWindow Closings(const std::string& site, const std::string& asset_id, std::int64_t first_day,
                               std::int64_t last_day);
  // The site's sensor clock: the median of its sensors' latest device times.
  core::UnixMillis SiteClock(const std::string& site);
  // Sensors of the site last heard before `before`, without an active silence alarm.
  std::vector<SilentSensor> QuietSince(const std::string& site, core::UnixMillis before);

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
