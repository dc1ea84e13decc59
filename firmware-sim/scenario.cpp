#include "firmware-sim/scenario.hpp"

#include <cmath>
#include <cstdio>

#include "firmware-sim/photo.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/sha256.hpp"

namespace fieldproof::sim {
namespace {

constexpr core::UnixMillis kSecond = 1000;

crypto::TagUid UidOf(const core::Asset& asset) {
  crypto::TagUid uid{};
  const auto bytes = crypto::HexDecode(asset.tag_uid);
  std::copy_n(bytes->begin(), uid.size(), uid.begin());
  return uid;
}

}  // namespace

const std::vector<std::string>& ChecklistItems() {
  static const std::vector<std::string> items = {
      "labels_legible", "no_damage",      "guides_and_seals", "closing_device",
      "full_closure",   "release_device", "hold_open_device", "signage"};
  return items;
}

void FillEndTapReport(core::Tap& tap, const std::optional<Finding>& finding) {
  for (const auto& item : ChecklistItems()) tap.checklist[item] = core::ChecklistAnswer::kPass;
  tap.result = core::InspectionResult::kPass;
  if (finding) {
    tap.checklist[finding->failed_item] = core::ChecklistAnswer::kFail;
    tap.result = core::InspectionResult::kFail;
    tap.defects.push_back(finding->defect);
  }
}

Scenario::Scenario(const Site& site, ScenarioSpec spec)
    : site_(site),
      spec_(std::move(spec)),
      rng_(site.spec.seed ^ 0x5EED5EEDULL),
      photo_rng_(site.spec.seed ^ 0x9407051ULL),
      meta_read_key_(crypto::SiteMetaReadKey(spec_.master_key, site.spec.site)) {
  // Each technician walks a contiguous share of the site, starting at a random point
  // of the first quarter hour.
  const std::size_t n = site_.handhelds.size();
  const std::size_t assets = site_.assets.size();
  for (std::size_t t = 0; t < n && assets > 0; ++t) {
    const std::size_t first = t * assets / n;
    const std::size_t end = std::max(first + 1, (t + 1) * assets / n);
    routes_.push_back({first, end, first + 1 < end ? first + 1 : first, first, {}, {}});
    Push(spec_.start + static_cast<core::UnixMillis>(rng_() % (15 * 60 * kSecond)), Arrival{t});
  }
  faults_.assign(assets, SensorFault::kNone);
  heartbeats_sent_.assign(assets, 0);
  std::mt19937_64 fault_rng(site.spec.seed ^ 0xFA017ULL);
  int faulty = 0;
  for (std::size_t a = 0; a < assets; ++a) {
    if (site_.assets[a].sensor_equipped &&
        std::uniform_real_distribution<double>(0, 1)(fault_rng) < spec_.sensor_fault_ratio) {
      faults_[a] = static_cast<SensorFault>(1 + faulty++ % 4);
    }
  }
  for (std::size_t a = 0; a < assets; ++a) {
    if (site_.assets[a].sensor_equipped) {
      Push(spec_.start + static_cast<core::UnixMillis>(rng_() % spec_.heartbeat_interval_ms),
           Heartbeat{a});
    }
  }
}

void Scenario::Push(core::UnixMillis at, std::variant<Outbound, Arrival, Heartbeat> what) {
  queue_.push(Item{at, order_++, std::move(what)});
}

Outbound Scenario::Next() {
  while (true) {
    Item item = queue_.top();
    queue_.pop();
    if (auto* message = std::get_if<Outbound>(&item.what)) return std::move(*message);
    if (auto* arrival = std::get_if<Arrival>(&item.what)) {
      Inspect(arrival->technician, item.at);
      continue;
    }
    const std::size_t asset = std::get<Heartbeat>(item.what).asset;
    Push(item.at + spec_.heartbeat_interval_ms, Heartbeat{asset});
    const auto uptime_s = (item.at - spec_.start) / kSecond + 86400;
    auto battery = 100 - static_cast<std::int64_t>(rng_() % 30);
    if (faults_[asset] == SensorFault::kBatteryLow) battery = 5 + battery % 10;
    if (faults_[asset] == SensorFault::kFallsSilent && ++heartbeats_sent_[asset] > 3) continue;
    return Telemetry(asset, item.at,
                     {core::HeartbeatReading{uptime_s}, core::BatteryReading{battery}});
  }
}

void Scenario::Inspect(std::size_t technician, core::UnixMillis arrival) {
  Route& route = routes_[technician];
  const std::size_t asset = route.target;
  const std::string work_order = route.target_work_order;
  const bool defect =
      std::uniform_real_distribution<double>(0, 1)(rng_) < spec_.defect_ratio && work_order.empty();
  const core::UnixMillis dwell = (240 + static_cast<core::UnixMillis>(rng_() % 241)) * kSecond;

  Push(arrival, Tap(technician, asset, core::TapKind::kStart, arrival, false));
  const bool silent = faults_[asset] == SensorFault::kFallsSilent && heartbeats_sent_[asset] > 3;
  if (site_.assets[asset].sensor_equipped) {
    // The functional test: release the shutter, let it close, open it again.
    const core::UnixMillis release = arrival + 60 * kSecond;
    std::int64_t closing_ms = 6000 + static_cast<std::int64_t>(rng_() % 9000);
    const std::int64_t current_ma = 800 + static_cast<std::int64_t>(rng_() % 700);
    if (faults_[asset] == SensorFault::kSlowClosing) closing_ms += 40000;
    // A silent sensor reports nothing; the shutter still runs.
    auto report = [&](core::UnixMillis at, std::vector<core::Reading> readings) {
      if (!silent) Push(at, Telemetry(asset, at, std::move(readings)));
    };
    report(release, {core::StateReading{core::ShutterState::kClosing}});
    const core::UnixMillis closed = release + closing_ms;
    if (faults_[asset] == SensorFault::kStuckClosing) {  // Stops short; the motor gives up.
      report(closed, {core::MotorCurrentReading{current_ma * 3}});
    } else {
      report(closed, {core::StateReading{core::ShutterState::kClosed}, core::ClosingDurationReading{closing_ms},
                      core::MotorCurrentReading{current_ma}});
    }
    const core::UnixMillis opening = closed + 30 * kSecond;
    report(opening, {core::StateReading{core::ShutterState::kOpening}});
    const core::UnixMillis open = opening + 20 * kSecond;
    report(open, {core::StateReading{core::ShutterState::kOpen}});
  }
  const core::UnixMillis done = arrival + dwell;
  Push(done, Tap(technician, asset, core::TapKind::kEnd, done, defect, work_order));

  if (defect && spec_.work_order_for) {
    route.defects_found.push_back(asset);
    // A gateway that never names work orders (verification off) must not grow this forever.
    if (route.defects_found.size() > 64) route.defects_found.erase(route.defects_found.begin());
  }
  ChooseNextTarget(route);
  Push(done + WalkMillis(asset, route.target), Arrival{technician});
}

void Scenario::ChooseNextTarget(Route& route) {
  route.target_work_order.clear();
  for (auto it = route.defects_found.begin(); it != route.defects_found.end(); ++it) {
    if (auto work_order = spec_.work_order_for(site_.assets[*it].asset_id)) {
      route.target = *it;
      route.target_work_order = *work_order;
      route.defects_found.erase(it);
      return;
    }
  }
  route.target = route.next;
  route.next = route.next + 1 < route.end ? route.next + 1 : route.first;
}

core::UnixMillis Scenario::WalkMillis(std::size_t from, std::size_t to) const {
  const core::Asset& a = site_.assets[from];
  const core::Asset& b = site_.assets[to];
  double seconds = std::hypot(a.x_m - b.x_m, a.y_m - b.y_m) / spec_.walk_speed_mps;
  seconds += 30.0 * std::abs(a.floor - b.floor);  // Stairs or lift.
  if (a.building != b.building) seconds += 300;   // Leaving one terminal for another.
  return static_cast<core::UnixMillis>(seconds * kSecond) + 20 * kSecond;
}

crypto::TagEmulator& Scenario::TagOf(std::size_t asset) {
  auto it = tags_.find(asset);
  if (it != tags_.end()) return it->second;
  const crypto::TagUid uid = UidOf(site_.assets[asset]);
  crypto::TagEmulator::Config config;
  config.base_url = spec_.tag_base_url;
  config.uid = uid;
  config.meta_read_key = meta_read_key_;
  config.file_read_key = crypto::TagFileReadKey(spec_.master_key, uid);
  return tags_.emplace(asset, crypto::TagEmulator(config)).first->second;
}

Outbound Scenario::Tap(std::size_t technician, std::size_t asset, core::TapKind kind,
                       core::UnixMillis read_at, bool defect, const std::string& work_order) {
  const Handheld& handheld = site_.handhelds[technician];
  core::Tap tap;
  char id[80];
  std::snprintf(id, sizeof id, "%s-%06llu", handheld.device_id.c_str(),
                static_cast<unsigned long long>(++sequence_[handheld.device_id]));
  tap.msg_id = id;
  tap.device_id = handheld.device_id;
  tap.technician_id = handheld.technician_id;
  tap.site = site_.spec.site;
  tap.tag = {core::TagRead::Type::kSun, *TagOf(asset).Read(rng_)};
  tap.read_at = read_at;
  tap.sent_at = read_at + 150 + static_cast<core::UnixMillis>(rng_() % 300);
  tap.kind = kind;
  tap.firmware = "hh-2.4.1";
  if (kind == core::TapKind::kEnd) {
    FillEndTapReport(tap, defect ? std::optional<Finding>(
                                       {"guides_and_seals",
                                        {"seal_damaged", core::Severity::kMajor,
                                         "Smoke seal torn at left guide"}})
                                 : std::nullopt);
    if (!work_order.empty()) tap.work_order_id = work_order;
  }
  std::vector<std::string> photos;
  if (kind == core::TapKind::kEnd && spec_.photo_ratio > 0 &&
      std::uniform_real_distribution<double>(0, 1)(photo_rng_) < spec_.photo_ratio) {
    photos.push_back(SimulatedPhoto(photo_rng_()));
    tap.photos = {crypto::Sha256Hex(photos.back())};
  }
  return {Outbound::Kind::kTap, handheld.device_id, tap.msg_id,
          core::TapTopic(tap.site, tap.device_id), codec::EncodeTap(tap), tap.sent_at,
          std::move(photos)};
}

Outbound Scenario::Telemetry(std::size_t asset, core::UnixMillis at,
                             std::vector<core::Reading> readings) {
  const core::Asset& a = site_.assets[asset];
  core::Telemetry t;
  t.msg_id = "tm-" + std::to_string(++sequence_[a.asset_id]);
  t.asset_id = a.asset_id;
  t.site = a.site;
  t.device_time = at;
  t.firmware = "fs-sensor-1.3.0";
  t.readings = std::move(readings);
  return {Outbound::Kind::kTelemetry, a.asset_id, t.msg_id, core::TelemetryTopic(t.site, t.asset_id),
          codec::EncodeTelemetry(t), at, {}};
}

}  // namespace fieldproof::sim
