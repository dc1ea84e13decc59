#include "gateway/verify/tap_verifier.hpp"

#include <algorithm>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/clock_skew.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/crypto/sun_message.hpp"
#include "gateway/store/work_orders.hpp"

namespace fieldproof::verify {
namespace {

constexpr std::int64_t kClockSamples = 50;  // Recent messages for the offset estimate.
constexpr core::UnixMillis kTelemetryMargin = 10 * 60 * 1000;

}  // namespace

struct TapVerifier::PendingTap {
  std::int64_t id;
  core::UnixMillis received_at;
  core::Tap tap;
};

namespace {

// The columns of tap_evidence that describe one assessed tap, in this order.
constexpr const char* kEvidenceColumns =
    "e.tap_id, e.asset_id, coalesce(e.tag_uid, ''), e.read_counter, e.read_at, e.legacy, "
    "e.authentic, e.tag_detail, e.freshness, e.freshness_detail, e.timing, e.timing_detail, t.msg_id, "
    "e.clock_offset_ms";

}  // namespace

TapVerifier::TapVerifier(store::Database& db, VerifierConfig config)
    : db_(db), config_(std::move(config)), chain_(db, crypto::Sha256Hex), registry_(db), sql_(db) {}

void TapVerifier::RecordVerifiedWork(std::int64_t inspection_id, const core::Tap& end,
                                     const core::Asset& asset, core::UnixMillis started_at,
                                     core::UnixMillis ended_at, const core::Assessment& assessment,
                                     core::UnixMillis now, core::VerdictNotice& notice) {
  core::MaintenanceRecord record;
  record.site = end.site;
  record.kind = "inspection";
  record.inspection_id = inspection_id;
  record.asset_id = asset.asset_id;
  record.technician_id = end.technician_id;
  record.started_at = started_at;
  record.ended_at = ended_at;
  record.verdict = std::string(core::ToString(assessment.verdict));
  record.checklist = codec::EncodeChecklist(end.checklist);
  record.defects = codec::EncodeDefects(end.defects);
  record.evidence = codec::EncodeChecks(assessment.checks);
  record.next_due_at = core::NextDueAt(ended_at, asset.interval_days);
  record.recorded_at = now;
  if (end.work_order_id && store::CompleteWorkOrder(db_, end.site, asset.asset_id, *end.work_order_id,
                                                    inspection_id, now)) {
    record.work_order_id = *end.work_order_id;
    notice.work_order_completed = *end.work_order_id;
  }
  notice.work_orders_opened =
      store::OpenWorkOrders(db_, end.site, asset.asset_id, inspection_id, record.defects, now);
  chain_.Append(std::move(record));
}

const crypto::Key128& TapVerifier::MetaKey(const std::string& site) {
  for (const auto& [s, key] : meta_keys_) {
    if (s == site) return key;
  }
  meta_keys_.emplace_back(site, crypto::SiteMetaReadKey(config_.master_key, site));
  return meta_keys_.back().second;
}

core::AssetTypePolicy TapVerifier::PolicyFor(const std::string& asset_type) const {
  for (const auto& policy : config_.asset_types) {
    if (policy.asset_type == asset_type) return policy;
  }
  // No policy: no dwell minimum, no checklist, any closing time; the gaps are visible
  // in the checks' details rather than silently passed.
  return {asset_type, 0, {}, 0, 600000};
}

TapVerifier::DeviceClock TapVerifier::HandheldClock(const std::string& site,
                                                    const std::string& device_id,
                                                    std::int64_t up_to_tap) {
  DeviceClock clock;
  if (!config_.correct_device_clocks) return clock;  // Device times are taken as they are.
  auto& s = sql_.Get(
      "SELECT sent_at, received_at FROM taps WHERE site = ? AND device_id = ? AND id <= ? "
      "ORDER BY id DESC LIMIT ?");
  s.Bind(1, site).Bind(2, device_id).Bind(3, up_to_tap).Bind(4, kClockSamples);
  while (s.Step()) clock.samples.push_back({s.Int(0), s.Int(1)});
  std::reverse(clock.samples.begin(), clock.samples.end());  // Arrival order.
  clock.estimate = core::EstimateClockOffset(clock.samples);
  return clock;
}

core::UnixMillis TapVerifier::SensorClockOffset(const std::string& site,
                                                const std::string& asset_id) {
  if (!config_.correct_device_clocks) return 0;
  // Sensors send at once, so their smallest delay is their clock's offset. Intake keeps it
  // per sensor (EventStore, migration 9).
  auto& s = sql_.Get(
      "SELECT min(delay_min, coalesce(previous_delay_min, delay_min)) FROM sensor_clocks "
      "WHERE site = ? AND asset_id = ?");
  s.Bind(1, site).Bind(2, asset_id);
  const core::UnixMillis offset = s.Step() ? s.Int(0) : 0;
  s.Reset();
  return offset;
}

TapVerifier::AssessedTap TapVerifier::Examine(const PendingTap& pending) {
  const core::Tap& tap = pending.tap;
  AssessedTap x;
  x.tap_id = pending.id;
  core::TapEvidence& ev = x.evidence;
  ev.msg_id = tap.msg_id;
  const DeviceClock clock = HandheldClock(tap.site, tap.device_id, pending.id);
  x.clock_offset = clock.estimate ? clock.estimate->offset : 0;
  ev.read_at = core::CorrectDeviceTime(tap.read_at, x.clock_offset);
  ev.timing = core::CheckTapTiming({tap.read_at, tap.sent_at, pending.received_at}, clock.samples,
                                   clock.estimate, config_.policy.timing);
  ExamineTag(tap, x);
  if (!ev.uid.empty()) {
    if (auto asset = registry_.FindAssetByTag(tap.site, ev.uid)) {
      x.asset_id = asset->asset_id;
    } else {
      ev.tag_detail += "; UID " + ev.uid + " is on no registered asset";
    }
  }
  if (x.counter) {
    ev.freshness = CheckFreshness(tap.site, ev.uid, *x.counter, ev.read_at);
    if (ev.freshness.outcome == core::Freshness::kFresh) KeepRead(tap.site, x, pending.received_at);
  } else if (!ev.legacy_uid) {
    ev.freshness = {core::Freshness::kFresh, "not checked: the tag was not authentic"};
  }
  return x;
}

// The freshness rule's memory. No read happens after it arrives: a time in the future must
// not make the tag's next honest reads look rolled back.
void TapVerifier::KeepRead(const std::string& site, const AssessedTap& x, core::UnixMillis received_at) {
  const core::UnixMillis at = x.evidence.read_at;
  sql_.Get("INSERT OR REPLACE INTO tag_reads (site, tag_uid, read_counter, read_at, tap_id) VALUES (?,?,?,?,?)")
      .Bind(1, site).Bind(2, x.evidence.uid).Bind(3, static_cast<std::int64_t>(*x.counter))
      .Bind(4, config_.correct_device_clocks ? std::min(at, received_at) : at)
      .Bind(5, x.tap_id).Run();
}

void TapVerifier::ExamineTag(const core::Tap& tap, AssessedTap& x) {
  core::TapEvidence& ev = x.evidence;
  if (tap.tag.type == core::TagRead::Type::kUid) {
    ev.legacy_uid = true;
    ev.uid = tap.tag.value;
    ev.tag_detail = "legacy UID tag: no cryptographic proof of presence";
    ev.freshness = {core::Freshness::kFresh, "legacy tag: no read counter to check"};
    return;
  }
  std::string error;
  const auto parts = crypto::ParseSunUrl(tap.tag.value, &error);
  if (!parts) {
    ev.tag_detail = "unreadable SUN message: " + error;
    return;
  }
  const crypto::Key128& master = config_.master_key;
  const auto result = crypto::VerifySun(*parts, MetaKey(tap.site),
                                        [&master](std::span<const std::uint8_t, 7> uid) {
                                          return std::optional(crypto::TagFileReadKey(master, uid));
                                        });
  ev.authentic = result.valid;
  ev.tag_detail = result.valid ? "SUN message verified" : result.reason;
  if (result.valid) {
    ev.uid = crypto::HexEncode(result.uid);
    x.counter = result.read_counter;
  }
}

// Only the reads next to this counter matter: the earlier reads of a tag are in counter
// and time order already (each was fresh when it was kept), so the nearest lower counter
// was read latest among the lower ones and the nearest higher one earliest among the
// higher ones. Two lookups on the primary key, however many reads the tag has.
core::FreshnessCheck TapVerifier::CheckFreshness(const std::string& site, const std::string& uid,
                                                 std::uint32_t counter, core::UnixMillis read_at,
                                                 bool again) {
  std::vector<core::SeenRead> neighbours;
  for (const char* sql :
       {again ? "SELECT read_counter, read_at FROM tag_reads WHERE site = ? AND tag_uid = ? "
                "AND read_counter < ? ORDER BY read_counter DESC LIMIT 1"
              : "SELECT read_counter, read_at FROM tag_reads WHERE site = ? AND tag_uid = ? "
                "AND read_counter <= ? ORDER BY read_counter DESC LIMIT 1",
        "SELECT read_counter, read_at FROM tag_reads WHERE site = ? AND tag_uid = ? "
        "AND read_counter > ? ORDER BY read_counter LIMIT 1"}) {
    auto& s = sql_.Get(sql);
    s.Bind(1, site).Bind(2, uid).Bind(3, static_cast<std::int64_t>(counter));
    if (s.Step()) neighbours.push_back({static_cast<std::uint32_t>(s.Int(0)), s.Int(1)});
    s.Reset();
  }
  return core::CheckFreshness(neighbours, counter, read_at, config_.policy.rollback_tolerance);
}

void TapVerifier::StoreEvidence(const PendingTap& p, const AssessedTap& x) {
  const core::TapEvidence& ev = x.evidence;
  auto& insert = sql_.Get(
      "INSERT INTO tap_evidence (tap_id, site, device_id, kind, asset_id, tag_uid, "
      "read_counter, read_at, clock_offset_ms, legacy, authentic, tag_detail, freshness, "
      "freshness_detail, timing, timing_detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, p.id).Bind(2, p.tap.site).Bind(3, p.tap.device_id).Bind(4, core::ToString(p.tap.kind));
  insert.BindOptional(5, x.asset_id);
  insert.BindOptional(6, ev.uid.empty() ? std::nullopt : std::optional(ev.uid));
  if (x.counter) {
    insert.Bind(7, static_cast<std::int64_t>(*x.counter));
  } else {
    insert.BindNull(7);
  }
  insert.Bind(8, ev.read_at).Bind(9, x.clock_offset).Bind(10, ev.legacy_uid ? 1 : 0)
      .Bind(11, ev.authentic ? 1 : 0).Bind(12, ev.tag_detail)
      .Bind(13, core::ToString(ev.freshness.outcome)).Bind(14, ev.freshness.detail)
      .Bind(15, core::ToString(ev.timing.outcome)).Bind(16, ev.timing.detail);
  insert.Run();
}

AssessReport TapVerifier::AssessPending(std::size_t max_taps, core::UnixMillis now) {
  AssessReport report;
  store::InTransaction(db_, [&] {
    std::vector<PendingTap> pending;
    {
      auto& s = sql_.Get(
          "SELECT id, received_at, payload FROM taps WHERE assessed = 0 ORDER BY id LIMIT ?");
      s.Bind(1, static_cast<std::int64_t>(max_taps));
      while (s.Step()) {
        auto tap = codec::DecodeTap(s.Text(2));  // Stored only after it decoded.
        if (tap.ok()) pending.push_back({s.Int(0), s.Int(1), std::move(tap).value()});
      }
    }
    for (const PendingTap& p : pending) {
      const AssessedTap x = Examine(p);
      StoreEvidence(p, x);
      const auto notice = p.tap.kind == core::TapKind::kEnd ? OnEndTap(p, x, now) : OnStartTap(p, x, now);
      if (notice) report.notices.push_back(*notice);
      sql_.Get("UPDATE taps SET assessed = 1 WHERE id = ?").Bind(1, p.id).Run();
      ++report.taps;
    }
    // Only once the stored taps are all assessed: a start may be among the rest.
    if (pending.size() < max_taps) ExpireWaitingEnds(now, report);
  });
  return report;
}

// An end tap closes its start at once when the start is here; otherwise it waits (an
// outbox that sends out of order, a resend after a reconnect).
std::optional<OutgoingVerdict> TapVerifier::OnEndTap(const PendingTap& end, const AssessedTap& x,
                                                     core::UnixMillis now) {
  if (auto start = OpenStartFor(end.tap, x, /*any_tag=*/x.evidence.uid.empty())) {
    return CloseSession(end, x, *start, now);
  }
  auto& wait = sql_.Get(
      "INSERT INTO waiting_end_taps (tap_id, site, device_id, tag_uid, read_counter, read_at, since) "
      "VALUES (?,?,?,?,?,?,?)");
  wait.Bind(1, end.id).Bind(2, end.tap.site).Bind(3, end.tap.device_id);
  wait.BindOptional(4, x.evidence.uid.empty() ? std::nullopt : std::optional(x.evidence.uid));
  if (x.counter) {
    wait.Bind(5, static_cast<std::int64_t>(*x.counter));
  } else {
    wait.BindNull(5);
  }
  wait.Bind(6, x.evidence.read_at).Bind(7, now).Run();
  return std::nullopt;
}

// A start tap that arrived after its end closes the end's session when the tag shows that
// nothing of this handheld came between them: every read between the two counters is
// another handheld's. Otherwise an older start may be emptying out of an outbox ahead of
// the true one, and the end goes on waiting; when its wait is over it takes the best start
// that has arrived by then.
std::optional<OutgoingVerdict> TapVerifier::OnStartTap(const PendingTap& start, const AssessedTap& x,
                                                       core::UnixMillis now) {
  auto& s = sql_.Get(
      "SELECT tap_id, read_counter FROM waiting_end_taps WHERE site = ? AND device_id = ? "
      "AND tag_uid IS ? AND read_at BETWEEN ? AND ? "
      "AND (read_counter IS NULL OR read_counter > ?) ORDER BY read_at LIMIT 1");
  s.Bind(1, start.tap.site).Bind(2, start.tap.device_id);
  s.BindOptional(3, x.evidence.uid.empty() ? std::nullopt : std::optional(x.evidence.uid));
  s.Bind(4, x.evidence.read_at).Bind(5, x.evidence.read_at + config_.policy.max_session);
  s.Bind(6, x.counter ? static_cast<std::int64_t>(*x.counter) : -1);
  if (!s.Step()) return std::nullopt;
  const std::int64_t end_id = s.Int(0);
  const std::optional<std::int64_t> end_counter = s.IsNull(1) ? std::nullopt : std::optional(s.Int(1));
  s.Reset();
  if (x.counter && end_counter && !OnlyOthersReadBetween(start, x, *end_counter)) return std::nullopt;
  const auto end = LoadTap(end_id);
  const auto end_x = LoadAssessed(end_id);
  if (!end || !end_x) return std::nullopt;
  sql_.Get("DELETE FROM waiting_end_taps WHERE tap_id = ?").Bind(1, end_id).Run();
  return CloseSession(*end, *end_x, x, now);
}

bool TapVerifier::OnlyOthersReadBetween(const PendingTap& start, const AssessedTap& x,
                                        std::int64_t end_counter) {
  auto& s = sql_.Get(
      "SELECT count(*) FROM tag_reads r JOIN taps t ON t.id = r.tap_id WHERE r.site = ? "
      "AND r.tag_uid = ? AND r.read_counter > ? AND r.read_counter < ? AND t.device_id <> ?");
  s.Bind(1, start.tap.site).Bind(2, x.evidence.uid).Bind(3, static_cast<std::int64_t>(*x.counter));
  s.Bind(4, end_counter).Bind(5, start.tap.device_id);
  const std::int64_t others = s.Step() ? s.Int(0) : 0;
  s.Reset();
  return others == end_counter - static_cast<std::int64_t>(*x.counter) - 1;
}

// An end tap that waited long enough: paired with its handheld's open start of the same
// tag read last before it, else with the latest open start of any tag (the `same_tag`
// check then says what is wrong), or rejected without one.
void TapVerifier::ExpireWaitingEnds(core::UnixMillis now, AssessReport& report) {
  // After a restart every end waits its full time again: the starts may still be queued at
  // the broker from while the gateway was away.
  if (!first_round_) first_round_ = now;
  if (now - *first_round_ < config_.policy.end_waits_for_start) return;
  std::vector<std::int64_t> expired;
  auto& s = sql_.Get("SELECT tap_id FROM waiting_end_taps WHERE since <= ? ORDER BY since LIMIT 50");
  s.Bind(1, now - config_.policy.end_waits_for_start);
  while (s.Step()) expired.push_back(s.Int(0));
  for (const std::int64_t id : expired) {
    sql_.Get("DELETE FROM waiting_end_taps WHERE tap_id = ?").Bind(1, id).Run();
    const auto end = LoadTap(id);
    const auto end_x = LoadAssessed(id);
    if (!end || !end_x) continue;
    auto start = OpenStartFor(end->tap, *end_x, /*any_tag=*/end_x->evidence.uid.empty());
    if (!start) start = OpenStartFor(end->tap, *end_x, /*any_tag=*/true);
    report.notices.push_back(start ? CloseSession(*end, *end_x, *start, now)
                                   : RejectOrphan(*end, *end_x, now));
  }
}

std::optional<TapVerifier::AssessedTap> TapVerifier::OpenStartFor(const core::Tap& end,
                                                                  const AssessedTap& x, bool any_tag) {
  const std::string select = std::string("SELECT ") + kEvidenceColumns +
                             " FROM tap_evidence e JOIN taps t ON t.id = e.tap_id "
                             "WHERE e.site = ? AND e.device_id = ? AND e.kind = 'start' "
                             "AND e.inspection_id IS NULL AND e.read_at BETWEEN ? AND ? ";
  auto& s = any_tag ? sql_.Get(select + "ORDER BY e.read_at DESC LIMIT 1")
                    : sql_.Get(select +
                               "AND e.tag_uid = ? AND (e.read_counter IS NULL OR e.read_counter < ?) "
                               "ORDER BY e.read_at DESC LIMIT 1");
  s.Bind(1, end.site).Bind(2, end.device_id);
  s.Bind(3, x.evidence.read_at - config_.policy.max_session).Bind(4, x.evidence.read_at);
  if (!any_tag) {
    s.Bind(5, x.evidence.uid);
    s.Bind(6, x.counter ? static_cast<std::int64_t>(*x.counter) : std::int64_t{1} << 32);
  }
  if (!s.Step()) return std::nullopt;
  AssessedTap start = AssessedFromRow(s);
  s.Reset();
  return start;
}

// A row of kEvidenceColumns.
TapVerifier::AssessedTap TapVerifier::AssessedFromRow(const store::Statement& s) {
  AssessedTap x;
  x.tap_id = s.Int(0);
  if (!s.IsNull(1)) x.asset_id = s.Text(1);
  core::TapEvidence& ev = x.evidence;
  ev.uid = s.Text(2);
  if (!s.IsNull(3)) x.counter = static_cast<std::uint32_t>(s.Int(3));
  ev.read_at = s.Int(4);
  ev.legacy_uid = s.Int(5) != 0;
  ev.authentic = s.Int(6) != 0;
  ev.tag_detail = s.Text(7);
  ev.freshness = {core::ParseFreshness(s.Text(8)).value_or(core::Freshness::kReplay), s.Text(9)};
  ev.timing = {core::ParseTiming(s.Text(10)).value_or(core::Timing::kImpossible), s.Text(11)};
  ev.msg_id = s.Text(12);
  x.clock_offset = s.Int(13);
  return x;
}

std::optional<TapVerifier::AssessedTap> TapVerifier::LoadAssessed(std::int64_t tap_id) {
  auto& s = sql_.Get(std::string("SELECT ") + kEvidenceColumns +
                     " FROM tap_evidence e JOIN taps t ON t.id = e.tap_id WHERE e.tap_id = ?");
  s.Bind(1, tap_id);
  if (!s.Step()) return std::nullopt;
  AssessedTap x = AssessedFromRow(s);
  s.Reset();
  return x;
}

std::optional<TapVerifier::PendingTap> TapVerifier::LoadTap(std::int64_t tap_id) {
  auto& s = sql_.Get("SELECT received_at, payload FROM taps WHERE id = ?");
  s.Bind(1, tap_id);
  if (!s.Step()) return std::nullopt;
  auto tap = codec::DecodeTap(s.Text(1));
  const core::UnixMillis received_at = s.Int(0);
  s.Reset();
  if (!tap.ok()) return std::nullopt;
  return PendingTap{tap_id, received_at, std::move(tap).value()};
}

OutgoingVerdict TapVerifier::RejectOrphan(const PendingTap& end, const AssessedTap& end_x,
                                          core::UnixMillis now) {
  const core::Tap& tap = end.tap;
  const core::Assessment orphan{
      core::Verdict::kRejected, core::EvidenceStrength::kWeak,
      {{"session", core::CheckStatus::kFail,
        "no start tap from this handheld before this end tap, after waiting " +
            std::to_string(config_.policy.end_waits_for_start / 60'000) + " min for one"}}};
  return {core::TapTopic(tap.site, tap.device_id) + "/verdict",
          codec::EncodeVerdictNotice({std::nullopt, tap.msg_id, end_x.asset_id, orphan, now, {}, {}}),
          orphan.verdict};
}

core::InspectionFacts TapVerifier::GatherFacts(const PendingTap& end, const AssessedTap& end_x,
                                               const AssessedTap& start, const core::Asset& asset) {
  const core::Tap& tap = end.tap;
  core::InspectionFacts f;
  f.site = tap.site;
  f.device_id = tap.device_id;
  f.technician_id = tap.technician_id;
  f.asset = asset;
  f.start = start.evidence;
  f.end = end_x.evidence;
  f.end_tag_uid = end_x.evidence.uid;
  f.checklist = tap.checklist;
  f.result = tap.result;
  f.defects = tap.defects;
  f.technician = registry_.FindTechnician(tap.site, tap.technician_id);
  f.device_company = registry_.FindDeviceCompany(tap.site, tap.device_id);
  if (asset.sensor_equipped) {
    const core::UnixMillis offset = SensorClockOffset(tap.site, asset.asset_id);
    auto& s = sql_.Get(
        "SELECT device_time, payload FROM telemetry WHERE site = ? AND asset_id = ? "
        "AND device_time BETWEEN ? AND ?");
    s.Bind(1, tap.site).Bind(2, asset.asset_id);
    s.Bind(3, f.start.read_at - offset - kTelemetryMargin);
    s.Bind(4, f.end.read_at - offset + kTelemetryMargin);
    while (s.Step()) {
      auto telemetry = codec::DecodeTelemetry(s.Text(1));
      if (!telemetry.ok()) continue;
      for (const auto& reading : telemetry.value().readings) {
        f.telemetry.push_back({core::CorrectDeviceTime(s.Int(0), offset), reading});
      }
    }
  }
  GatherTechnicianWork(f);
  return f;
}

// The technician's work around this inspection, on any handheld: the inspections just
// before and after (travel), and one that overlaps it. Rejected inspections prove no
// presence and are left out (the partial indexes of migration 12).
void TapVerifier::GatherTechnicianWork(core::InspectionFacts& f) {
  const std::string visit = "SELECT id, asset_id, device_id, started_at, ended_at FROM inspections "
                            "WHERE site = ? AND technician_id = ? AND asset_id IS NOT NULL "
                            "AND verdict <> 'rejected' ";
  // The visit's asset is looked up only for the visits used.
  std::string asset_id;
  auto find = [&](const std::string& where_order, std::initializer_list<core::UnixMillis> at)
      -> std::optional<core::OtherVisit> {
    auto& s = sql_.Get(visit + where_order);
    s.Bind(1, f.site).Bind(2, f.technician_id);
    int index = 3;
    for (const core::UnixMillis t : at) s.Bind(index++, t);
    if (!s.Step()) return std::nullopt;
    core::OtherVisit v{s.Int(0), {}, s.Text(2), s.Int(3), s.Int(4)};
    asset_id = s.Text(1);
    s.Reset();
    return v;
  };
  auto with_asset = [&](std::optional<core::OtherVisit> v) -> std::optional<core::OtherVisit> {
    auto asset = v ? registry_.FindAsset(f.site, asset_id) : std::nullopt;
    if (!asset) return std::nullopt;
    v->asset = std::move(*asset);
    return v;
  };
  f.previous = with_asset(find("AND ended_at <= ? ORDER BY ended_at DESC LIMIT 1", {f.start.read_at}));
  f.next = with_asset(find("AND started_at >= ? ORDER BY started_at LIMIT 1", {f.end.read_at}));
  // No inspection lasts longer than `max_session`, so one that overlaps this one started
  // within that long before this start: a bounded walk, however long the history.
  f.overlapping = find("AND started_at >= ? AND started_at < ? AND ended_at > ? ORDER BY started_at LIMIT 1",
                       {f.start.read_at - config_.policy.max_session, f.end.read_at, f.start.read_at});
  if (f.overlapping) {
    // The evidence names the other inspection even if its asset has left the registry.
    f.overlapping->asset = registry_.FindAsset(f.site, asset_id).value_or(core::Asset{});
    f.overlapping->asset.asset_id = asset_id;
  }
}

// The start was judged with the handheld's clock as it was known then. The end tap may
// have confirmed a clock that was set since (the start was its first message after the
// change): the start is placed and judged again with the clock as known now.
TapVerifier::AssessedTap TapVerifier::WithClockAsOf(AssessedTap start, const AssessedTap& end) {
  if (!config_.correct_device_clocks || start.clock_offset == end.clock_offset) return start;
  const auto tap = LoadTap(start.tap_id);
  if (!tap) return start;
  const DeviceClock clock = HandheldClock(tap->tap.site, tap->tap.device_id, end.tap_id);
  start.clock_offset = clock.estimate->offset;
  start.evidence.read_at = core::CorrectDeviceTime(tap->tap.read_at, start.clock_offset);
  start.evidence.timing = core::CheckTapTiming({tap->tap.read_at, tap->tap.sent_at, tap->received_at},
                                               clock.samples, clock.estimate, config_.policy.timing);
  // A replay stays one; order against the tag's other reads is judged again at the new time.
  if (start.counter && start.evidence.freshness.outcome != core::Freshness::kReplay) {
    start.evidence.freshness = CheckFreshness(tap->tap.site, start.evidence.uid, *start.counter,
                                              start.evidence.read_at, /*again=*/true);
    if (start.evidence.freshness.outcome == core::Freshness::kFresh) {
      KeepRead(tap->tap.site, start, tap->received_at);
    }
  }
  const core::TapEvidence& ev = start.evidence;
  sql_.Get("UPDATE tap_evidence SET read_at = ?, clock_offset_ms = ?, timing = ?, timing_detail = ?, "
           "freshness = ?, freshness_detail = ? WHERE tap_id = ?")
      .Bind(1, ev.read_at).Bind(2, start.clock_offset)
      .Bind(3, core::ToString(ev.timing.outcome)).Bind(4, ev.timing.detail)
      .Bind(5, core::ToString(ev.freshness.outcome)).Bind(6, ev.freshness.detail)
      .Bind(7, start.tap_id).Run();
  return start;
}

OutgoingVerdict TapVerifier::CloseSession(const PendingTap& end, const AssessedTap& end_x,
                                          const AssessedTap& start_as_found, core::UnixMillis now) {
  const AssessedTap start = WithClockAsOf(start_as_found, end_x);
  const core::Tap& tap = end.tap;
  const std::optional<std::string> asset_id = start.asset_id ? start.asset_id : end_x.asset_id;
  const std::optional<core::Asset> asset =
      asset_id ? registry_.FindAsset(tap.site, *asset_id) : std::nullopt;
  const core::Assessment assessment =
      asset ? core::AssessInspection(GatherFacts(end, end_x, start, *asset), PolicyFor(asset->asset_type),
                                     {config_.allow_legacy_tags, config_.policy.TravelAt(tap.site)})
            : core::UnidentifiedAsset("neither tap read a tag of a registered asset (" +
                                      start.evidence.tag_detail + ")");
  const std::int64_t inspection_id = StoreInspection(end, end_x, start, asset, assessment, now);
  core::VerdictNotice notice{inspection_id, tap.msg_id,
                             asset ? std::optional(asset->asset_id) : std::nullopt, assessment, now,
                             {}, {}};
  if (asset && (assessment.verdict == core::Verdict::kVerified ||
                assessment.verdict == core::Verdict::kVerifiedWithDefects)) {
    RecordVerifiedWork(inspection_id, tap, *asset, start.evidence.read_at, end_x.evidence.read_at,
                       assessment, now, notice);
  }
  return {core::TapTopic(tap.site, tap.device_id) + "/verdict", codec::EncodeVerdictNotice(notice),
          assessment.verdict};
}

std::int64_t TapVerifier::StoreInspection(const PendingTap& end, const AssessedTap& end_x,
                                          const AssessedTap& start,
                                          const std::optional<core::Asset>& asset,
                                          const core::Assessment& assessment, core::UnixMillis now) {
  const core::Tap& tap = end.tap;
  auto& insert = sql_.Get(
      "INSERT INTO inspections (site, asset_id, technician_id, device_id, start_tap_id, "
      "end_tap_id, started_at, ended_at, verdict, strength, result, checklist, defects, "
      "assessed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, tap.site);
  insert.BindOptional(2, asset ? std::optional(asset->asset_id) : std::nullopt);
  insert.Bind(3, tap.technician_id).Bind(4, tap.device_id).Bind(5, start.tap_id).Bind(6, end.id);
  insert.Bind(7, start.evidence.read_at);
  insert.Bind(8, end_x.evidence.read_at);
  insert.Bind(9, core::ToString(assessment.verdict)).Bind(10, core::ToString(assessment.strength));
  insert.BindOptional(11, tap.result ? std::optional(std::string(core::ToString(*tap.result)))
                                     : std::nullopt);
  insert.Bind(12, codec::EncodeChecklist(tap.checklist)).Bind(13, codec::EncodeDefects(tap.defects));
  insert.Bind(14, now);
  insert.Run();
  const std::int64_t inspection_id = db_.LastInsertRowId();
  auto& check = sql_.Get(
      "INSERT INTO inspection_checks (inspection_id, seq, name, status, detail) VALUES (?,?,?,?,?)");
  for (std::size_t i = 0; i < assessment.checks.size(); ++i) {
    const core::Check& c = assessment.checks[i];
    check.Bind(1, inspection_id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, c.name);
    check.Bind(4, core::ToString(c.status)).Bind(5, c.detail);
    check.Run();
  }
  sql_.Get("UPDATE tap_evidence SET inspection_id = ? WHERE tap_id IN (?, ?)")
      .Bind(1, inspection_id).Bind(2, start.tap_id).Bind(3, end.id).Run();
  return inspection_id;
}

}  // namespace fieldproof::verify
