#include "gateway/verify/tap_verifier.hpp"

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

core::UnixMillis TapVerifier::DeviceClockOffset(const std::string& site,
                                                const std::string& device_id,
                                                std::int64_t up_to_tap) {
  if (!config_.correct_device_clocks) return 0;
  auto& s = sql_.Get(
      "SELECT sent_at, received_at FROM taps WHERE site = ? AND device_id = ? AND id <= ? "
      "ORDER BY id DESC LIMIT ?");
  s.Bind(1, site).Bind(2, device_id).Bind(3, up_to_tap).Bind(4, kClockSamples);
  std::vector<core::ClockSample> samples;
  while (s.Step()) samples.push_back({s.Int(0), s.Int(1)});
  return core::EstimateClockOffset(samples);
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

TapVerifier::Examination TapVerifier::Examine(const PendingTap& pending) {
  const core::Tap& tap = pending.tap;
  Examination x;
  core::TapEvidence& ev = x.evidence;
  std::optional<std::uint32_t>& counter = x.counter;
  std::optional<core::Asset>& asset = x.asset;
  ev.msg_id = tap.msg_id;
  x.clock_offset = DeviceClockOffset(tap.site, tap.device_id, pending.id);
  ev.read_at = core::CorrectDeviceTime(tap.read_at, x.clock_offset);

  if (tap.tag.type == core::TagRead::Type::kUid) {
    ev.legacy_uid = true;
    ev.uid = tap.tag.value;
    ev.tag_detail = "legacy UID tag: no cryptographic proof of presence";
    ev.freshness = {core::Freshness::kFresh, "legacy tag: no read counter to check"};
  } else {
    std::string error;
    const auto parts = crypto::ParseSunUrl(tap.tag.value, &error);
    if (!parts) {
      ev.tag_detail = "unreadable SUN message: " + error;
    } else {
      const crypto::Key128& master = config_.master_key;
      const auto result = crypto::VerifySun(
          *parts, MetaKey(tap.site),
          [&master](std::span<const std::uint8_t, 7> uid) {
            return std::optional(crypto::TagFileReadKey(master, uid));
          });
      ev.authentic = result.valid;
      ev.tag_detail = result.valid ? "SUN message verified" : result.reason;
      if (result.valid) {
        ev.uid = crypto::HexEncode(result.uid);
        counter = result.read_counter;
      }
    }
  }
  if (!ev.uid.empty()) asset = registry_.FindAssetByTag(tap.site, ev.uid);
  if (!ev.uid.empty() && !asset) ev.tag_detail += "; UID " + ev.uid + " is on no registered asset";

  if (counter) {
    auto& seen = sql_.Get("SELECT read_counter, read_at FROM tag_reads WHERE site = ? AND tag_uid = ?");
    seen.Bind(1, tap.site).Bind(2, ev.uid);
    std::vector<core::SeenRead> reads;
    while (seen.Step()) reads.push_back({static_cast<std::uint32_t>(seen.Int(0)), seen.Int(1)});
    ev.freshness = core::CheckFreshness(reads, *counter, ev.read_at, config_.freshness_tolerance);
    if (ev.freshness.outcome == core::Freshness::kFresh) {
      sql_.Get("INSERT INTO tag_reads (site, tag_uid, read_counter, read_at, tap_id) VALUES (?,?,?,?,?)")
          .Bind(1, tap.site).Bind(2, ev.uid).Bind(3, static_cast<std::int64_t>(*counter))
          .Bind(4, ev.read_at).Bind(5, pending.id).Run();
    }
  } else if (!ev.legacy_uid) {
    ev.freshness = {core::Freshness::kFresh, "not checked: the tag was not authentic"};
  }
  return x;
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
      const Examination x = Examine(p);
      const core::TapEvidence& ev = x.evidence;
      auto& insert = sql_.Get(
          "INSERT INTO tap_evidence (tap_id, site, device_id, kind, asset_id, tag_uid, "
          "read_counter, read_at, clock_offset_ms, legacy, authentic, tag_detail, freshness, "
          "freshness_detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      insert.Bind(1, p.id).Bind(2, p.tap.site).Bind(3, p.tap.device_id)
          .Bind(4, core::ToString(p.tap.kind));
      insert.BindOptional(5, x.asset ? std::optional(x.asset->asset_id) : std::nullopt);
      insert.BindOptional(6, ev.uid.empty() ? std::nullopt : std::optional(ev.uid));
      if (x.counter) {
        insert.Bind(7, static_cast<std::int64_t>(*x.counter));
      } else {
        insert.BindNull(7);
      }
      insert.Bind(8, ev.read_at).Bind(9, x.clock_offset).Bind(10, ev.legacy_uid ? 1 : 0)
          .Bind(11, ev.authentic ? 1 : 0).Bind(12, ev.tag_detail)
          .Bind(13, core::ToString(ev.freshness.outcome)).Bind(14, ev.freshness.detail);
      insert.Run();
      if (p.tap.kind == core::TapKind::kEnd) {
        if (auto notice = CloseSession(p, ev, x.asset, now)) report.notices.push_back(*notice);
      }
      sql_.Get("UPDATE taps SET assessed = 1 WHERE id = ?").Bind(1, p.id).Run();
      ++report.taps;
    }
  });
  return report;
}

