#include "gateway/store/alarm_store.hpp"

#include "gateway/codec/alarm_codec.hpp"
#include "gateway/store/owner_filter.hpp"
#include "gateway/store/read_page.hpp"
#include "gateway/store/work_orders.hpp"

namespace fieldproof::store {
namespace {

constexpr std::string_view kAlarmColumns =
    "id, site, asset_id, kind, status, raised_at, detail, evidence, work_order_id, acknowledged_by, "
    "acknowledged_at, closed_by, closed_at, close_reason, clear_evidence";

core::AlarmRecord ReadAlarm(const Statement& s) {
  core::AlarmRecord a;
  a.id = s.Int("id");
  a.site = s.Text("site");
  a.asset_id = s.Text("asset_id");
  a.kind = core::AlarmKindFromString(s.Text("kind")).value_or(core::AlarmKind::kSensorSilent);
  a.status = core::AlarmStatusFromString(s.Text("status")).value_or(core::AlarmStatus::kOpen);
  a.raised_at = s.Int("raised_at");
  a.detail = s.Text("detail");
  a.evidence = codec::DecodeAlarmEvidence(s.Text("evidence"));
  if (const auto order = s.OptionalInt("work_order_id")) a.work_order = WorkOrderRef(*order);
  a.acknowledged_by = s.OptionalText("acknowledged_by").value_or("");
  a.acknowledged_at = s.OptionalInt("acknowledged_at");
  a.closed_by = s.OptionalText("closed_by").value_or("");
  a.closed_at = s.OptionalInt("closed_at");
  a.close_reason = s.OptionalText("close_reason").value_or("");
  a.clear_evidence = codec::DecodeAlarmEvidence(s.OptionalText("clear_evidence").value_or(""));
  return a;
}

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> CountActiveAlarmsByKind(Database& db) {
  auto s = db.Prepare("SELECT kind, count(*) AS n FROM alarms WHERE status != 'closed' GROUP BY kind ORDER BY kind");
  std::vector<std::pair<std::string, std::int64_t>> counts;
  while (s.Step()) counts.emplace_back(s.Text("kind"), s.Int("n"));
  return counts;
}

std::int64_t AlarmStore::Cursor() {
  auto& s = sql_.Get("SELECT telemetry_id FROM alarm_cursor WHERE id = 1");
  const std::int64_t cursor = s.Step() ? s.Int("telemetry_id") : 0;
  s.Reset();
  return cursor;
}

void AlarmStore::SetCursor(std::int64_t telemetry_id) {
  sql_.Get("UPDATE alarm_cursor SET telemetry_id = ? WHERE id = 1").Bind(1, telemetry_id).Run();
}

std::vector<UnreadTelemetry> AlarmStore::UnreadAfter(std::int64_t cursor, std::int64_t limit) {
  auto& s = sql_.Get(
      "SELECT t.id, t.site, t.asset_id, coalesce(a.asset_type, '') AS asset_type, t.payload FROM telemetry t "
      "LEFT JOIN assets a ON a.site = t.site AND a.asset_id = t.asset_id WHERE t.id > ? ORDER BY t.id LIMIT ?");
  s.Bind(1, cursor).Bind(2, limit);
  std::vector<UnreadTelemetry> rows;
  while (s.Step()) {
    rows.push_back({s.Int("id"), s.Text("site"), s.Text("asset_id"), s.Text("asset_type"), s.Text("payload")});
  }
  return rows;
}

std::vector<RememberedSensor> AlarmStore::Memories() {
  auto s = db_.Prepare(
      "SELECT m.site, m.asset_id, a.asset_type, m.last_seen, m.last_state, m.last_state_at, m.last_state_msg "
      "FROM sensor_memory m JOIN assets a ON a.site = m.site AND a.asset_id = m.asset_id");
  std::vector<RememberedSensor> sensors;
  while (s.Step()) {
    RememberedSensor r{s.Text("site"), s.Text("asset_id"), s.Text("asset_type"), {}};
    r.memory.last_seen = s.Int("last_seen");
    if (const auto state = s.OptionalText("last_state")) r.memory.last_state = core::ParseShutterState(*state);
    r.memory.last_state_at = s.Int("last_state_at");
    r.memory.last_state_msg = s.Text("last_state_msg");
    sensors.push_back(std::move(r));
  }
  return sensors;
}

std::int64_t AlarmStore::MemoryCheckpoint() {
  return db_.QueryInt("SELECT memory_telemetry_id FROM alarm_cursor WHERE id = 1");
}

void AlarmStore::SaveMemory(const std::string& site, const std::string& asset_id, const core::SensorMemory& m) {
  auto& s = sql_.Get(
      "INSERT INTO sensor_memory (site, asset_id, last_seen, last_state, last_state_at, last_state_msg) "
      "VALUES (?,?,?,?,?,?) ON CONFLICT (site, asset_id) DO UPDATE SET last_seen = excluded.last_seen, "
      "last_state = excluded.last_state, last_state_at = excluded.last_state_at, "
      "last_state_msg = excluded.last_state_msg");
  s.Bind(1, site).Bind(2, asset_id).Bind(3, m.last_seen);
  s.BindOptional(4, m.last_state ? std::optional<std::string>(std::string(core::ToString(*m.last_state)))
                                 : std::nullopt);
  s.Bind(5, m.last_state_at).Bind(6, m.last_state_msg).Run();
}

void AlarmStore::SetMemoryCheckpoint(std::int64_t telemetry_id) {
  sql_.Get("UPDATE alarm_cursor SET memory_telemetry_id = ? WHERE id = 1").Bind(1, telemetry_id).Run();
}

std::map<std::pair<std::string, std::string>, core::OpenAlarms> AlarmStore::ActiveByAsset() {
  auto& s = sql_.Get("SELECT site, asset_id, kind FROM alarms WHERE status != 'closed'");
  std::map<std::pair<std::string, std::string>, core::OpenAlarms> open;
  while (s.Step()) {
    if (const auto kind = core::AlarmKindFromString(s.Text("kind"))) {
      open[{s.Text("site"), s.Text("asset_id")}][static_cast<std::size_t>(*kind)] = true;
    }
  }
  return open;
}

void AlarmStore::Apply(const std::string& site, const std::string& asset_id, const core::AlarmChange& c,
                       bool work_order, core::UnixMillis now) {
  const std::string kind(core::ToString(c.kind));
  const std::string evidence = codec::EncodeAlarmEvidence(c.evidence);
  if (!c.raise) {
    sql_.Get("UPDATE alarms SET status = 'closed', closed_by = ?, closed_at = ?, close_reason = ?, "
             "clear_evidence = ? WHERE site = ? AND asset_id = ? AND kind = ? AND status != 'closed'")
        .Bind(1, core::kClearedByReading).Bind(2, now).Bind(3, c.detail).Bind(4, evidence)
        .Bind(5, site).Bind(6, asset_id).Bind(7, kind)
        .Run();
    return;
  }
  std::optional<std::int64_t> order;
  if (work_order) {
    auto& insert = sql_.Get(
        "INSERT INTO work_orders (site, asset_id, inspection_id, defect_code, severity, note, created_at) "
        "VALUES (?, ?, 0, ?, 'major', ?, ?) RETURNING id");
    insert.Bind(1, site).Bind(2, asset_id).Bind(3, "alarm_" + kind).Bind(4, c.detail).Bind(5, now);
    if (insert.Step()) order = insert.Int(0);
    insert.Reset();
  }
  sql_.Get("INSERT INTO alarms (site, asset_id, kind, raised_at, detail, evidence, work_order_id) "
           "VALUES (?,?,?,?,?,?,?)")
      .Bind(1, site).Bind(2, asset_id).Bind(3, kind).Bind(4, c.at).Bind(5, c.detail).Bind(6, evidence)
      .BindOptional(7, order)
      .Run();
}

void AlarmStore::AddClosing(const std::string& site, const std::string& asset_id, core::UnixMillis at,
                            std::int64_t ms) {
  sql_.Get("INSERT INTO closing_days (site, asset_id, day, closings, sum_ms) VALUES (?,?,?,1,?) "
           "ON CONFLICT (site, asset_id, day) DO UPDATE SET closings = closings + 1, sum_ms = sum_ms + excluded.sum_ms")
      .Bind(1, site).Bind(2, asset_id).Bind(3, core::DayNumber(at)).Bind(4, ms)
      .Run();
}

core::ClosingWindow AlarmStore::Closings(const std::string& site, const std::string& asset_id,
                                         std::int64_t first_day, std::int64_t last_day) {
  auto& s = sql_.Get(
      "SELECT coalesce(sum(closings), 0) AS closings, coalesce(sum(sum_ms), 0) AS sum_ms FROM closing_days "
      "WHERE site = ? AND asset_id = ? AND day BETWEEN ? AND ?");
  s.Bind(1, site).Bind(2, asset_id).Bind(3, first_day).Bind(4, last_day);
  core::ClosingWindow w{0, 0, first_day * core::kDay, (last_day + 1) * core::kDay - 1};
  if (s.Step()) {
    w.closings = s.Int("closings");
    w.mean_ms = w.closings > 0 ? static_cast<double>(s.Int("sum_ms")) / static_cast<double>(w.closings) : 0;
    s.Reset();
  }
  return w;
}

core::Page<core::AlarmRecord> AlarmStore::List(const AlarmFilter& f, core::PageRequest page) {
  auto s = db_.Prepare(
      "SELECT " + std::string(kAlarmColumns) + " FROM alarms a WHERE site = ?1 AND " +
      (f.asset_id.empty() ? "?2 = ''" : "asset_id = ?2") +
      " AND (?3 = '' OR status = ?3 OR (?3 = 'active' AND status != 'closed')) AND " + OwnedBy("a", 4) +
      " ORDER BY id DESC LIMIT ?5 OFFSET ?6");
  s.Bind(1, f.site).Bind(2, f.asset_id).Bind(3, f.status).Bind(4, f.owner);
  s.Bind(5, page.limit + 1).Bind(6, page.offset);
  return ReadPage<core::AlarmRecord>(s, page, ReadAlarm);
}

std::optional<core::AlarmRecord> AlarmStore::Find(std::int64_t id, const std::string& owner) {
  auto s = db_.Prepare("SELECT " + std::string(kAlarmColumns) + " FROM alarms a WHERE id = ?1 AND " + OwnedBy("a", 2));
  s.Bind(1, id).Bind(2, owner);
  if (!s.Step()) return std::nullopt;
  auto alarm = ReadAlarm(s);
  s.Reset();
  return alarm;
}

void AlarmStore::Acknowledge(std::int64_t id, const std::string& by, core::UnixMillis now) {
  InTransaction(db_, [&] {
    db_.Prepare("UPDATE alarms SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? "
                "WHERE id = ? AND status = 'open'")
        .Bind(1, by).Bind(2, now).Bind(3, id)
        .Run();
  });
}

void AlarmStore::Close(std::int64_t id, const std::string& by, const std::string& reason, core::UnixMillis now) {
  InTransaction(db_, [&] {
    db_.Prepare("UPDATE alarms SET status = 'closed', closed_by = ?, closed_at = ?, close_reason = ? "
                "WHERE id = ? AND status != 'closed'")
        .Bind(1, by).Bind(2, now).Bind(3, reason).Bind(4, id)
        .Run();
  });
}

}  // namespace fieldproof::store
