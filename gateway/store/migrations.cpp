#include "gateway/store/migrations.hpp"

#include <sqlite3.h>

#include <array>
#include <string>

namespace fieldproof::store {
namespace {

// The site is part of every key: it is the unit of sharding.
constexpr std::array<std::string_view, 22> kMigrations = {
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
    // 3: verification. The verifier works through taps not yet assessed, in id order; what
    // it found about each tap, each inspection and each check is kept as evidence.
    R"sql(
ALTER TABLE taps ADD COLUMN assessed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX taps_to_assess ON taps (id) WHERE assessed = 0;
CREATE INDEX taps_by_device ON taps (site, device_id, id);

CREATE TABLE tap_evidence (
  tap_id           INTEGER PRIMARY KEY REFERENCES taps (id),
  site             TEXT NOT NULL,
  device_id        TEXT NOT NULL,
  kind             TEXT NOT NULL,
  asset_id         TEXT,            -- NULL when the tag is not in the registry or unreadable
  tag_uid          TEXT,
  read_counter     INTEGER,
  read_at          INTEGER NOT NULL, -- corrected for the handheld's clock offset
  clock_offset_ms  INTEGER NOT NULL,
  legacy           INTEGER NOT NULL,
  authentic        INTEGER NOT NULL,
  tag_detail       TEXT NOT NULL,
  freshness        TEXT NOT NULL,
  freshness_detail TEXT NOT NULL,
  inspection_id    INTEGER
);
CREATE INDEX tap_evidence_open_starts ON tap_evidence (site, device_id, read_at)
  WHERE kind = 'start' AND inspection_id IS NULL;

-- Every authentic counter value seen per tag: the freshness rule's memory.
CREATE TABLE tag_reads (
  site          TEXT NOT NULL,
  tag_uid       TEXT NOT NULL,
  read_counter  INTEGER NOT NULL,
  read_at       INTEGER NOT NULL,
  tap_id        INTEGER NOT NULL,
  PRIMARY KEY (site, tag_uid, read_counter)
) WITHOUT ROWID;

CREATE TABLE inspections (
  id             INTEGER PRIMARY KEY,
  site           TEXT NOT NULL,
  asset_id       TEXT,
  technician_id  TEXT NOT NULL,
  device_id      TEXT NOT NULL,
  start_tap_id   INTEGER NOT NULL,
  end_tap_id     INTEGER NOT NULL UNIQUE,
  started_at     INTEGER NOT NULL,
  ended_at       INTEGER NOT NULL,
  verdict        TEXT NOT NULL,
  strength       TEXT NOT NULL,
  result         TEXT,
  checklist      TEXT,
  defects        TEXT,
  assessed_at    INTEGER NOT NULL
);
CREATE INDEX inspections_by_technician ON inspections (site, technician_id, ended_at);
CREATE INDEX inspections_by_asset ON inspections (site, asset_id, ended_at);

CREATE TABLE inspection_checks (
  inspection_id  INTEGER NOT NULL REFERENCES inspections (id),
  seq            INTEGER NOT NULL,
  name           TEXT NOT NULL,
  status         TEXT NOT NULL,
  detail         TEXT NOT NULL,
  PRIMARY KEY (inspection_id, seq)
) WITHOUT ROWID;
)sql",
    // 4: maintenance records (append-only, hash-chained per site), follow-up work orders,
    // reviews of inspections that need one.
    R"sql(
CREATE TABLE maintenance_records (
  site           TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  kind           TEXT NOT NULL,
  inspection_id  INTEGER NOT NULL,
  asset_id       TEXT NOT NULL,
  technician_id  TEXT NOT NULL,
  started_at     INTEGER NOT NULL,
  ended_at       INTEGER NOT NULL,
  verdict        TEXT NOT NULL,
  checklist      TEXT NOT NULL,
  defects        TEXT NOT NULL,
  evidence       TEXT NOT NULL,
  next_due_at    INTEGER,
  reviewer       TEXT NOT NULL,
  reason         TEXT NOT NULL,
  recorded_at    INTEGER NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL,
  PRIMARY KEY (site, seq)
);
CREATE INDEX maintenance_by_asset ON maintenance_records (site, asset_id, ended_at);
-- Append-only for everyone who goes through SQLite; the hash chain catches the rest.
CREATE TRIGGER maintenance_records_no_update BEFORE UPDATE ON maintenance_records
  BEGIN SELECT RAISE(ABORT, 'maintenance records are append-only'); END;
CREATE TRIGGER maintenance_records_no_delete BEFORE DELETE ON maintenance_records
  BEGIN SELECT RAISE(ABORT, 'maintenance records are append-only'); END;

CREATE TABLE work_orders (
  id             INTEGER PRIMARY KEY,
  site           TEXT NOT NULL,
  asset_id       TEXT NOT NULL,
  inspection_id  INTEGER NOT NULL,
  defect_code    TEXT NOT NULL,
  severity       TEXT NOT NULL,
  note           TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'open',
  created_at     INTEGER NOT NULL
);
CREATE INDEX work_orders_open ON work_orders (site, status);

CREATE TABLE reviews (
  inspection_id  INTEGER PRIMARY KEY REFERENCES inspections (id),
  site           TEXT NOT NULL,
  decision       TEXT NOT NULL,
  reason         TEXT NOT NULL,
  reviewer       TEXT NOT NULL,
  reviewed_at    INTEGER NOT NULL
);
)sql",
    // 5: billing. Repairs complete work orders; contracts price verified work; invoices and
    // credit notes are immutable documents; billed_records makes "billed exactly once" a
    // constraint rather than a hope.
    R"sql(
ALTER TABLE maintenance_records ADD COLUMN work_order_id TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN completed_by INTEGER;
ALTER TABLE work_orders ADD COLUMN completed_at INTEGER;
CREATE INDEX maintenance_verified ON maintenance_records (ended_at)
  WHERE verdict IN ('verified', 'verified_with_defects');

CREATE TABLE contracts (
  contract_id    TEXT PRIMARY KEY,
  customer_id    TEXT NOT NULL UNIQUE,
  document       TEXT NOT NULL,   -- JSON: schemas/contract.json
  imported_at    INTEGER NOT NULL
);

-- The last number issued per series: numbers are taken inside the issuing transaction,
-- so a rolled-back close leaves no gap.
CREATE TABLE invoice_series (
  series         TEXT PRIMARY KEY,
  last_number    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE invoices (
  number           TEXT PRIMARY KEY,
  type             TEXT NOT NULL,   -- invoice | credit_note
  contract_id      TEXT NOT NULL,
  customer_id      TEXT NOT NULL,
  period           TEXT NOT NULL,   -- YYYY-MM
  issue_date       TEXT NOT NULL,
  currency         TEXT NOT NULL,
  net_cents        INTEGER NOT NULL,
  vat_cents        INTEGER NOT NULL,
  total_cents      INTEGER NOT NULL,
  line_count       INTEGER NOT NULL,
  preceding_number TEXT REFERENCES invoices (number),
  document         TEXT NOT NULL,   -- JSON: schemas/invoice.json; exports render from it
  created_at       INTEGER NOT NULL
);
CREATE INDEX invoices_by_period ON invoices (period, number);
CREATE INDEX invoices_by_customer ON invoices (customer_id, period);
CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
  BEGIN SELECT RAISE(ABORT, 'issued invoices never change; issue a credit note'); END;
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
  BEGIN SELECT RAISE(ABORT, 'issued invoices never change; issue a credit note'); END;

CREATE TABLE billed_records (
  site           TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  inspection_id  INTEGER NOT NULL UNIQUE,
  invoice_number TEXT NOT NULL REFERENCES invoices (number),
  line_no        INTEGER NOT NULL,
  PRIMARY KEY (site, seq)
) WITHOUT ROWID;

CREATE TABLE billed_callouts (
  contract_id    TEXT NOT NULL,
  site           TEXT NOT NULL,
  technician_id  TEXT NOT NULL,
  day            TEXT NOT NULL,
  invoice_number TEXT NOT NULL REFERENCES invoices (number),
  line_no        INTEGER NOT NULL,
  PRIMARY KEY (contract_id, site, technician_id, day)
) WITHOUT ROWID;

CREATE TABLE credited_lines (
  invoice_number     TEXT NOT NULL REFERENCES invoices (number),
  line_no            INTEGER NOT NULL,
  credit_note_number TEXT NOT NULL REFERENCES invoices (number),
  PRIMARY KEY (invoice_number, line_no)
) WITHOUT ROWID;

CREATE TABLE period_closes (
  contract_id    TEXT NOT NULL,
  period         TEXT NOT NULL,
  invoice_number TEXT,            -- NULL when there was nothing to bill
  records_billed INTEGER NOT NULL,
  not_billable   INTEGER NOT NULL,
  closed_at      INTEGER NOT NULL,
  PRIMARY KEY (contract_id, period)
) WITHOUT ROWID;
)sql",
    // 6: coverage reports. The verified records of a site per asset, read from the index
    // alone; the inspections of a time window; the reviews still open.
    R"sql(
CREATE INDEX maintenance_verified_by_asset ON maintenance_records (site, asset_id, ended_at)
  WHERE verdict IN ('verified', 'verified_with_defects');
CREATE INDEX inspections_by_time ON inspections (site, ended_at);
CREATE INDEX inspections_needing_review ON inspections (site) WHERE verdict = 'needs_review';
)sql",
    // 7: API tokens, stored as SHA-256 hashes only; the API's reads: an inspection's records
    // by its id, a site's assets in building and floor order (pages).
    R"sql(
