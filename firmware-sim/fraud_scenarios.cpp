#include "firmware-sim/fraud_scenarios.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>
#include <random>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"

namespace fieldproof::sim {
namespace {

constexpr core::UnixMillis kSecond = 1000;
constexpr core::UnixMillis kMinute = 60 * kSecond;

class CaseWriter {
 public:
  CaseWriter(const Site& site, const crypto::Key128& master)
      : site_(site), master_(master), meta_(crypto::SiteMetaReadKey(master, site.spec.site)) {}

  // A tag read by the real tag fitted to `asset`.
  std::string Read(const core::Asset& asset) { return *TagOf(asset).Read(rng_); }

  // A copy of the tag made earlier: the same keys, an old counter.
  std::string ReadClone(const core::Asset& asset, std::uint32_t counter) {
    crypto::TagEmulator clone(ConfigFor(asset, counter));
    return *clone.Read(rng_);
  }

  // Sent 250 ms after the read unless `sent_after_read` says otherwise.
  Outbound Tap(FraudCase& c, const Handheld& h, core::TapKind kind, core::TagRead tag,
               core::UnixMillis read_at, bool defect = false, core::UnixMillis sent_after_read = 250) {
    core::Tap tap;
    std::string label = c.name;
    std::replace(label.begin(), label.end(), '_', '-');  // msg ids allow no underscore.
    tap.msg_id = h.device_id + "-" + label + "-" + std::to_string(++sequence_[h.device_id]);
    tap.device_id = h.device_id;
    tap.technician_id = h.technician_id;
    tap.site = site_.spec.site;
    tap.tag = std::move(tag);
    tap.read_at = read_at;
    tap.sent_at = read_at + sent_after_read;
    tap.kind = kind;
    tap.firmware = "hh-2.4.1";
    if (kind == core::TapKind::kEnd) {
      FillEndTapReport(tap, defect ? std::optional<Finding>(
                                         {"signage",
                                          {"signage_missing", core::Severity::kMinor,
                                           "Keep-clear sign gone"}})
                                   : std::nullopt);
    }
    Outbound out{Outbound::Kind::kTap, h.device_id, tap.msg_id,
                 core::TapTopic(tap.site, tap.device_id), codec::EncodeTap(tap), read_at, {}};
    c.messages.push_back(out);
    return out;
  }

  Outbound Sun(FraudCase& c, const Handheld& h, core::TapKind kind, const core::Asset& asset,
               core::UnixMillis at) {
    return Tap(c, h, kind, {core::TagRead::Type::kSun, Read(asset)}, at);
  }

  // The shutter's own sensor reporting the functional test.
  void CloseCycle(FraudCase& c, const core::Asset& asset, core::UnixMillis release,
                  std::int64_t closing_ms) {
    Telemetry(c, asset, release, {core::StateReading{core::ShutterState::kClosing}});
    Telemetry(c, asset, release + closing_ms,
              {core::StateReading{core::ShutterState::kClosed},
               core::ClosingDurationReading{closing_ms}, core::MotorCurrentReading{1100}});
    Telemetry(c, asset, release + closing_ms + 30 * kSecond,
              {core::StateReading{core::ShutterState::kOpen}});
  }

 private:
  crypto::TagEmulator::Config ConfigFor(const core::Asset& asset, std::uint32_t counter) {
    crypto::TagEmulator::Config config;
    config.base_url = "https://tag.fieldproof.example/t";
    crypto::HexDecodeInto(asset.tag_uid, config.uid);
    config.meta_read_key = meta_;
    config.file_read_key = crypto::TagFileReadKey(master_, config.uid);
    config.read_counter = counter;
    return config;
  }

  crypto::TagEmulator& TagOf(const core::Asset& asset) {
    auto it = tags_.find(asset.asset_id);
    if (it == tags_.end()) {
      it = tags_.emplace(asset.asset_id, crypto::TagEmulator(ConfigFor(asset, 1000))).first;
    }
    return it->second;
  }