std::optional<OutgoingVerdict> TapVerifier::CloseSession(const PendingTap& end,
                                                       const core::TapEvidence& end_ev,
                                                       const std::optional<core::Asset>& end_asset,
                                                       core::UnixMillis now) {
  const core::Tap& tap = end.tap;
  const std::string topic = core::TapTopic(tap.site, tap.device_id) + "/verdict";

  // The device's latest start tap before this end tap that no inspection has used.
  auto& start = sql_.Get(
      "SELECT e.tap_id, e.asset_id, coalesce(e.tag_uid, ''), e.read_at, e.legacy, e.authentic, "
      "e.tag_detail, e.freshness, e.freshness_detail, t.msg_id FROM tap_evidence e "
      "JOIN taps t ON t.id = e.tap_id WHERE e.site = ? AND e.device_id = ? AND e.kind = 'start' "
      "AND e.inspection_id IS NULL AND e.read_at <= ? ORDER BY e.read_at DESC LIMIT 1");
  start.Bind(1, tap.site).Bind(2, tap.device_id).Bind(3, end_ev.read_at);
  if (!start.Step()) {
    const core::Assessment orphan{core::Verdict::kRejected, core::EvidenceStrength::kWeak,
                                  {{"session", core::CheckStatus::kFail,
                                    "no open start tap from this handheld before this end tap"}}};
    return OutgoingVerdict{topic,
                         codec::EncodeVerdictNotice(
                             {std::nullopt, tap.msg_id,
                              end_asset ? std::optional(end_asset->asset_id) : std::nullopt, orphan,
                              now, {}, {}}),
                         orphan.verdict};
  }
  const std::int64_t start_tap_id = start.Int(0);
  const std::optional<std::string> start_asset_id =
      start.IsNull(1) ? std::nullopt : std::optional(start.Text(1));
  core::TapEvidence start_ev;
  start_ev.uid = start.Text(2);
  start_ev.read_at = start.Int(3);
  start_ev.legacy_uid = start.Int(4) != 0;
  start_ev.authentic = start.Int(5) != 0;
  start_ev.tag_detail = start.Text(6);
  start_ev.freshness = {core::ParseFreshness(start.Text(7)).value_or(core::Freshness::kReplay),
                        start.Text(8)};
  start_ev.msg_id = start.Text(9);
  start.Reset();

  std::optional<core::Asset> asset =
      start_asset_id ? registry_.FindAsset(tap.site, *start_asset_id) : end_asset;
  core::Assessment assessment;
  if (!asset) {
    assessment = core::UnidentifiedAsset("neither tap read a tag of a registered asset (" +
                                         start_ev.tag_detail + ")");
  } else {
    core::InspectionFacts f;
    f.site = tap.site;
    f.device_id = tap.device_id;
    f.technician_id = tap.technician_id;
    f.asset = *asset;
    f.start = start_ev;
    f.end = end_ev;
    f.end_tag_uid = end_ev.uid;
    f.checklist = tap.checklist;
    f.result = tap.result;
    f.defects = tap.defects;
    f.technician = registry_.FindTechnician(tap.site, tap.technician_id);
    f.device_company = registry_.FindDeviceCompany(tap.site, tap.device_id);
    if (asset->sensor_equipped) {
      const core::UnixMillis offset = SensorClockOffset(tap.site, asset->asset_id);
      auto& s = sql_.Get(
          "SELECT device_time, payload FROM telemetry WHERE site = ? AND asset_id = ? "
          "AND device_time BETWEEN ? AND ?");
      s.Bind(1, tap.site).Bind(2, asset->asset_id);
      s.Bind(3, start_ev.read_at - offset - kTelemetryMargin);
      s.Bind(4, end_ev.read_at - offset + kTelemetryMargin);
      while (s.Step()) {
        auto telemetry = codec::DecodeTelemetry(s.Text(1));
        if (!telemetry.ok()) continue;
        for (const auto& reading : telemetry.value().readings) {
          f.telemetry.push_back({core::CorrectDeviceTime(s.Int(0), offset), reading});
        }
      }
    }
    {
      auto& s = sql_.Get(
          "SELECT asset_id, ended_at FROM inspections WHERE site = ? AND technician_id = ? "
          "AND ended_at <= ? AND asset_id IS NOT NULL ORDER BY ended_at DESC LIMIT 1");
      s.Bind(1, tap.site).Bind(2, tap.technician_id).Bind(3, start_ev.read_at);
      if (s.Step()) {
        const std::string previous_asset = s.Text(0);
        const core::UnixMillis left_at = s.Int(1);
        s.Reset();
        if (auto previous = registry_.FindAsset(tap.site, previous_asset)) {
          f.previous = core::PreviousVisit{*previous, left_at};
        }
      }
    }
    assessment = core::AssessInspection(f, PolicyFor(asset->asset_type), config_.site_policy);
  }

  auto& insert = sql_.Get(
      "INSERT INTO inspections (site, asset_id, technician_id, device_id, start_tap_id, "
      "end_tap_id, started_at, ended_at, verdict, strength, result, checklist, defects, "
      "assessed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, tap.site);
  insert.BindOptional(2, asset ? std::optional(asset->asset_id) : std::nullopt);
  insert.Bind(3, tap.technician_id).Bind(4, tap.device_id).Bind(5, start_tap_id).Bind(6, end.id);
  insert.Bind(7, start_ev.read_at).Bind(8, end_ev.read_at);
  insert.Bind(9, core::ToString(assessment.verdict)).Bind(10, core::ToString(assessment.strength));
  insert.BindOptional(11, tap.result ? std::optional(std::string(core::ToString(*tap.result)))
                                     : std::nullopt);
  insert.Bind(12, codec::EncodeChecklist(tap.checklist)).Bind(13, codec::EncodeDefects(tap.defects));
  insert.Bind(14, now);
  insert.Run();
  const std::int64_t inspection_id = sqlite3_last_insert_rowid(db_.handle());
  auto& check = sql_.Get(
      "INSERT INTO inspection_checks (inspection_id, seq, name, status, detail) VALUES (?,?,?,?,?)");
  for (std::size_t i = 0; i < assessment.checks.size(); ++i) {
    const core::Check& c = assessment.checks[i];
    check.Bind(1, inspection_id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, c.name);
    check.Bind(4, core::ToString(c.status)).Bind(5, c.detail);
    check.Run();
  }
  sql_.Get("UPDATE tap_evidence SET inspection_id = ? WHERE tap_id IN (?, ?)")
      .Bind(1, inspection_id).Bind(2, start_tap_id).Bind(3, end.id).Run();
  core::VerdictNotice notice{inspection_id, tap.msg_id,
                             asset ? std::optional(asset->asset_id) : std::nullopt, assessment, now,
                             {}, {}};
  if (asset && (assessment.verdict == core::Verdict::kVerified ||
                assessment.verdict == core::Verdict::kVerifiedWithDefects)) {
    RecordVerifiedWork(inspection_id, tap, *asset, start_ev.read_at, end_ev.read_at, assessment, now,
                       notice);
  }
  return OutgoingVerdict{topic, codec::EncodeVerdictNotice(notice), assessment.verdict};
}

}  // namespace fieldproof::verify