CREATE INDEX maintenance_by_inspection ON maintenance_records (inspection_id);
CREATE INDEX assets_by_place ON assets (site, building, floor, asset_id);
CREATE TABLE api_tokens (
  token_hash     TEXT PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  role           TEXT NOT NULL,      -- owner | billing | supervisor | admin
  customer_id    TEXT NOT NULL,      -- owners: the customer they may see
  created_at     INTEGER NOT NULL,
  revoked_at     INTEGER
) WITHOUT ROWID;
)sql",
    // 8: the intake journal's watermark (gateway/ingest/intake_journal.hpp): every journal
    // record up to journal_seq is stored. Moved in the transaction that stores them.
    R"sql(
CREATE TABLE intake_cursor (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  journal_seq    INTEGER NOT NULL
);
INSERT INTO intake_cursor (id, journal_seq) VALUES (1, 0);
)sql",
    // 9: each sensor's clock, kept at intake (EventStore) so that verification never reads a
    // sensor's history: the smallest delay (received_at - device_time) over its newest 25 to
    // 50 messages, in two windows of 25. After a clock jump the old delays are gone within
    // 50 messages. Filled here from each sensor's newest 25 among the last million stored (a
    // bounded sort however large the database; a sensor silent since starts with its next).
    R"sql(
CREATE TABLE sensor_clocks (
  site               TEXT NOT NULL,
  asset_id           TEXT NOT NULL,
  delay_min          INTEGER NOT NULL,  -- over the current window
  window_count       INTEGER NOT NULL,  -- messages in the current window
  previous_delay_min INTEGER,           -- over the full window before; NULL until there is one
  PRIMARY KEY (site, asset_id)
) WITHOUT ROWID;
INSERT INTO sensor_clocks (site, asset_id, delay_min, window_count)
  SELECT site, asset_id, min(received_at - device_time), count(*)
  FROM (SELECT site, asset_id, device_time, received_at,
               row_number() OVER (PARTITION BY site, asset_id ORDER BY id DESC) AS newest
        FROM telemetry
        WHERE id > (SELECT coalesce(max(id), 0) FROM telemetry) - 1000000)
  WHERE newest <= 25
  GROUP BY site, asset_id;
)sql",
    // 10: one index per telemetry row instead of two. A reading is identified by its sensor,
    // device_time and msg_id (docs/messages.md, "Duplicates"), so the index that finds an
    // asset's readings by time also refuses a second copy. Each index dirties a leaf of its
    // own per sensor, written to the WAL and checkpointed: the second index was about a
    // quarter of the bytes intake wrote (docs/performance.md, seventh round). SQLite cannot
    // drop a table's UNIQUE constraint, so the table is rebuilt, keeping every row and its id.
    R"sql(