  void Telemetry(FraudCase& c, const core::Asset& asset, core::UnixMillis at,
                 std::vector<core::Reading> readings) {
    core::Telemetry t;
    t.msg_id = "sc-" + std::to_string(++sequence_[asset.asset_id]);
    t.asset_id = asset.asset_id;
    t.site = asset.site;
    t.device_time = at;
    t.readings = std::move(readings);
    c.messages.push_back({Outbound::Kind::kTelemetry, asset.asset_id, t.msg_id,
                          core::TelemetryTopic(t.site, t.asset_id), codec::EncodeTelemetry(t), at, {}});
  }

  const Site& site_;
  crypto::Key128 master_;
  crypto::Key128 meta_;
  std::mt19937_64 rng_{99};
  std::map<std::string, crypto::TagEmulator> tags_;
  std::map<std::string, std::uint64_t> sequence_;
};

// Picks distinct assets: the first unused one that satisfies `want`.
class AssetPicker {
 public:
  explicit AssetPicker(const Site& site) : site_(site) {}
  const core::Asset& Next(const std::function<bool(const core::Asset&)>& want) {
    for (std::size_t i = 0; i < site_.assets.size(); ++i) {
      if (!used_[i] && want(site_.assets[i])) {
        used_[i] = true;
        return site_.assets[i];
      }
    }
    throw std::runtime_error("the site has too few assets for the fraud scenarios");
  }

