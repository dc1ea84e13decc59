#include "gateway/codec/message_codec.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

#include "gateway/codec/json_reader.hpp"
#include "gateway/core/identifiers.hpp"
#include "gateway/core/image.hpp"

namespace fieldproof::codec {
namespace {

using core::RejectReason;
using nlohmann::json;

constexpr std::string_view kMsgIdRule = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$";
constexpr std::string_view kEntityRule = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
constexpr std::string_view kSiteRule = "^[A-Za-z0-9][A-Za-z0-9_-]{0,24}$";
constexpr std::string_view kFirmwareRule = "^[A-Za-z0-9._+-]{1,32}$";
constexpr std::string_view kCodeRule = "^[a-z0-9_]{1,32}$";


bool IsHexRun(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

// Consumes `prefix` at `pos`.
bool Eat(std::string_view s, std::size_t& pos, std::string_view prefix) {
  if (s.substr(pos, prefix.size()) != prefix) return false;
  pos += prefix.size();
  return true;
}

core::TagRead DecodeTag(const JsonReader& parent) {
  const JsonReader tag(parent.At("tag"), parent.PathOf("tag"));
  const std::string type = tag.String("type");
  if (type == "sun") {
    tag.ExpectMembers({"type", "url"});
    std::string url = tag.String("url");
    if (core::CodePointCount(url) > 512 || !IsSunUrl(url)) {
      Fail(RejectReason::kInvalidValue,
           tag.PathOf("url") + ": not a SUN URL (picc_data|e, optional enc, cmac|c; or uid, ctr, cmac)");
    }
    return {core::TagRead::Type::kSun, std::move(url)};
  }
  if (type == "uid") {
    tag.ExpectMembers({"type", "uid"});
    std::string uid = tag.String("uid", core::IsTagUid, "^[0-9A-Fa-f]{14}$");
    for (char& c : uid) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return {core::TagRead::Type::kUid, std::move(uid)};
  }
  Fail(RejectReason::kInvalidValue, tag.PathOf("type") + ": must be one of sun, uid");
}

core::Defect DecodeDefect(JsonValue value, std::string path) {
  const JsonReader d(value, std::move(path));
  d.ExpectMembers({"code", "severity"}, {"note"});
  core::Defect defect;
  defect.code = d.String("code", core::IsSnakeCode, kCodeRule);
  defect.severity = d.Enum("severity", core::ParseSeverity, "minor, major, critical");
  if (d.Has("note")) defect.note = d.Text("note", 0, 500);
  return defect;
}

// Each photo's SHA-256, at most 10, none twice (docs/handheld.md).
std::vector<std::string> DecodePhotoHashes(const JsonReader& r) {
  const auto photos = r.Array("photos", 0, 10);
  std::vector<std::string> hashes;
  for (std::size_t i = 0; i < photos.size(); ++i) {
    const std::string path = r.PathOf("photos") + "/" + std::to_string(i);
    std::string_view hash;
    if (photos[i].get_string().get(hash) != simdjson::SUCCESS) {
      Fail(RejectReason::kWrongType, path + ": must be a string");
    }
    if (!core::IsPhotoHash(hash)) {
      Fail(RejectReason::kInvalidValue, path + ": must be a SHA-256 in 64 lowercase hex digits");
    }
    if (std::find(hashes.begin(), hashes.end(), hash) != hashes.end()) {
      Fail(RejectReason::kInvalidValue, path + ": the same photo twice");
    }
    hashes.emplace_back(hash);
  }
  return hashes;
}

core::Tap DecodeTapObject(const JsonReader& r) {
  r.ExpectMembers({"msg_id", "device_id", "technician_id", "site", "tag", "read_at", "sent_at",
                   "kind", "firmware"},
                  {"checklist", "result", "defects", "work_order_id", "photos"});
  core::Tap tap;
  tap.msg_id = r.String("msg_id", core::IsMsgId, kMsgIdRule);
  tap.device_id = r.String("device_id", core::IsEntityId, kEntityRule);
  tap.technician_id = r.String("technician_id", core::IsEntityId, kEntityRule);
  tap.site = r.String("site", core::IsSiteId, kSiteRule);
  tap.tag = DecodeTag(r);
  tap.read_at = r.Timestamp("read_at");
  tap.sent_at = r.Timestamp("sent_at");
  tap.kind = r.Enum("kind", core::ParseTapKind, "start, end");
  tap.firmware = r.String("firmware", core::IsFirmware, kFirmwareRule);
  if (r.Has("work_order_id")) {
    tap.work_order_id = r.String("work_order_id", core::IsEntityId, kEntityRule);
  }

  if (tap.kind == core::TapKind::kStart) {
    for (std::string_view key : {"checklist", "result", "defects", "photos"}) {
      if (r.Has(key)) Fail(RejectReason::kInvalidValue, r.PathOf(key) + ": start taps carry none");
    }
    return tap;
  }
  for (std::string_view key : {"checklist", "result"}) {
    if (!r.Has(key)) Fail(RejectReason::kMissingField, r.PathOf(key) + ": required on end taps");
  }
  const JsonReader checklist(r.At("checklist"), r.PathOf("checklist"));
  if (checklist.Members().size() > 64) {
    Fail(RejectReason::kInvalidValue, r.PathOf("checklist") + ": at most 64 items");
  }
  for (auto [item, answer] : checklist.Members()) {
    if (!core::IsSnakeCode(item)) {
      Fail(RejectReason::kInvalidValue, checklist.PathOf(item) + ": item id must match " +
                                            std::string(kCodeRule));
    }
    tap.checklist[std::string(item)] = checklist.Enum(item, core::ParseChecklistAnswer, "pass, fail, na");
  }
  tap.result = r.Enum("result", core::ParseInspectionResult, "pass, fail");
  if (r.Has("defects")) {
    const auto defects = r.Array("defects", 0, 32);
    for (std::size_t i = 0; i < defects.size(); ++i) {
      tap.defects.push_back(DecodeDefect(defects[i], r.PathOf("defects") + "/" + std::to_string(i)));
    }
  }
  if (r.Has("photos")) tap.photos = DecodePhotoHashes(r);
  if (tap.result == core::InspectionResult::kFail) {
    if (!r.Has("defects")) Fail(RejectReason::kMissingField, "/defects: required when result is fail");
    if (tap.defects.empty()) Fail(RejectReason::kInvalidValue, "/defects: a failed inspection lists at least one defect");
  }
  return tap;
}

core::Reading DecodeReading(JsonValue value, const std::string& path) {
  const JsonReader r(value, path);
  const std::string type = r.String("type");
  if (type == "state") {
    r.ExpectMembers({"type", "state"});
    return core::StateReading{r.Enum("state", core::ParseShutterState, "open, closing, closed, opening")};
  }
  if (type == "closing_duration") {
    r.ExpectMembers({"type", "ms"});
    return core::ClosingDurationReading{r.Integer("ms", 0, 600000)};
  }
  if (type == "motor_current") {
    r.ExpectMembers({"type", "ma"});
    return core::MotorCurrentReading{r.Integer("ma", 0, 100000)};
  }
  if (type == "battery") {
    r.ExpectMembers({"type", "percent"});
    return core::BatteryReading{r.Integer("percent", 0, 100)};
  }
  if (type == "heartbeat") {
    r.ExpectMembers({"type", "uptime_s"});
    return core::HeartbeatReading{r.Integer("uptime_s", 0, 4294967295LL)};
  }
  Fail(RejectReason::kInvalidValue,
       r.PathOf("type") + ": must be one of state, closing_duration, motor_current, battery, heartbeat");
}

core::Telemetry DecodeTelemetryObject(const JsonReader& r) {
  r.ExpectMembers({"msg_id", "asset_id", "site", "device_time", "readings"}, {"firmware"});
  core::Telemetry t;
  t.msg_id = r.String("msg_id", core::IsMsgId, kMsgIdRule);
  t.asset_id = r.String("asset_id", core::IsEntityId, kEntityRule);
  t.site = r.String("site", core::IsSiteId, kSiteRule);
  t.device_time = r.Timestamp("device_time");
  if (r.Has("firmware")) t.firmware = r.String("firmware", core::IsFirmware, kFirmwareRule);
  const auto readings = r.Array("readings", 1, 16);
  for (std::size_t i = 0; i < readings.size(); ++i) {
    t.readings.push_back(DecodeReading(readings[i], r.PathOf("readings") + "/" + std::to_string(i)));
  }
  return t;
}

// Registry records: the reader checks shape and JSON types, core::Validate* the values,
// so CSV and JSON imports share one set of rules.
int SmallInteger(const JsonReader& r, std::string_view key) {
  return static_cast<int>(r.Integer(key, -1000000, 1000000));
}

std::vector<std::string> StringList(const JsonReader& r, std::string_view key) {
  std::vector<std::string> list;
  const auto items = r.Array(key, 0, 1000);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string()) {
      Fail(RejectReason::kWrongType, r.PathOf(key) + "/" + std::to_string(i) + ": expected a string");
    }
    list.emplace_back(items[i].get_string().value_unsafe());
  }
  return list;
}

template <class T>
T Validated(T record, std::optional<core::Rejection> (*validate)(const T&)) {
  if (auto problem = validate(record)) throw DecodeFailure{*problem};
  return record;
}

// The first `max_chars` code points of UTF-8 text, never splitting a character.
std::string TruncateChars(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max_chars) {
      return text.substr(0, i);
    }
  }
  return text;
}