CREATE TABLE telemetry_v10 (
  id              INTEGER PRIMARY KEY,
  site            TEXT NOT NULL,
  asset_id        TEXT NOT NULL,
  msg_id          TEXT NOT NULL,
  device_time     INTEGER NOT NULL,
  received_at     INTEGER NOT NULL,
  payload         BLOB NOT NULL
);
INSERT INTO telemetry_v10 (id, site, asset_id, msg_id, device_time, received_at, payload)
  SELECT id, site, asset_id, msg_id, device_time, received_at, payload FROM telemetry ORDER BY id;
DROP TABLE telemetry;
ALTER TABLE telemetry_v10 RENAME TO telemetry;
CREATE UNIQUE INDEX telemetry_by_asset_time ON telemetry (site, asset_id, device_time, msg_id);
)sql",
    // 11: rejected messages are kept for so many days and up to so many rows (EventStore's
    // RejectedRetention), so that a misbehaving client cannot fill the disk. The ones dropped
    // are counted here, per site and reason: the counts outlive the payloads.
    R"sql(
CREATE TABLE rejected_pruned (
  site            TEXT NOT NULL,   -- '' when the topic named none
  reason          TEXT NOT NULL,
  count           INTEGER NOT NULL,
  PRIMARY KEY (site, reason)
) WITHOUT ROWID;
-- Finds the rows not seen for keep_days without reading every payload.
CREATE INDEX rejected_by_last_seen ON rejected_messages (last_received_at);
)sql",
    // 12: verification by what tags and devices say (docs/verification.md). Each tap's
    // times are judged and kept; an end tap whose start has not arrived waits for it; the
    // open-start lookup goes by tag; overlap looks up a technician's work by start time.
    R"sql(