 private:
  const Site& site_;
  std::map<std::size_t, bool> used_;
};

bool Shutter(const core::Asset& a) { return a.asset_type == "fire_shutter" && !a.sensor_equipped; }
bool SensorShutter(const core::Asset& a) { return a.asset_type == "fire_shutter" && a.sensor_equipped; }

}  // namespace

std::vector<FraudCase> BuildFraudCases(const Site& site, const crypto::Key128& master,
                                       core::UnixMillis start) {
  CaseWriter w(site, master);
  AssetPicker pick(site);
  std::vector<FraudCase> cases;
  const auto& hh = site.handhelds;
  auto next_case = [&](const std::string& name, const std::string& story) -> FraudCase& {
    cases.push_back({name, story, {}, {}});
    return cases.back();
  };
  auto t0 = [&] { return start + static_cast<core::UnixMillis>(cases.size() - 1) * 120 * kMinute; };
  using K = core::TapKind;

  {
    FraudCase& c = next_case("honest", "A full inspection with the shutter's own functional test.");
    const auto& a = pick.Next(SensorShutter);
    w.Sun(c, hh[0], K::kStart, a, t0());
    w.CloseCycle(c, a, t0() + kMinute, 8500);
    const auto end = w.Sun(c, hh[0], K::kEnd, a, t0() + 5 * kMinute);
    c.expectations.push_back({end.msg_id, "verified", {{"functional_test", "pass"}}});
  }
  {
    FraudCase& c = next_case("cloned_plain_uid", "A copied UID presented instead of the tag.");
    const auto& a = pick.Next(Shutter);
    w.Tap(c, hh[1], K::kStart, {core::TagRead::Type::kUid, a.tag_uid}, t0());
    const auto end = w.Tap(c, hh[1], K::kEnd, {core::TagRead::Type::kUid, a.tag_uid}, t0() + 5 * kMinute);
    c.expectations.push_back(
        {end.msg_id, "rejected", {{"start_tag_authentic", "fail"}, {"end_tag_authentic", "fail"}}});
  }
  {
    FraudCase& c = next_case("replayed_sun", "A SUN URL captured at an earlier visit sent again.");
    const auto& a = pick.Next(Shutter);
    const auto first = w.Sun(c, hh[2], K::kStart, a, t0());
    w.Sun(c, hh[2], K::kEnd, a, t0() + 5 * kMinute);
    const std::string captured = codec::DecodeTap(first.payload).value().tag.value;
    w.Tap(c, hh[2], K::kStart, {core::TagRead::Type::kSun, captured}, t0() + 60 * kMinute);
    const auto end = w.Sun(c, hh[2], K::kEnd, a, t0() + 65 * kMinute);
    c.expectations.push_back({end.msg_id, "rejected", {{"start_tag_fresh", "fail"}}});
  }
  {
    FraudCase& c = next_case("counter_rolled_back", "A cloned tag whose counter lags the real one.");
    const auto& a = pick.Next(Shutter);
    w.Sun(c, hh[3], K::kStart, a, t0());
    w.Sun(c, hh[3], K::kEnd, a, t0() + 5 * kMinute);
    w.Tap(c, hh[3], K::kStart, {core::TagRead::Type::kSun, w.ReadClone(a, 990)}, t0() + 60 * kMinute);
    const auto end = w.Sun(c, hh[3], K::kEnd, a, t0() + 65 * kMinute);
    c.expectations.push_back({end.msg_id, "rejected", {{"start_tag_fresh", "fail"}}});
  }
  {
    FraudCase& c = next_case("desk_inspection", "Tags of distant assets tapped within a minute.");
    const auto& a = pick.Next([](const core::Asset& x) { return Shutter(x) && x.building == "T1"; });
    const auto& b = pick.Next([](const core::Asset& x) { return Shutter(x) && x.building == "T2"; });
    w.Sun(c, hh[4], K::kStart, a, t0());
    w.Sun(c, hh[4], K::kEnd, a, t0() + 20 * kSecond);
    w.Sun(c, hh[4], K::kStart, b, t0() + 40 * kSecond);
    const auto end = w.Sun(c, hh[4], K::kEnd, b, t0() + 60 * kSecond);
    c.expectations.push_back({end.msg_id, "needs_review", {{"dwell", "review"}, {"travel", "review"}}});
  }
  {
    FraudCase& c = next_case("dwell_too_short", "In and out in 45 seconds.");
    const auto& a = pick.Next(Shutter);
    w.Sun(c, hh[5], K::kStart, a, t0());
    const auto end = w.Sun(c, hh[5], K::kEnd, a, t0() + 45 * kSecond);
    c.expectations.push_back({end.msg_id, "needs_review", {{"dwell", "review"}}});
  }
  {
    FraudCase& c = next_case("no_functional_test", "Checklist ticked, but the shutter never moved.");
    const auto& a = pick.Next(SensorShutter);
    w.Sun(c, hh[0], K::kStart, a, t0());
    const auto end = w.Sun(c, hh[0], K::kEnd, a, t0() + 5 * kMinute);
    c.expectations.push_back({end.msg_id, "needs_review", {{"functional_test", "review"}}});
  }
  {
    FraudCase& c = next_case("unqualified_technician", "A fire-door trainee signs off a shutter.");
    const auto& a = pick.Next(Shutter);
    w.Sun(c, site.trainee_handheld, K::kStart, a, t0());
    const auto end = w.Sun(c, site.trainee_handheld, K::kEnd, a, t0() + 5 * kMinute);
    c.expectations.push_back({end.msg_id, "rejected", {{"technician_authorised", "fail"}}});
  }
  {
    FraudCase& c = next_case("wrong_site", "A technician assigned to another site.");
    const auto& a = pick.Next(Shutter);
    w.Sun(c, site.visitor_handheld, K::kStart, a, t0());
    const auto end = w.Sun(c, site.visitor_handheld, K::kEnd, a, t0() + 5 * kMinute);
    c.expectations.push_back({end.msg_id, "rejected", {{"technician_authorised", "fail"}}});
  }
  {
    FraudCase& c = next_case("offline_for_hours",
                             "A handheld offline for hours: its taps arrive after a later visit "
                             "to the same shutter, with lower counters and earlier times.");
    const auto& a = pick.Next(Shutter);
    FraudCase buffered{"offline_for_hours", "", {}, {}};  // Read first, delivered last.
    w.Sun(buffered, hh[1], K::kStart, a, t0());
    const auto offline_end = w.Sun(buffered, hh[1], K::kEnd, a, t0() + 6 * kMinute);
    w.Sun(c, hh[5], K::kStart, a, t0() + 3 * 60 * kMinute);
    const auto online_end = w.Sun(c, hh[5], K::kEnd, a, t0() + 3 * 60 * kMinute + 5 * kMinute);
    for (auto& m : buffered.messages) c.messages.push_back(m);
    c.expectations.push_back({online_end.msg_id, "verified", {{"start_tag_fresh", "pass"}}});
    c.expectations.push_back({offline_end.msg_id, "verified",
                              {{"start_tag_fresh", "pass"}, {"end_tag_fresh", "pass"}}});
  }
  {
    FraudCase& c = next_case("slow_technician", "Fifty minutes at one shutter: thorough, not fraud.");
    const auto& a = pick.Next(Shutter);
    w.Sun(c, hh[2], K::kStart, a, t0());
    const auto end = w.Tap(c, hh[2], K::kEnd, {core::TagRead::Type::kSun, w.Read(a)},
                           t0() + 50 * kMinute, /*defect=*/true);
    c.expectations.push_back({end.msg_id, "verified_with_defects", {{"dwell", "pass"}}});
  }
  {
    FraudCase& c = next_case("two_technicians_one_asset", "Two technicians inspect one shutter together.");
    const auto& a = pick.Next(Shutter);
    w.Sun(c, hh[3], K::kStart, a, t0());
    w.Sun(c, hh[4], K::kStart, a, t0() + 30 * kSecond);
    const auto end_a = w.Sun(c, hh[3], K::kEnd, a, t0() + 5 * kMinute);
    const auto end_b = w.Sun(c, hh[4], K::kEnd, a, t0() + 5 * kMinute + 30 * kSecond);
    c.expectations.push_back({end_a.msg_id, "verified", {{"same_tag", "pass"}}});
    c.expectations.push_back({end_b.msg_id, "verified", {{"same_tag", "pass"}}});
  }
  {
    FraudCase& c = next_case("end_before_start",
                             "An outbox resends after a reconnect: the end tap arrives before its start.");
    const auto& a = pick.Next(Shutter);
    w.Sun(c, hh[0], K::kStart, a, t0());
    const auto end = w.Sun(c, hh[0], K::kEnd, a, t0() + 5 * kMinute);
    std::swap(c.messages[0], c.messages[1]);  // Read in order, delivered end first.
    c.expectations.push_back({end.msg_id, "verified", {{"same_tag", "pass"}, {"start_tag_fresh", "pass"}}});
  }
  {
    FraudCase& c = next_case("drive_between_buildings",
                             "Over 500 m across the apron by vehicle in four minutes: too far to walk, "
                             "easy to drive.");
    const auto& a = pick.Next([](const core::Asset& x) { return Shutter(x) && x.building == "T1" && x.x_m < 60; });
    const auto& b = pick.Next([](const core::Asset& x) { return Shutter(x) && x.building == "T2" && x.x_m > 560; });
    w.Sun(c, hh[1], K::kStart, a, t0());
    w.Sun(c, hh[1], K::kEnd, a, t0() + 5 * kMinute);
    w.Sun(c, hh[1], K::kStart, b, t0() + 9 * kMinute);
    const auto end = w.Sun(c, hh[1], K::kEnd, b, t0() + 14 * kMinute);
    c.expectations.push_back({end.msg_id, "verified", {{"travel", "pass"}}});
  }
  {
    FraudCase& c = next_case("read_after_sent",
                             "An end tap read an hour after the handheld says it sent it: time travel.");
    const auto& a = pick.Next(Shutter);
    w.Sun(c, hh[2], K::kStart, a, t0());
    const auto end = w.Tap(c, hh[2], K::kEnd, {core::TagRead::Type::kSun, w.Read(a)}, t0() + 65 * kMinute,
                           /*defect=*/false, -60 * kMinute);
    c.expectations.push_back({end.msg_id, "rejected", {{"end_tap_timing", "fail"}}});
  }
  {
    FraudCase& c = next_case("one_technician_two_places",
                             "One technician signs in on two handhelds and inspects two shutters in "
                             "two buildings at once.");
    const auto& a = pick.Next([](const core::Asset& x) { return Shutter(x) && x.building == "T1"; });
    const auto& b = pick.Next([](const core::Asset& x) { return Shutter(x) && x.building == "T2"; });
    const Handheld second{hh[4].device_id, hh[3].technician_id};
    w.Sun(c, hh[3], K::kStart, a, t0());
    w.Sun(c, second, K::kStart, b, t0() + kMinute);
    const auto end_a = w.Sun(c, hh[3], K::kEnd, a, t0() + 5 * kMinute);
    const auto end_b = w.Sun(c, second, K::kEnd, b, t0() + 6 * kMinute);
    c.expectations.push_back({end_a.msg_id, "verified", {{"technician_overlap", "pass"}}});
    c.expectations.push_back({end_b.msg_id, "needs_review", {{"technician_overlap", "review"}}});
  }
  return cases;
}

}  // namespace fieldproof::sim
