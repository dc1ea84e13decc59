#include "gateway/store/migrations.hpp"

#include <array>
#include <string>

namespace fieldproof::store {
namespace {

// The site is part of every key: it is the unit of sharding.
constexpr std::array<std::string_view, 2> kMigrations = {
    R"sql(
CREATE TABLE assets (
  site            TEXT NOT NULL,
  asset_id        TEXT NOT NULL,
  building        TEXT NOT NULL,
  floor           INTEGER NOT NULL,
  location        TEXT NOT NULL,
  x_m             REAL NOT NULL,
  y_m             REAL NOT NULL,
  asset_type      TEXT NOT NULL,
  tag_uid         TEXT NOT NULL,
  interval_days   INTEGER NOT NULL,
  owner_id        TEXT NOT NULL,
  sensor_equipped INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (site, asset_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX assets_by_tag ON assets (site, tag_uid);

CREATE TABLE technicians (
  site            TEXT NOT NULL,
  technician_id   TEXT NOT NULL,
  name            TEXT NOT NULL,
  company         TEXT NOT NULL,
  qualifications  TEXT NOT NULL,  -- asset types separated by ';'
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (site, technician_id)
) WITHOUT ROWID;

-- Raw events, exactly once per (site, sender, msg_id). payload is the bytes as received.
CREATE TABLE taps (
  id              INTEGER PRIMARY KEY,
  site            TEXT NOT NULL,
  device_id       TEXT NOT NULL,
  msg_id          TEXT NOT NULL,
  technician_id   TEXT NOT NULL,
  kind            TEXT NOT NULL,
  tag_type        TEXT NOT NULL,
  tag_value       TEXT NOT NULL,
  read_at         INTEGER NOT NULL,
  sent_at         INTEGER NOT NULL,
  received_at     INTEGER NOT NULL,
  result          TEXT,
  checklist       TEXT,
  defects         TEXT,
  work_order_id   TEXT,
  firmware        TEXT NOT NULL,
  payload         BLOB NOT NULL,
  UNIQUE (site, device_id, msg_id)
);
CREATE INDEX taps_by_technician ON taps (site, technician_id, read_at);

CREATE TABLE telemetry (
  id              INTEGER PRIMARY KEY,
  site            TEXT NOT NULL,
  asset_id        TEXT NOT NULL,
  msg_id          TEXT NOT NULL,
  device_time     INTEGER NOT NULL,
  received_at     INTEGER NOT NULL,
  payload         BLOB NOT NULL,
  UNIQUE (site, asset_id, msg_id)
);
CREATE INDEX telemetry_by_asset_time ON telemetry (site, asset_id, device_time);

CREATE TABLE rejected_messages (
  id              INTEGER PRIMARY KEY,
  site            TEXT,            -- NULL when the topic did not name one
  topic           TEXT NOT NULL,
  msg_id          TEXT,
  reason          TEXT NOT NULL,
  detail          TEXT NOT NULL,
  payload         BLOB NOT NULL,   -- truncated to the first 4 KiB
  payload_bytes   INTEGER NOT NULL,
  payload_hash    INTEGER NOT NULL, -- FNV-1a 64 of the whole payload
  received_at     INTEGER NOT NULL, -- first time seen
  times_seen      INTEGER NOT NULL DEFAULT 1,
  last_received_at INTEGER NOT NULL,
  -- A redelivery of the same bad message is counted, not stored again.
  UNIQUE (topic, payload_hash, payload_bytes)
);
CREATE INDEX rejected_by_site_time ON rejected_messages (site, received_at);
)sql",
    // 2: the handheld registry (a handheld belongs to a company).
    R"sql(
CREATE TABLE devices (
  site            TEXT NOT NULL,
  device_id       TEXT NOT NULL,
  company         TEXT NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (site, device_id)
) WITHOUT ROWID;
)sql",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

void Migrate(Database& db) {
  // The version is read inside each write transaction, so two processes opening a
  // new file at once (gateway and CLI) cannot apply a migration twice.
  bool done = false;
  while (!done) {
    InTransaction(db, [&] {
      const int version = static_cast<int>(db.QueryInt("PRAGMA user_version"));
      if (version > LatestSchemaVersion()) {
        throw StoreError(SQLITE_ERROR, db.path() + " has schema version " +
                                           std::to_string(version) + "; this build knows up to " +
                                           std::to_string(LatestSchemaVersion()) +
                                           ". Upgrade fieldproof.");
      }
      done = version == LatestSchemaVersion();
      if (done) return;
      db.Exec(kMigrations[version]);
      db.Exec("PRAGMA user_version = " + std::to_string(version + 1));
    });
  }
}

}  // namespace fieldproof::store