ALTER TABLE tap_evidence ADD COLUMN timing TEXT NOT NULL DEFAULT 'plausible';
ALTER TABLE tap_evidence ADD COLUMN timing_detail TEXT NOT NULL DEFAULT 'assessed before schema 12';
CREATE INDEX tap_evidence_open_starts_by_tag ON tap_evidence (site, device_id, tag_uid, read_at)
  WHERE kind = 'start' AND inspection_id IS NULL;
CREATE TABLE waiting_end_taps (
  tap_id        INTEGER PRIMARY KEY REFERENCES taps (id),
  site          TEXT NOT NULL,
  device_id     TEXT NOT NULL,
  tag_uid       TEXT,              -- NULL when the end tap's tag was not authentic
  read_counter  INTEGER,
  read_at       INTEGER NOT NULL,  -- corrected
  since         INTEGER NOT NULL   -- gateway clock: when it began to wait
);
CREATE INDEX waiting_end_taps_by_tag ON waiting_end_taps (site, device_id, tag_uid, read_at);
CREATE INDEX waiting_end_taps_by_age ON waiting_end_taps (since);
-- A technician's work that proves presence, around an inspection (travel and overlap):
-- rejected inspections are not in these indexes, however many a technician has.
CREATE INDEX inspections_present_by_end ON inspections (site, technician_id, ended_at)
  WHERE asset_id IS NOT NULL AND verdict <> 'rejected';
CREATE INDEX inspections_present_by_start ON inspections (site, technician_id, started_at)
  WHERE asset_id IS NOT NULL AND verdict <> 'rejected';
)sql",
    // 13: photos of inspections, content-addressed by their SHA-256 (docs/handheld.md). In
    // the database, so that a backup holds them with the records that will name them.
    R"sql(
CREATE TABLE photos (
  sha256       TEXT PRIMARY KEY,
  media_type   TEXT NOT NULL,     -- told by the content: image/jpeg or image/png
  size         INTEGER NOT NULL,
  content      BLOB NOT NULL,
  device_id    TEXT NOT NULL,     -- the handheld that uploaded it first
  uploaded_at  INTEGER NOT NULL
);
)sql",
    // 14: one-time codes that enrol a handheld (fieldproof device enrol; docs/handheld.md).
    // Only the code's SHA-256 is kept, as with API tokens.
    R"sql(
CREATE TABLE device_enrolments (
  code_hash   TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL,
  site        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX device_enrolments_by_device ON device_enrolments (device_id);
)sql",
    // 15: photos travel in end taps (docs/handheld.md): each inspection's photos, and in the
    // maintenance record their hashes, chained with the rest.
    R"sql(
ALTER TABLE maintenance_records ADD COLUMN photos TEXT NOT NULL DEFAULT '';
CREATE TABLE inspection_photos (
  sha256         TEXT NOT NULL,
  inspection_id  INTEGER NOT NULL REFERENCES inspections (id),
  seq            INTEGER NOT NULL,   -- the order the end tap named them in
  PRIMARY KEY (sha256, inspection_id)
) WITHOUT ROWID;
CREATE INDEX inspection_photos_by_inspection ON inspection_photos (inspection_id, seq);
)sql",
    // 16: technicians sign in on a handheld with a PIN (docs/handheld.md): its salted
    // PBKDF2 hash, the failed attempts that lock it for a while, and every sign-in.
    R"sql(
