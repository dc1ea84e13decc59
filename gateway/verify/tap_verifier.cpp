#include "gateway/verify/tap_verifier.hpp"

#include <algorithm>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/clock_skew.hpp"
#include "gateway/core/identifiers.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/crypto/sun_message.hpp"
#include "gateway/store/work_orders.hpp"

namespace fieldproof::verify {
namespace {

constexpr std::int64_t kClockSamples = 50;  // Recent messages for the offset estimate.
constexpr std::int64_t kExpiredEndsPerRound = 50;
constexpr core::UnixMillis kTelemetryMargin = 10 * 60 * 1000;

}  // namespace

TapVerifier::TapVerifier(store::Database& db, VerifierConfig config)
    : db_(db), config_(std::move(config)), chain_(db, crypto::Sha256Hex), registry_(db), tags_(db),
      store_(db) {}

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
  record.photos = codec::EncodePhotoHashes(end.photos);
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
  return {asset_type, 0, {}, 0, 600000, {}};
}

TapVerifier::DeviceClock TapVerifier::HandheldClock(const std::string& site,
                                                    const std::string& device_id,
                                                    std::int64_t up_to_tap) {
  DeviceClock clock;
  if (!config_.correct_device_clocks) return clock;  // Device times are taken as they are.
  clock.samples = store_.RecentSends(site, device_id, up_to_tap, kClockSamples);
  clock.estimate = core::EstimateClockOffset(clock.samples);
  return clock;
}