json ReadingToJson(const core::Reading& reading) {
  return std::visit(
      [](const auto& r) -> json {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, core::StateReading>) {
          return {{"type", "state"}, {"state", core::ToString(r.state)}};
        } else if constexpr (std::is_same_v<R, core::ClosingDurationReading>) {
          return {{"type", "closing_duration"}, {"ms", r.ms}};
        } else if constexpr (std::is_same_v<R, core::MotorCurrentReading>) {
          return {{"type", "motor_current"}, {"ma", r.ma}};
        } else if constexpr (std::is_same_v<R, core::BatteryReading>) {
          return {{"type", "battery"}, {"percent", r.percent}};
        } else {
          return {{"type", "heartbeat"}, {"uptime_s", r.uptime_s}};
        }
      },
      reading);
}

json ReadingsToJson(const std::vector<core::Reading>& readings) {
  json out = json::array();
  for (const auto& r : readings) out.push_back(ReadingToJson(r));
  return out;
}

json ChecklistToJson(const std::map<std::string, core::ChecklistAnswer>& checklist) {
  json out = json::object();
  for (const auto& [item, answer] : checklist) out[item] = core::ToString(answer);
  return out;
}

json DefectsToJson(const std::vector<core::Defect>& defects) {
  json out = json::array();
  for (const auto& d : defects) {
    json item = {{"code", d.code}, {"severity", core::ToString(d.severity)}};
    if (!d.note.empty()) item["note"] = d.note;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

core::Result<core::Tap> DecodeTap(std::string_view text) {
  return DecodeObject<core::Tap>(text, DecodeTapObject);
}

core::Result<core::Telemetry> DecodeTelemetry(std::string_view text) {
  return DecodeObject<core::Telemetry>(text, DecodeTelemetryObject);
}

core::Result<core::Asset> DecodeAsset(std::string_view text) {
  return DecodeObject<core::Asset>(text, [](const JsonReader& r) {
    r.ExpectMembers({"asset_id", "site", "building", "floor", "location", "x_m", "y_m",
                     "asset_type", "tag_uid", "interval_days", "owner_id", "sensor_equipped"});
    core::Asset a;
    a.asset_id = r.String("asset_id");
    a.site = r.String("site");
    a.building = r.String("building");
    a.floor = SmallInteger(r, "floor");
    a.location = r.String("location");
    a.x_m = r.Number("x_m", -1e300, 1e300);
    a.y_m = r.Number("y_m", -1e300, 1e300);
    a.asset_type = r.String("asset_type");
    a.tag_uid = r.String("tag_uid");
    a.interval_days = SmallInteger(r, "interval_days");
    a.owner_id = r.String("owner_id");
    a.sensor_equipped = r.Boolean("sensor_equipped");
    a = Validated(std::move(a), core::ValidateAsset);
    for (char& c : a.tag_uid) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return a;
  });
}

core::Result<core::Technician> DecodeTechnician(std::string_view text) {
  return DecodeObject<core::Technician>(text, [](const JsonReader& r) {
    r.ExpectMembers({"technician_id", "name", "company", "qualifications", "sites"});
    core::Technician t;
    t.technician_id = r.String("technician_id");
    t.name = r.Text("name", 1, 100);
    t.company = r.String("company");
    t.qualifications = StringList(r, "qualifications");
    t.sites = StringList(r, "sites");
    return Validated(std::move(t), core::ValidateTechnician);
  });
}

core::Result<core::Device> DecodeDevice(std::string_view text) {
  return DecodeObject<core::Device>(text, [](const JsonReader& r) {
    r.ExpectMembers({"device_id", "site", "company"});
    return Validated(core::Device{r.String("device_id"), r.String("site"), r.String("company")},
                     core::ValidateDevice);
  });
}

core::Result<core::RejectionNotice> DecodeRejectionNotice(std::string_view text) {
  return DecodeObject<core::RejectionNotice>(text, [](const JsonReader& r) {
    r.ExpectMembers({"msg_id", "topic", "reason", "detail", "rejected_at"});
    core::RejectionNotice n;
    if (!r.IsNull("msg_id")) n.msg_id = r.String("msg_id", core::IsMsgId, kMsgIdRule);
    n.topic = r.Text("topic", 0, 512);
    n.reason = r.Enum("reason", core::ParseReasonCode, "the reasons in docs/messages.md");
    n.detail = r.Text("detail", 0, 1000);
    n.rejected_at = r.Timestamp("rejected_at");
    return n;
  });
}

json ChecksToJson(const std::vector<core::Check>& checks) {
  json out = json::array();
  for (const auto& c : checks) {
    out.push_back({{"name", c.name},
                   {"status", core::ToString(c.status)},
                   {"detail", TruncateChars(c.detail, 1000)}});
  }
  return out;
}

std::string EncodeChecks(const std::vector<core::Check>& checks) {
  return ChecksToJson(checks).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string EncodeVerdictNotice(const core::VerdictNotice& n) {
  const json checks = ChecksToJson(n.assessment.checks);
  json j{{"inspection_id", n.inspection_id ? json(*n.inspection_id) : json(nullptr)},
         {"end_msg_id", n.end_msg_id},
         {"asset_id", n.asset_id ? json(*n.asset_id) : json(nullptr)},
         {"verdict", core::ToString(n.assessment.verdict)},
         {"strength", core::ToString(n.assessment.strength)},
         {"checks", checks},
         {"assessed_at", core::FormatRfc3339(n.assessed_at)}};
  if (!n.work_orders_opened.empty()) j["work_orders_opened"] = n.work_orders_opened;
  if (!n.work_order_completed.empty()) j["work_order_completed"] = n.work_order_completed;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

core::Result<core::VerdictNotice> DecodeVerdictNotice(std::string_view text) {
  return DecodeObject<core::VerdictNotice>(text, [](const JsonReader& r) {
    r.ExpectMembers(
        {"inspection_id", "end_msg_id", "asset_id", "verdict", "strength", "checks", "assessed_at"},
        {"work_orders_opened", "work_order_completed"});
    core::VerdictNotice n;
    if (!r.IsNull("inspection_id")) {
      n.inspection_id = r.Integer("inspection_id", 1, std::numeric_limits<std::int64_t>::max());
    }
    n.end_msg_id = r.String("end_msg_id", core::IsMsgId, kMsgIdRule);
    if (!r.IsNull("asset_id")) n.asset_id = r.String("asset_id", core::IsEntityId, kEntityRule);
    n.assessment.verdict = r.Enum("verdict", core::ParseVerdict,
                                  "verified, verified_with_defects, needs_review, rejected");
    n.assessment.strength = r.Enum("strength", core::ParseEvidenceStrength, "strong, weak");
    const auto checks = r.Array("checks", 1, 32);
    for (std::size_t i = 0; i < checks.size(); ++i) {
      const JsonReader c(checks[i], r.PathOf("checks") + "/" + std::to_string(i));
      c.ExpectMembers({"name", "status", "detail"});
      n.assessment.checks.push_back({c.String("name", core::IsSnakeCode, kCodeRule),
                                     c.Enum("status", core::ParseCheckStatus, "pass, review, fail, n/a"),
                                     c.Text("detail", 0, 1000)});
    }
    n.assessed_at = r.Timestamp("assessed_at");
    if (r.Has("work_orders_opened")) {
      const auto opened = r.Array("work_orders_opened", 1, 32);
      for (std::size_t i = 0; i < opened.size(); ++i) {
        const std::string path = r.PathOf("work_orders_opened") + "/" + std::to_string(i);
        std::string_view id;
        if (opened[i].get_string().get(id) != simdjson::SUCCESS || !core::IsEntityId(id)) {
          Fail(core::RejectReason::kInvalidValue, path + ": must match " + std::string(kEntityRule));
        }
        n.work_orders_opened.emplace_back(id);
      }
    }
    if (r.Has("work_order_completed")) {
      n.work_order_completed = r.String("work_order_completed", core::IsEntityId, kEntityRule);
    }
    return n;
  });
}

core::Result<std::vector<core::AssetTypePolicy>> DecodeAssetTypePolicies(std::string_view text) {
  return DecodeObject<std::vector<core::AssetTypePolicy>>(text, [](const JsonReader& root) {
    root.ExpectMembers({"asset_types"});
    std::vector<core::AssetTypePolicy> policies;
    const auto types = root.Array("asset_types", 1, 100);
    for (std::size_t i = 0; i < types.size(); ++i) {
      const JsonReader t(types[i], "/asset_types/" + std::to_string(i));
      t.ExpectMembers({"asset_type", "min_dwell_s", "closing_ms", "checklist"}, {"alarms"});
      core::AssetTypePolicy policy;
      policy.asset_type = t.String("asset_type", core::IsAssetType, "^[a-z][a-z0-9_]{0,31}$");
      policy.min_dwell = t.Integer("min_dwell_s", 0, 86400) * 1000;
      const JsonReader closing(t.At("closing_ms"), t.PathOf("closing_ms"));
      closing.ExpectMembers({"min", "max"});
      policy.min_closing_ms = closing.Integer("min", 0, 600000);
      policy.max_closing_ms = closing.Integer("max", policy.min_closing_ms, 600000);
      const auto items = t.Array("checklist", 1, 64);
      for (std::size_t j = 0; j < items.size(); ++j) {
        const JsonReader item(items[j], t.PathOf("checklist") + "/" + std::to_string(j));
        item.ExpectMembers({"id", "text"}, {"text_de"});
        policy.checklist.push_back(item.String("id", core::IsSnakeCode, kCodeRule));
        policy.checklist_wording.push_back(
            {item.Text("text", 1, 200), item.Has("text_de") ? item.Text("text_de", 1, 200) : ""});
      }
      policies.push_back(std::move(policy));
    }
    return policies;
  });
}

core::Result<std::map<std::string, core::AlarmPolicy>> DecodeAlarmPolicies(std::string_view text) {
  const auto types = DecodeAssetTypePolicies(text);  // Checks the rest of the file.
  if (!types.ok()) return types.error();
  return DecodeObject<std::map<std::string, core::AlarmPolicy>>(text, [&](const JsonReader& root) {
    std::map<std::string, core::AlarmPolicy> policies;
    const auto items = root.Array("asset_types", 1, 100);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const JsonReader t(items[i], "/asset_types/" + std::to_string(i));
      const core::AssetTypePolicy& type = types.value()[i];
      core::AlarmPolicy& p = policies[type.asset_type];
      p.min_closing_ms = type.min_closing_ms;
      p.max_closing_ms = type.max_closing_ms;
      if (!t.Has("alarms")) continue;
      const JsonReader a(t.At("alarms"), t.PathOf("alarms"));
      a.ExpectMembers({}, {"heartbeat_s", "battery_low_percent", "battery_clear_percent", "drift_percent",
                           "drift_recent_days", "drift_baseline_days", "drift_min_closings", "work_order_for"});
      if (a.Has("heartbeat_s")) p.heartbeat = a.Integer("heartbeat_s", 60, 30 * 86400) * 1000;
      if (a.Has("battery_low_percent")) p.battery_low_percent = a.Integer("battery_low_percent", 0, 100);
      if (a.Has("battery_clear_percent")) {
        p.battery_clear_percent = a.Integer("battery_clear_percent", p.battery_low_percent, 100);
      }
      if (a.Has("drift_percent")) p.drift_percent = a.Number("drift_percent", 1, 1000);
      if (a.Has("drift_recent_days")) p.drift_recent_days = a.Integer("drift_recent_days", 1, 365);
      if (a.Has("drift_baseline_days")) p.drift_baseline_days = a.Integer("drift_baseline_days", 1, 3650);
      if (a.Has("drift_min_closings")) p.drift_min_closings = a.Integer("drift_min_closings", 1, 10000);
      if (a.Has("work_order_for")) {
        p.work_order_for.clear();
        const auto kinds = a.Array("work_order_for", 0, core::kAlarmKindCount);
        for (std::size_t k = 0; k < kinds.size(); ++k) {
          const std::string_view name = kinds[k].is_string() ? std::string_view(kinds[k].get_string().value()) : "";
          const auto kind = core::AlarmKindFromString(name);
          if (!kind) {
            Fail(core::RejectReason::kInvalidValue,
                 a.PathOf("work_order_for") + "/" + std::to_string(k) +
                     ": not an alarm kind (sensor_silent, battery_low, closing_out_of_range, closing_drift, "
                     "closing_incomplete)");
          }
          p.work_order_for.push_back(*kind);
        }
      }
    }
    return policies;
  });
}

namespace {

constexpr std::int64_t kDay = 86'400'000;

// Each member present replaces the default in `out`, scaled to milliseconds.
void ReadMillis(const JsonReader& r, std::string_view key, std::int64_t unit, std::int64_t max,
                core::UnixMillis& out) {
  if (r.Has(key)) out = r.Integer(key, 0, max / unit) * unit;
}

core::TravelPolicy ReadTravel(const JsonReader& r, core::TravelPolicy travel) {
  r.ExpectMembers({}, {"walking_speed_mps", "per_floor_s", "building_change_s", "vehicle_speed_mps",
                       "vehicle_overhead_s", "legs"});
  if (r.Has("walking_speed_mps")) travel.walking_speed_mps = r.Number("walking_speed_mps", 0.1, 20);
  if (r.Has("vehicle_speed_mps")) travel.vehicle_speed_mps = r.Number("vehicle_speed_mps", 0.1, 100);
  ReadMillis(r, "per_floor_s", 1000, kDay, travel.per_floor);
  ReadMillis(r, "building_change_s", 1000, kDay, travel.building_change);
  ReadMillis(r, "vehicle_overhead_s", 1000, kDay, travel.vehicle_overhead);
  if (r.Has("legs")) {
    travel.legs.clear();
    const auto legs = r.Array("legs", 0, 10'000);
    for (std::size_t i = 0; i < legs.size(); ++i) {
      const JsonReader leg(legs[i], r.PathOf("legs") + "/" + std::to_string(i));
      leg.ExpectMembers({"from", "to", "least_s"});
      travel.legs.push_back({leg.Text("from", 1, 64), leg.Text("to", 1, 64),
                             leg.Integer("least_s", 0, kDay / 1000) * 1000});
    }
  }
  return travel;
}

}  // namespace

core::Result<core::VerificationPolicy> DecodeVerificationPolicy(std::string_view text) {
  return DecodeObject<core::VerificationPolicy>(text, [](const JsonReader& root) {
    root.ExpectMembers({}, {"freshness", "timing", "pairing", "travel", "sites"});
    root.ExpectPlainText();
    core::VerificationPolicy p;
    if (root.Has("freshness")) {
      const JsonReader r(root.At("freshness"), root.PathOf("freshness"));
      r.ExpectMembers({}, {"rollback_tolerance_s"});
      ReadMillis(r, "rollback_tolerance_s", 1000, kDay, p.rollback_tolerance);
    }
    if (root.Has("timing")) {
      const JsonReader r(root.At("timing"), root.PathOf("timing"));
      r.ExpectMembers({}, {"future_tolerance_s", "max_delivery_delay_h", "max_withheld_min", "on_time_s"});
      ReadMillis(r, "future_tolerance_s", 1000, kDay, p.timing.future_tolerance);
      ReadMillis(r, "max_delivery_delay_h", 3'600'000, 365 * kDay, p.timing.max_delivery_delay);
      ReadMillis(r, "max_withheld_min", 60'000, 365 * kDay, p.timing.max_withheld);
      ReadMillis(r, "on_time_s", 1000, kDay, p.timing.on_time);
    }
    if (root.Has("pairing")) {
      const JsonReader r(root.At("pairing"), root.PathOf("pairing"));
      r.ExpectMembers({}, {"end_waits_for_start_min", "max_session_h"});
      ReadMillis(r, "end_waits_for_start_min", 60'000, kDay, p.end_waits_for_start);
      ReadMillis(r, "max_session_h", 3'600'000, 7 * kDay, p.max_session);
    }
    if (root.Has("travel")) p.travel = ReadTravel(JsonReader(root.At("travel"), root.PathOf("travel")), p.travel);
    if (root.Has("sites")) {
      const JsonReader sites(root.At("sites"), root.PathOf("sites"));
      for (const auto field : sites.Members()) {
        const std::string code(field.key);
        if (!core::IsSiteId(code)) {
          Fail(core::RejectReason::kInvalidValue, sites.PathOf(code) + ": not a site code");
        }
        const JsonReader s(field.value, sites.PathOf(code));
        s.ExpectMembers({"travel"});
        p.site_travel[code] = ReadTravel(JsonReader(s.At("travel"), s.PathOf("travel")), p.travel);
      }
    }
    return p;
  });
}

std::string EncodeTap(const core::Tap& tap) {
  json j = {{"msg_id", tap.msg_id},
            {"device_id", tap.device_id},
            {"technician_id", tap.technician_id},
            {"site", tap.site},
            {"read_at", core::FormatRfc3339(tap.read_at)},
            {"sent_at", core::FormatRfc3339(tap.sent_at)},
            {"kind", core::ToString(tap.kind)},
            {"firmware", tap.firmware}};
  j["tag"] = tap.tag.type == core::TagRead::Type::kSun
                 ? json{{"type", "sun"}, {"url", tap.tag.value}}
                 : json{{"type", "uid"}, {"uid", tap.tag.value}};
  if (tap.kind == core::TapKind::kEnd) j["checklist"] = ChecklistToJson(tap.checklist);
  if (tap.result) j["result"] = core::ToString(*tap.result);
  if (!tap.defects.empty()) j["defects"] = DefectsToJson(tap.defects);
  if (tap.work_order_id) j["work_order_id"] = *tap.work_order_id;
  if (!tap.photos.empty()) j["photos"] = tap.photos;
  return j.dump();
}

std::string EncodeTelemetry(const core::Telemetry& t) {
  json j = {{"msg_id", t.msg_id},
            {"asset_id", t.asset_id},
            {"site", t.site},
            {"device_time", core::FormatRfc3339(t.device_time)}};
  if (t.firmware) j["firmware"] = *t.firmware;
  j["readings"] = ReadingsToJson(t.readings);
  return j.dump();
}

std::string EncodeReadings(const std::vector<core::Reading>& readings) {
  return ReadingsToJson(readings).dump();
}

std::string EncodeChecklist(const std::map<std::string, core::ChecklistAnswer>& checklist) {
  return ChecklistToJson(checklist).dump();
}

std::string EncodePhotoHashes(const std::vector<std::string>& photos) {
  return photos.empty() ? std::string() : json(photos).dump();
}

std::string EncodeDefects(const std::vector<core::Defect>& defects) {
  return DefectsToJson(defects).dump();
}

std::string EncodeAsset(const core::Asset& a) {
  return json{{"asset_id", a.asset_id},       {"site", a.site},
              {"building", a.building},       {"floor", a.floor},
              {"location", a.location},       {"x_m", a.x_m},
              {"y_m", a.y_m},                 {"asset_type", a.asset_type},
              {"tag_uid", a.tag_uid},         {"interval_days", a.interval_days},
              {"owner_id", a.owner_id},       {"sensor_equipped", a.sensor_equipped}}
      .dump();
}

std::string EncodeTechnician(const core::Technician& t) {
  return json{{"technician_id", t.technician_id},
              {"name", t.name},
              {"company", t.company},
              {"qualifications", t.qualifications},
              {"sites", t.sites}}
      .dump();
}

std::string EncodeDevice(const core::Device& d) {
  return json{{"device_id", d.device_id}, {"site", d.site}, {"company", d.company}}.dump();
}

std::string EncodeRejectionNotice(const core::RejectionNotice& n) {
  // Topics and details echo what the sender sent and can be long; the contract caps them.
  json j = {{"topic", TruncateChars(n.topic, 512)},
            {"reason", core::ReasonCode(n.reason)},
            {"detail", TruncateChars(n.detail, 1000)},
            {"rejected_at", core::FormatRfc3339(n.rejected_at)}};
  j["msg_id"] = n.msg_id ? json(*n.msg_id) : json(nullptr);
  // Bytes from a rejected payload may not be valid UTF-8; never let that throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::string> PeekMsgId(std::string_view text) {
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto it = j.find("msg_id");
  if (it == j.end() || !it->is_string() || !core::IsMsgId(it->get<std::string>())) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

bool IsSunUrl(std::string_view s) {
  std::size_t pos = 0;
  if (!Eat(s, pos, "https://") && !Eat(s, pos, "http://")) return false;
  const std::size_t host_start = pos;
  while (pos < s.size() && (std::isalnum(static_cast<unsigned char>(s[pos])) || s[pos] == '.' ||
                            s[pos] == '-')) {
    ++pos;
  }
  if (pos == host_start) return false;
  if (pos < s.size() && s[pos] == ':') {
    const std::size_t port_start = ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == port_start || pos - port_start > 5) return false;
  }
  if (pos < s.size() && s[pos] == '/') {
    while (pos < s.size() && (std::isalnum(static_cast<unsigned char>(s[pos])) ||
                              std::string_view("._~%/-").find(s[pos]) != std::string_view::npos)) {
      ++pos;
    }
  }
  if (!Eat(s, pos, "?")) return false;
  if (Eat(s, pos, "picc_data=") || Eat(s, pos, "e=")) {
    if (!IsHexRun(s, pos, 32)) return false;
    pos += 32;
    if (Eat(s, pos, "&enc=")) {
      int blocks = 0;
      while (IsHexRun(s, pos, 32) && blocks < 8) {
        pos += 32;
        ++blocks;
      }
      if (blocks == 0) return false;
    }
  } else if (Eat(s, pos, "uid=")) {
    if (!IsHexRun(s, pos, 14)) return false;
    pos += 14;
    if (!Eat(s, pos, "&ctr=") || !IsHexRun(s, pos, 6)) return false;
    pos += 6;
  } else {
    return false;
  }
  if (!Eat(s, pos, "&cmac=") && !Eat(s, pos, "&c=")) return false;
  return IsHexRun(s, pos, 16) && pos + 16 == s.size();
}

}  // namespace fieldproof::codec
