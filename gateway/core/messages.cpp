#include "gateway/core/messages.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "gateway/core/identifiers.hpp"

namespace fieldproof::core {
namespace {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<TapKind, 2> kTapKinds{{{TapKind::kStart, "start"}, {TapKind::kEnd, "end"}}};
constexpr NameTable<ChecklistAnswer, 3> kAnswers{{{ChecklistAnswer::kPass, "pass"},
                                                  {ChecklistAnswer::kFail, "fail"},
                                                  {ChecklistAnswer::kNotApplicable, "na"}}};
constexpr NameTable<InspectionResult, 2> kResults{
    {{InspectionResult::kPass, "pass"}, {InspectionResult::kFail, "fail"}}};
constexpr NameTable<Severity, 3> kSeverities{{{Severity::kMinor, "minor"},
                                              {Severity::kMajor, "major"},
                                              {Severity::kCritical, "critical"}}};
constexpr NameTable<ShutterState, 4> kStates{{{ShutterState::kOpen, "open"},
                                              {ShutterState::kClosing, "closing"},
                                              {ShutterState::kClosed, "closed"},
                                              {ShutterState::kOpening, "opening"}}};

template <class E, std::size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <class E, std::size_t N>
std::optional<E> ValueOf(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

Rejection Invalid(std::string detail) { return {RejectReason::kInvalidValue, std::move(detail)}; }

}  // namespace

std::string_view ToString(TapKind v) { return NameOf(kTapKinds, v); }
std::string_view ToString(ChecklistAnswer v) { return NameOf(kAnswers, v); }
std::string_view ToString(InspectionResult v) { return NameOf(kResults, v); }
std::string_view ToString(Severity v) { return NameOf(kSeverities, v); }
std::string_view ToString(ShutterState v) { return NameOf(kStates, v); }
std::optional<TapKind> ParseTapKind(std::string_view s) { return ValueOf(kTapKinds, s); }
std::optional<ChecklistAnswer> ParseChecklistAnswer(std::string_view s) {
  return ValueOf(kAnswers, s);
}
std::optional<InspectionResult> ParseInspectionResult(std::string_view s) {
  return ValueOf(kResults, s);
}
std::optional<Severity> ParseSeverity(std::string_view s) { return ValueOf(kSeverities, s); }
std::optional<ShutterState> ParseShutterState(std::string_view s) { return ValueOf(kStates, s); }

std::optional<Rejection> ValidateAsset(const Asset& a) {
  if (!IsEntityId(a.asset_id)) return Invalid("asset_id: not a valid identifier");
  if (!IsSiteId(a.site)) return Invalid("site: not a valid site code");
  if (!IsEntityId(a.building)) return Invalid("building: not a valid identifier");
  if (a.floor < -20 || a.floor > 200) return Invalid("floor: must be between -20 and 200");
  if (CodePointCount(a.location) > 200) return Invalid("location: longer than 200 characters");
  for (double coordinate : {a.x_m, a.y_m}) {
    if (!std::isfinite(coordinate) || std::abs(coordinate) > 100000) {
      return Invalid("x_m/y_m: must be between -100000 and 100000 metres");
    }
  }
  if (!IsAssetType(a.asset_type)) return Invalid("asset_type: must match ^[a-z][a-z0-9_]{0,31}$");
  if (!IsTagUid(a.tag_uid)) return Invalid("tag_uid: must be 14 hex digits");
  if (a.interval_days < 1 || a.interval_days > 3660) {
    return Invalid("interval_days: must be between 1 and 3660");
  }
  if (!IsEntityId(a.owner_id)) return Invalid("owner_id: not a valid identifier");
  return std::nullopt;
}

std::optional<Rejection> ValidateTechnician(const Technician& t) {
  if (!IsEntityId(t.technician_id)) return Invalid("technician_id: not a valid identifier");
  if (t.name.empty() || CodePointCount(t.name) > 100) return Invalid("name: must be 1 to 100 characters");
  if (!IsEntityId(t.company)) return Invalid("company: not a valid identifier");
  if (t.qualifications.size() > 32) return Invalid("qualifications: more than 32");
  for (const auto& q : t.qualifications) {
    if (!IsAssetType(q)) return Invalid("qualifications: '" + q + "' is not an asset type");
  }
  if (t.sites.empty() || t.sites.size() > 64) return Invalid("sites: must list 1 to 64 sites");
  for (const auto& s : t.sites) {
    if (!IsSiteId(s)) return Invalid("sites: '" + s + "' is not a site code");
  }
  auto has_duplicates = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return std::adjacent_find(v.begin(), v.end()) != v.end();
  };
  if (has_duplicates(t.qualifications)) return Invalid("qualifications: listed twice");
  if (has_duplicates(t.sites)) return Invalid("sites: listed twice");
  return std::nullopt;
}

std::optional<Rejection> ValidateDevice(const Device& d) {
  if (!IsEntityId(d.device_id)) return Invalid("device_id: not a valid identifier");
  if (!IsSiteId(d.site)) return Invalid("site: not a valid site code");
  if (!IsEntityId(d.company)) return Invalid("company: not a valid identifier");
  return std::nullopt;
}

}  // namespace fieldproof::core
