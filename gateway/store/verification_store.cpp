#include "gateway/store/verification_store.hpp"

#include <algorithm>

#include "gateway/codec/message_codec.hpp"

namespace fieldproof::store {
namespace {

// The columns of tap_evidence that describe one assessed tap.
constexpr const char* kEvidenceColumns =
    "e.tap_id AS tap_id, e.asset_id AS asset_id, coalesce(e.tag_uid, '') AS tag_uid, "
    "e.read_counter AS read_counter, e.read_at AS read_at, e.legacy AS legacy, "
    "e.authentic AS authentic, e.tag_detail AS tag_detail, e.freshness AS freshness, "
    "e.freshness_detail AS freshness_detail, e.timing AS timing, "
    "e.timing_detail AS timing_detail, t.msg_id AS msg_id, e.clock_offset_ms AS clock_offset_ms";

core::AssessedTap ReadAssessed(const Statement& row) {
  core::AssessedTap x;
  x.tap_id = row.Int("tap_id");
  x.asset_id = row.OptionalText("asset_id");
  if (const auto counter = row.OptionalInt("read_counter")) {
    x.counter = static_cast<std::uint32_t>(*counter);
  }
  x.clock_offset = row.Int("clock_offset_ms");
  core::TapEvidence& ev = x.evidence;
  ev.msg_id = row.Text("msg_id");
  ev.uid = row.Text("tag_uid");
  ev.read_at = row.Int("read_at");
  ev.legacy_uid = row.Int("legacy") != 0;
  ev.authentic = row.Int("authentic") != 0;
  ev.tag_detail = row.Text("tag_detail");
  ev.freshness = {core::ParseFreshness(row.Text("freshness")).value_or(core::Freshness::kReplay),
                  row.Text("freshness_detail")};
  ev.timing = {core::ParseTiming(row.Text("timing")).value_or(core::Timing::kImpossible),
               row.Text("timing_detail")};
  return x;
}

}  // namespace

std::vector<StoredTap> VerificationStore::UnassessedTaps(std::size_t limit) {
  auto& s = sql_.Get(
      "SELECT id, received_at, payload FROM taps WHERE assessed = 0 ORDER BY id LIMIT ?");
  s.Bind(1, static_cast<std::int64_t>(limit));
  std::vector<StoredTap> taps;
  while (s.Step()) {
    auto tap = codec::DecodeTap(s.Text("payload"));
    if (tap.ok()) taps.push_back({s.Int("id"), s.Int("received_at"), std::move(tap).value()});
  }
  return taps;
}

std::optional<StoredTap> VerificationStore::FindTap(std::int64_t tap_id) {
  auto& s = sql_.Get("SELECT received_at, payload FROM taps WHERE id = ?");
  s.Bind(1, tap_id);
  if (!s.Step()) return std::nullopt;
  auto tap = codec::DecodeTap(s.Text("payload"));
  const core::UnixMillis received_at = s.Int("received_at");
  s.Reset();
  if (!tap.ok()) return std::nullopt;
  return StoredTap{tap_id, received_at, std::move(tap).value()};
}

void VerificationStore::MarkAssessed(std::int64_t tap_id) {
  sql_.Get("UPDATE taps SET assessed = 1 WHERE id = ?").Bind(1, tap_id).Run();
}

std::vector<core::ClockSample> VerificationStore::RecentSends(const std::string& site,
                                                              const std::string& device_id,
                                                              std::int64_t up_to_tap,
                                                              std::int64_t limit) {
  auto& s = sql_.Get(
      "SELECT sent_at, received_at FROM taps WHERE site = ? AND device_id = ? AND id <= ? "
      "ORDER BY id DESC LIMIT ?");
  s.Bind(1, site).Bind(2, device_id).Bind(3, up_to_tap).Bind(4, limit);
  std::vector<core::ClockSample> samples;
  while (s.Step()) samples.push_back({s.Int("sent_at"), s.Int("received_at")});
  std::reverse(samples.begin(), samples.end());
  return samples;
}

core::UnixMillis VerificationStore::SensorClockOffset(const std::string& site,
                                                      const std::string& asset_id) {
  // Intake keeps each sensor's smallest delays (EventStore, migration 9).
  auto& s = sql_.Get(
      "SELECT min(delay_min, coalesce(previous_delay_min, delay_min)) AS clock_offset "
      "FROM sensor_clocks WHERE site = ? AND asset_id = ?");
  s.Bind(1, site).Bind(2, asset_id);
  const core::UnixMillis offset = s.Step() ? s.Int("clock_offset") : 0;
  s.Reset();
  return offset;
}

std::vector<core::TimedReading> VerificationStore::TelemetryBetween(const std::string& site,
                                                                    const std::string& asset_id,
                                                                    core::UnixMillis from,
                                                                    core::UnixMillis to) {
  auto& s = sql_.Get(
      "SELECT device_time, payload FROM telemetry WHERE site = ? AND asset_id = ? "
      "AND device_time BETWEEN ? AND ?");
  s.Bind(1, site).Bind(2, asset_id).Bind(3, from).Bind(4, to);
  std::vector<core::TimedReading> readings;
  while (s.Step()) {
    auto telemetry = codec::DecodeTelemetry(s.Text("payload"));
    if (!telemetry.ok()) continue;
    for (auto& reading : telemetry.value().readings) {
      readings.push_back({s.Int("device_time"), std::move(reading)});
    }
  }
  return readings;
}

// Two lookups on the primary key, however many reads the tag has.
std::vector<core::SeenRead> VerificationStore::NeighbourReads(const std::string& site,
                                                              const std::string& uid,
                                                              std::uint32_t counter,
                                                              bool exclude_equal) {
  std::vector<core::SeenRead> neighbours;
  for (const char* sql :
       {exclude_equal ? "SELECT read_counter, read_at FROM tag_reads WHERE site = ? AND "
                        "tag_uid = ? AND read_counter < ? ORDER BY read_counter DESC LIMIT 1"
                      : "SELECT read_counter, read_at FROM tag_reads WHERE site = ? AND "
                        "tag_uid = ? AND read_counter <= ? ORDER BY read_counter DESC LIMIT 1",
        "SELECT read_counter, read_at FROM tag_reads WHERE site = ? AND tag_uid = ? "
        "AND read_counter > ? ORDER BY read_counter LIMIT 1"}) {
    auto& s = sql_.Get(sql);
    s.Bind(1, site).Bind(2, uid).Bind(3, static_cast<std::int64_t>(counter));
    if (s.Step()) {
      neighbours.push_back({static_cast<std::uint32_t>(s.Int("read_counter")), s.Int("read_at")});
    }
    s.Reset();
  }
  return neighbours;
}

void VerificationStore::KeepRead(const std::string& site, const std::string& uid,
                                 std::uint32_t counter, core::UnixMillis read_at,
                                 std::int64_t tap_id) {
  sql_.Get(
          "INSERT OR REPLACE INTO tag_reads (site, tag_uid, read_counter, read_at, tap_id) "
          "VALUES (?,?,?,?,?)")
      .Bind(1, site)
      .Bind(2, uid)
      .Bind(3, static_cast<std::int64_t>(counter))
      .Bind(4, read_at)
      .Bind(5, tap_id)
      .Run();
}

std::int64_t VerificationStore::OtherHandheldReads(const std::string& site, const std::string& uid,
                                                   std::int64_t above, std::int64_t below,
                                                   const std::string& device_id) {
  auto& s = sql_.Get(
      "SELECT count(*) AS reads FROM tag_reads r JOIN taps t ON t.id = r.tap_id WHERE "
      "r.site = ? AND r.tag_uid = ? AND r.read_counter > ? AND r.read_counter < ? "
      "AND t.device_id <> ?");
  s.Bind(1, site).Bind(2, uid).Bind(3, above).Bind(4, below).Bind(5, device_id);
  const std::int64_t reads = s.Step() ? s.Int("reads") : 0;
  s.Reset();
  return reads;
}

void VerificationStore::SaveEvidence(const StoredTap& p, const core::AssessedTap& x) {
  const core::TapEvidence& ev = x.evidence;
  auto& insert = sql_.Get(
      "INSERT INTO tap_evidence (tap_id, site, device_id, kind, asset_id, tag_uid, "
      "read_counter, read_at, clock_offset_ms, legacy, authentic, tag_detail, freshness, "
      "freshness_detail, timing, timing_detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, p.id).Bind(2, p.tap.site).Bind(3, p.tap.device_id);
  insert.Bind(4, core::ToString(p.tap.kind)).BindOptional(5, x.asset_id);
  insert.BindOrNull(6, ev.uid).BindOptional(7, x.counter);
  insert.Bind(8, ev.read_at).Bind(9, x.clock_offset).Bind(10, ev.legacy_uid ? 1 : 0);
  insert.Bind(11, ev.authentic ? 1 : 0).Bind(12, ev.tag_detail);
  insert.Bind(13, core::ToString(ev.freshness.outcome)).Bind(14, ev.freshness.detail);
  insert.Bind(15, core::ToString(ev.timing.outcome)).Bind(16, ev.timing.detail);
  insert.Run();
}

void VerificationStore::UpdateEvidence(const core::AssessedTap& x) {
  const core::TapEvidence& ev = x.evidence;
  sql_.Get(
          "UPDATE tap_evidence SET read_at = ?, clock_offset_ms = ?, timing = ?, "
          "timing_detail = ?, freshness = ?, freshness_detail = ? WHERE tap_id = ?")
      .Bind(1, ev.read_at)
      .Bind(2, x.clock_offset)
      .Bind(3, core::ToString(ev.timing.outcome))
      .Bind(4, ev.timing.detail)
      .Bind(5, core::ToString(ev.freshness.outcome))
      .Bind(6, ev.freshness.detail)
      .Bind(7, x.tap_id)
      .Run();
}

std::optional<core::AssessedTap> VerificationStore::FindEvidence(std::int64_t tap_id) {
  auto& s = sql_.Get(std::string("SELECT ") + kEvidenceColumns +
                     " FROM tap_evidence e JOIN taps t ON t.id = e.tap_id WHERE e.tap_id = ?");
  s.Bind(1, tap_id);
  if (!s.Step()) return std::nullopt;
  core::AssessedTap x = ReadAssessed(s);
  s.Reset();
  return x;
}

std::optional<core::AssessedTap> VerificationStore::OpenStart(const OpenStartQuery& q) {
  const std::string select = std::string("SELECT ") + kEvidenceColumns +
                             " FROM tap_evidence e JOIN taps t ON t.id = e.tap_id "
                             "WHERE e.site = ? AND e.device_id = ? AND e.kind = 'start' "
                             "AND e.inspection_id IS NULL AND e.read_at BETWEEN ? AND ? ";
  auto& s = q.tag_uid ? sql_.Get(select +
                                 "AND e.tag_uid = ? AND (e.read_counter IS NULL OR "
                                 "e.read_counter < ?) ORDER BY e.read_at DESC LIMIT 1")
                      : sql_.Get(select + "ORDER BY e.read_at DESC LIMIT 1");
  s.Bind(1, q.site).Bind(2, q.device_id).Bind(3, q.read_from).Bind(4, q.read_to);
  if (q.tag_uid) s.Bind(5, *q.tag_uid).Bind(6, q.below_counter);
  if (!s.Step()) return std::nullopt;
  core::AssessedTap start = ReadAssessed(s);
  s.Reset();
  return start;
}

void VerificationStore::AddWaitingEnd(const StoredTap& end, const core::AssessedTap& x,
                                      core::UnixMillis now) {
  auto& wait = sql_.Get(
      "INSERT INTO waiting_end_taps (tap_id, site, device_id, tag_uid, read_counter, read_at, "
      "since) VALUES (?,?,?,?,?,?,?)");
  wait.Bind(1, end.id).Bind(2, end.tap.site).Bind(3, end.tap.device_id);
  wait.BindOrNull(4, x.evidence.uid).BindOptional(5, x.counter);
  wait.Bind(6, x.evidence.read_at).Bind(7, now).Run();
}

void VerificationStore::RemoveWaitingEnd(std::int64_t tap_id) {
  sql_.Get("DELETE FROM waiting_end_taps WHERE tap_id = ?").Bind(1, tap_id).Run();
}

std::optional<WaitingEnd> VerificationStore::WaitingEndFor(
    const std::string& site, const std::string& device_id,
    const std::optional<std::string>& tag_uid, core::UnixMillis read_from,
    core::UnixMillis read_to, std::int64_t above_counter) {
  auto& s = sql_.Get(
      "SELECT tap_id, read_counter FROM waiting_end_taps WHERE site = ? AND device_id = ? "
      "AND tag_uid IS ? AND read_at BETWEEN ? AND ? "
      "AND (read_counter IS NULL OR read_counter > ?) ORDER BY read_at LIMIT 1");
  s.Bind(1, site).Bind(2, device_id).BindOptional(3, tag_uid);
  s.Bind(4, read_from).Bind(5, read_to).Bind(6, above_counter);
  if (!s.Step()) return std::nullopt;
  WaitingEnd end{s.Int("tap_id"), s.OptionalInt("read_counter")};
  s.Reset();
  return end;
}

std::vector<std::int64_t> VerificationStore::WaitingEndsSince(core::UnixMillis since,
                                                              std::int64_t limit) {
  auto& s = sql_.Get(
      "SELECT tap_id FROM waiting_end_taps WHERE since <= ? ORDER BY since LIMIT ?");
  s.Bind(1, since).Bind(2, limit);
  std::vector<std::int64_t> ids;
  while (s.Step()) ids.push_back(s.Int("tap_id"));
  return ids;
}

// Rejected inspections prove no presence and are left out (the partial indexes of
// migration 12).
std::optional<TechnicianVisit> VerificationStore::Visit(
    const std::string& where_order, const std::string& site, const std::string& technician_id,
    std::initializer_list<core::UnixMillis> times) {
  auto& s = sql_.Get(
      "SELECT id, asset_id, device_id, started_at, ended_at FROM inspections "
      "WHERE site = ? AND technician_id = ? AND asset_id IS NOT NULL "
      "AND verdict <> 'rejected' " + where_order);
  s.Bind(1, site).Bind(2, technician_id);
  int index = 3;
  for (const core::UnixMillis t : times) s.Bind(index++, t);
  if (!s.Step()) return std::nullopt;
  TechnicianVisit v{{s.Int("id"), {}, s.Text("device_id"), s.Int("started_at"), s.Int("ended_at")},
                    s.Text("asset_id")};
  v.visit.asset.asset_id = v.asset_id;
  s.Reset();
  return v;
}

std::optional<TechnicianVisit> VerificationStore::VisitEndedBefore(
    const std::string& site, const std::string& technician_id, core::UnixMillis at) {
  return Visit("AND ended_at <= ? ORDER BY ended_at DESC LIMIT 1", site, technician_id, {at});
}

std::optional<TechnicianVisit> VerificationStore::VisitStartedAfter(
    const std::string& site, const std::string& technician_id, core::UnixMillis at) {
  return Visit("AND started_at >= ? ORDER BY started_at LIMIT 1", site, technician_id, {at});
}

std::optional<TechnicianVisit> VerificationStore::OverlappingVisit(
    const std::string& site, const std::string& technician_id, core::UnixMillis from,
    core::UnixMillis start, core::UnixMillis end) {
  return Visit("AND started_at >= ? AND started_at < ? AND ended_at > ? ORDER BY started_at LIMIT 1",
               site, technician_id, {from, end, start});
}

std::vector<std::string> VerificationStore::MissingPhotos(const std::vector<std::string>& hashes) {
  std::vector<std::string> missing;
  auto& s = sql_.Get("SELECT 1 FROM photos WHERE sha256 = ?");
  for (const auto& hash : hashes) {
    s.Bind(1, hash);
    if (!s.Step()) missing.push_back(hash);
    s.Reset();
  }
  return missing;
}

std::int64_t VerificationStore::SaveInspection(const InspectionRow& row,
                                               const core::Assessment& assessment) {
  auto& insert = sql_.Get(
      "INSERT INTO inspections (site, asset_id, technician_id, device_id, start_tap_id, "
      "end_tap_id, started_at, ended_at, verdict, strength, result, checklist, defects, "
      "assessed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, row.site).BindOptional(2, row.asset_id).Bind(3, row.technician_id);
  insert.Bind(4, row.device_id).Bind(5, row.start_tap_id).Bind(6, row.end_tap_id);
  insert.Bind(7, row.started_at).Bind(8, row.ended_at);
  insert.Bind(9, core::ToString(assessment.verdict)).Bind(10, core::ToString(assessment.strength));
  insert.BindOptional(11, row.result).Bind(12, row.checklist).Bind(13, row.defects);
  insert.Bind(14, row.assessed_at);
  insert.Run();
  const std::int64_t inspection_id = db_.LastInsertRowId();
  auto& check = sql_.Get(
      "INSERT INTO inspection_checks (inspection_id, seq, name, status, detail) "
      "VALUES (?,?,?,?,?)");
  for (std::size_t i = 0; i < assessment.checks.size(); ++i) {
    const core::Check& c = assessment.checks[i];
    check.Bind(1, inspection_id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, c.name);
    check.Bind(4, core::ToString(c.status)).Bind(5, c.detail).Run();
  }
  auto& photo = sql_.Get(
      "INSERT OR IGNORE INTO inspection_photos (sha256, inspection_id, seq) VALUES (?,?,?)");
  for (std::size_t i = 0; i < row.photos.size(); ++i) {
    photo.Bind(1, row.photos[i]).Bind(2, inspection_id).Bind(3, static_cast<std::int64_t>(i)).Run();
  }
  sql_.Get("UPDATE tap_evidence SET inspection_id = ? WHERE tap_id IN (?, ?)")
      .Bind(1, inspection_id)
      .Bind(2, row.start_tap_id)
      .Bind(3, row.end_tap_id)
      .Run();
  return inspection_id;
}

}  // namespace fieldproof::store