core::UnixMillis TapVerifier::SensorClockOffset(const std::string& site,
                                                const std::string& asset_id) {
  if (!config_.correct_device_clocks) return 0;
  // Sensors send at once, so their smallest delay is their clock's offset.
  return store_.SensorClockOffset(site, asset_id);
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
      CheckUrlNamesItsAsset(tap, *asset, ev);
    } else if (const auto retired = tags_.Retired(tap.site, ev.uid)) {
      // The read is kept against the asset the tag was on, so its owner sees the attempt.
      x.asset_id = retired->asset_id;
      ev.authentic = false;
      ev.tag_detail = core::RetiredTagDetail(*retired);
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

// A handheld shows the asset the tag's URL names before anything is verified; a tag whose
// URL names another registered asset than the one its UID is on would have the technician
// inspect the wrong one, so its read does not count.
void TapVerifier::CheckUrlNamesItsAsset(const core::Tap& tap, const core::Asset& asset,
                                        core::TapEvidence& ev) {
  if (tap.tag.type != core::TagRead::Type::kSun) return;
  const std::string named(core::EntityIdInTagUrl(tap.tag.value));
  if (named.empty() || named == asset.asset_id || !registry_.FindAsset(tap.site, named)) return;
  ev.authentic = false;
  ev.tag_detail = "the tag's URL names asset " + named + ", but its UID " + ev.uid + " is on " +
                  asset.asset_id;
}

// The freshness rule's memory. No read happens after it arrives: a time in the future must
// not make the tag's next honest reads look rolled back.
void TapVerifier::KeepRead(const std::string& site, const AssessedTap& x, core::UnixMillis received_at) {
  const core::UnixMillis at = x.evidence.read_at;
  store_.KeepRead(site, x.evidence.uid, *x.counter,
                  config_.correct_device_clocks ? std::min(at, received_at) : at, x.tap_id);
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
// higher ones.
core::FreshnessCheck TapVerifier::CheckFreshness(const std::string& site, const std::string& uid,
                                                 std::uint32_t counter, core::UnixMillis read_at,
                                                 bool again) {
  const auto neighbours = store_.NeighbourReads(site, uid, counter, /*exclude_equal=*/again);
  return core::CheckFreshness(neighbours, counter, read_at, config_.policy.rollback_tolerance);
}

AssessReport TapVerifier::AssessPending(std::size_t max_taps, core::UnixMillis now) {
  AssessReport report;
  store::InTransaction(db_, [&] {
    const std::vector<PendingTap> pending = store_.UnassessedTaps(max_taps);
    for (const PendingTap& p : pending) {
      const AssessedTap x = Examine(p);
      store_.SaveEvidence(p, x);
      const auto notice = p.tap.kind == core::TapKind::kEnd ? OnEndTap(p, x, now) : OnStartTap(p, x, now);
      if (notice) report.notices.push_back(*notice);
      store_.MarkAssessed(p.id);
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
  store_.AddWaitingEnd(end, x, now);
  return std::nullopt;
}

// A start tap that arrived after its end closes the end's session when the tag shows that
// nothing of this handheld came between them: every read between the two counters is
// another handheld's. Otherwise an older start may be emptying out of an outbox ahead of
// the true one, and the end goes on waiting; when its wait is over it takes the best start
// that has arrived by then.
std::optional<OutgoingVerdict> TapVerifier::OnStartTap(const PendingTap& start, const AssessedTap& x,
                                                       core::UnixMillis now) {
  const auto waiting = store_.WaitingEndFor(
      start.tap.site, start.tap.device_id,
      x.evidence.uid.empty() ? std::nullopt : std::optional(x.evidence.uid), x.evidence.read_at,
      x.evidence.read_at + config_.policy.max_session,
      x.counter ? static_cast<std::int64_t>(*x.counter) : -1);
  if (!waiting) return std::nullopt;
  if (x.counter && waiting->read_counter &&
      !OnlyOthersReadBetween(start, x, *waiting->read_counter)) {
    return std::nullopt;
  }
  const auto end = store_.FindTap(waiting->tap_id);
  const auto end_x = store_.FindEvidence(waiting->tap_id);
  if (!end || !end_x) return std::nullopt;
  store_.RemoveWaitingEnd(waiting->tap_id);
  return CloseSession(*end, *end_x, x, now);
}

bool TapVerifier::OnlyOthersReadBetween(const PendingTap& start, const AssessedTap& x,
                                        std::int64_t end_counter) {
  const auto start_counter = static_cast<std::int64_t>(*x.counter);
  return store_.OtherHandheldReads(start.tap.site, x.evidence.uid, start_counter, end_counter,
                                   start.tap.device_id) == end_counter - start_counter - 1;
}

// An end tap that waited long enough: paired with its handheld's open start of the same
// tag read last before it, else with the latest open start of any tag (the `same_tag`
// check then says what is wrong), or rejected without one.
void TapVerifier::ExpireWaitingEnds(core::UnixMillis now, AssessReport& report) {
  // After a restart every end waits its full time again: the starts may still be queued at
  // the broker from while the gateway was away.
  if (!first_round_) first_round_ = now;
  if (now - *first_round_ < config_.policy.end_waits_for_start) return;
  for (const std::int64_t id :
       store_.WaitingEndsSince(now - config_.policy.end_waits_for_start, kExpiredEndsPerRound)) {
    store_.RemoveWaitingEnd(id);
    const auto end = store_.FindTap(id);
    const auto end_x = store_.FindEvidence(id);
    if (!end || !end_x) continue;
    auto start = OpenStartFor(end->tap, *end_x, /*any_tag=*/end_x->evidence.uid.empty());
    if (!start) start = OpenStartFor(end->tap, *end_x, /*any_tag=*/true);
    report.notices.push_back(start ? CloseSession(*end, *end_x, *start, now)
                                   : RejectOrphan(*end, *end_x, now));
  }
}

std::optional<TapVerifier::AssessedTap> TapVerifier::OpenStartFor(const core::Tap& end,
                                                                  const AssessedTap& x, bool any_tag) {
  store::OpenStartQuery query{end.site, end.device_id,
                              x.evidence.read_at - config_.policy.max_session, x.evidence.read_at,
                              std::nullopt, 0};
  if (!any_tag) {
    query.tag_uid = x.evidence.uid;
    query.below_counter = x.counter ? static_cast<std::int64_t>(*x.counter) : std::int64_t{1} << 32;
  }
  return store_.OpenStart(query);
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
    f.telemetry = store_.TelemetryBetween(tap.site, asset.asset_id,
                                          f.start.read_at - offset - kTelemetryMargin,
                                          f.end.read_at - offset + kTelemetryMargin);
    for (auto& reading : f.telemetry) reading.at = core::CorrectDeviceTime(reading.at, offset);
  }
  GatherTechnicianWork(f);
  f.photos = tap.photos;
  f.photos_missing = store_.MissingPhotos(tap.photos);
  return f;
}

// The technician's work around this inspection, on any handheld: the inspections just
// before and after (travel), and one that overlaps it. Rejected inspections prove no
// presence and are left out (the partial indexes of migration 12).
void TapVerifier::GatherTechnicianWork(core::InspectionFacts& f) {
  // The visit's asset is looked up only for the visits used.
  auto with_asset = [&](std::optional<store::TechnicianVisit> v) -> std::optional<core::OtherVisit> {
    auto asset = v ? registry_.FindAsset(f.site, v->asset_id) : std::nullopt;
    if (!asset) return std::nullopt;
    v->visit.asset = std::move(*asset);
    return std::move(v->visit);
  };
  f.previous = with_asset(store_.VisitEndedBefore(f.site, f.technician_id, f.start.read_at));
  f.next = with_asset(store_.VisitStartedAfter(f.site, f.technician_id, f.end.read_at));
  // No inspection lasts longer than `max_session`, so one that overlaps this one started
  // within that long before this start: a bounded walk, however long the history.
  if (auto overlapping = store_.OverlappingVisit(f.site, f.technician_id,
                                                 f.start.read_at - config_.policy.max_session,
                                                 f.start.read_at, f.end.read_at)) {
    // The evidence names the other inspection even if its asset has left the registry.
    overlapping->visit.asset =
        registry_.FindAsset(f.site, overlapping->asset_id).value_or(overlapping->visit.asset);
    f.overlapping = std::move(overlapping->visit);
  }
}

// The start was judged with the handheld's clock as it was known then. The end tap may
// have confirmed a clock that was set since (the start was its first message after the
// change): the start is placed and judged again with the clock as known now.
TapVerifier::AssessedTap TapVerifier::WithClockAsOf(AssessedTap start, const AssessedTap& end) {
  if (!config_.correct_device_clocks || start.clock_offset == end.clock_offset) return start;
  const auto tap = store_.FindTap(start.tap_id);
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
  store_.UpdateEvidence(start);
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
  return store_.SaveInspection(
      {tap.site, asset ? std::optional(asset->asset_id) : std::nullopt, tap.technician_id,
       tap.device_id, start.tap_id, end.id, start.evidence.read_at, end_x.evidence.read_at,
       tap.result ? std::optional(std::string(core::ToString(*tap.result))) : std::nullopt,
       codec::EncodeChecklist(tap.checklist), codec::EncodeDefects(tap.defects), now, tap.photos},
      assessment);
}

}  // namespace fieldproof::verify