CREATE TABLE technician_pins (
  site           TEXT NOT NULL,
  technician_id  TEXT NOT NULL,
  salt           TEXT NOT NULL,   -- hex
  pin_hash       TEXT NOT NULL,   -- hex, PBKDF2-HMAC-SHA256
  iterations     INTEGER NOT NULL,
  failures       INTEGER NOT NULL DEFAULT 0,
  locked_until   INTEGER NOT NULL DEFAULT 0,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (site, technician_id)
) WITHOUT ROWID;
CREATE TABLE sign_ins (
  id             INTEGER PRIMARY KEY,
  site           TEXT NOT NULL,
  technician_id  TEXT NOT NULL,
  device_id      TEXT NOT NULL,
  signed_in_at   INTEGER NOT NULL
);
CREATE INDEX sign_ins_by_technician ON sign_ins (site, technician_id, signed_in_at);
)sql",
    // 17: tag commissioning (docs/handheld.md): every tag an asset has carried, who installed
    // it and how it was proved, who retired it and why; and the UIDs tag suppliers delivered.
    // The tags the registry holds today count as installed by their import.
    R"sql(
CREATE TABLE tag_history (
  id              INTEGER PRIMARY KEY,
  site            TEXT NOT NULL,
  asset_id        TEXT NOT NULL,
  tag_uid         TEXT NOT NULL,
  installed_at    INTEGER NOT NULL,
  installed_by    TEXT NOT NULL,
  proof           TEXT NOT NULL,
  retired_at      INTEGER,
  retired_by      TEXT,
  retired_reason  TEXT
);
CREATE INDEX tag_history_by_asset ON tag_history (site, asset_id, id);
CREATE INDEX tag_history_by_uid ON tag_history (site, tag_uid);
INSERT INTO tag_history (site, asset_id, tag_uid, installed_at, installed_by, proof)
  SELECT site, asset_id, tag_uid, updated_at, 'registry import', 'asset registry' FROM assets;  -- core::kRegistryImport
CREATE TABLE supplied_tags (
  tag_uid      TEXT PRIMARY KEY,
  batch        TEXT NOT NULL,
  imported_at  INTEGER NOT NULL,
  imported_by  TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 18: the asset page lists an asset's work orders, open and done.
    R"sql(
CREATE INDEX work_orders_by_asset ON work_orders (site, asset_id, id);
)sql",
    // 19: floor plans (core/floor_plan.hpp), one per building and floor, placed on the site's
    // coordinates in metres. The floor map finds a floor's assets by place.
    R"sql(
CREATE TABLE floor_plans (
  id           INTEGER PRIMARY KEY,  -- A rowid table: the images are large.
  site         TEXT NOT NULL,
  building     TEXT NOT NULL,
  floor        INTEGER NOT NULL,
  media_type   TEXT NOT NULL,
  width_px     REAL NOT NULL,
  height_px    REAL NOT NULL,
  origin_x_m   REAL NOT NULL,
  origin_y_m   REAL NOT NULL,
  width_m      REAL NOT NULL,
  image        BLOB NOT NULL,
  imported_at  INTEGER NOT NULL,
  imported_by  TEXT NOT NULL,
  UNIQUE (site, building, floor)
);
)sql",
    // 20: alarms from telemetry (core/alarm.hpp). The alarm worker reads the telemetry after
    // its cursor, remembers each sensor's last state, sums closing times per day for drift, and
    // keeps at most one alarm of a kind per asset that is not closed. It starts at the end of
    // the telemetry already stored: history does not raise alarms.
    R"sql(
CREATE TABLE alarms (
  id               INTEGER PRIMARY KEY,
  site             TEXT NOT NULL,
  asset_id         TEXT NOT NULL,
  kind             TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'open',  -- open | acknowledged | closed
  raised_at        INTEGER NOT NULL,
  detail           TEXT NOT NULL,
  evidence         TEXT NOT NULL,                 -- JSON: the readings it rests on
  work_order_id    INTEGER,
  acknowledged_by  TEXT,
  acknowledged_at  INTEGER,
  closed_by        TEXT,
  closed_at        INTEGER,
  close_reason     TEXT,
  clear_evidence   TEXT
);
CREATE UNIQUE INDEX alarms_one_active ON alarms (site, asset_id, kind) WHERE status != 'closed';
CREATE INDEX alarms_by_status ON alarms (site, status, id);
CREATE INDEX alarms_by_asset ON alarms (site, asset_id, id);
CREATE TABLE sensor_memory (
  site            TEXT NOT NULL,
  asset_id        TEXT NOT NULL,
  last_seen       INTEGER NOT NULL,
  last_state      TEXT,
  last_state_at   INTEGER NOT NULL,
  last_state_msg  TEXT NOT NULL,
  PRIMARY KEY (site, asset_id)
) WITHOUT ROWID;
CREATE TABLE closing_days (
  site      TEXT NOT NULL,
  asset_id  TEXT NOT NULL,
  day       INTEGER NOT NULL,  -- Days since 1970-01-01, UTC.
  closings  INTEGER NOT NULL,
  sum_ms    INTEGER NOT NULL,
  PRIMARY KEY (site, asset_id, day)
) WITHOUT ROWID;
CREATE TABLE alarm_cursor (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  telemetry_id  INTEGER NOT NULL
);
INSERT INTO alarm_cursor SELECT 1, coalesce(max(id), 0) FROM telemetry;
)sql",
    // 21: notifications (core/notification.hpp). Subscriptions; the notifier's cursor over
    // each source (starting at its end: history is not sent); one delivery per event and
    // subscription, whatever happens to the gateway in between.
    R"sql(
CREATE TABLE subscriptions (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  customer     TEXT NOT NULL,   -- '' = every customer
  site         TEXT NOT NULL,   -- '' = every site
  events       TEXT NOT NULL,   -- comma-separated kinds
  channel      TEXT NOT NULL,   -- webhook | email
  target       TEXT NOT NULL,
  secret       TEXT NOT NULL,
  digest_hour  INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  removed_at   INTEGER
);
CREATE TABLE notification_cursor (
  source   TEXT PRIMARY KEY,
  last_id  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO notification_cursor VALUES
  ('alarms', (SELECT coalesce(max(id), 0) FROM alarms)),
  ('work_orders', (SELECT coalesce(max(id), 0) FROM work_orders)),
  ('inspections', (SELECT coalesce(max(id), 0) FROM inspections));
CREATE TABLE deliveries (
  id               INTEGER PRIMARY KEY,
  subscription_id  INTEGER NOT NULL,
  event_key        TEXT NOT NULL,
  event_kind       TEXT NOT NULL,
  site             TEXT NOT NULL,
  title            TEXT NOT NULL,
  body             TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | failed
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  delivered_at     INTEGER,
  UNIQUE (subscription_id, event_key)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_status ON deliveries (status, id);
)sql",
    // 22: the alarm worker keeps sensors' memory in its own and writes it back every minute;
    // sensor_memory is that checkpoint, as of telemetry id `memory_telemetry_id`. Until now it
    // was written with every batch, so it is as of the cursor.
    R"sql(
ALTER TABLE alarm_cursor ADD COLUMN memory_telemetry_id INTEGER NOT NULL DEFAULT 0;
UPDATE alarm_cursor SET memory_telemetry_id = telemetry_id;
)sql",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

void Migrate(Database& db) { MigrateTo(db, LatestSchemaVersion()); }

std::string SlowUpgradeNote(Database& db, int from_version) {
  constexpr int kTelemetryRebuilt = 10;  // Migration 10 copies every telemetry row.
  if (from_version < 1 || from_version >= kTelemetryRebuilt) return {};
  return "version 10 rebuilds the telemetry table (" +
         std::to_string(db.QueryInt("SELECT coalesce(max(id), 0) FROM telemetry")) +
         " readings; about 7 s per million on the project machine, docs/operations.md)";
}

int SchemaVersion(Database& db) {
  db.QueryInt("SELECT count(*) FROM sqlite_master");
  return static_cast<int>(db.QueryInt("PRAGMA user_version"));
}

void MigrateTo(Database& db, int target_version) {
  if (target_version < 0 || target_version > LatestSchemaVersion()) {
    throw StoreError(SQLITE_MISUSE, "no schema version " + std::to_string(target_version));
  }
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
      done = version >= target_version;
      if (done) return;
      db.Exec(kMigrations[version]);
      db.Exec("PRAGMA user_version = " + std::to_string(version + 1));
    });
  }
}

}  // namespace fieldproof::store
