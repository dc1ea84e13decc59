#include "gateway/codec/alarm_codec.hpp"

#include "gateway/codec/json_output.hpp"

namespace fieldproof::codec {
namespace {

using namespace json_output;

json EvidenceJson(const core::AlarmEvidence& e) {
  json item = {{"at", Time(e.at)}, {"what", e.what}};
  if (!e.msg_id.empty()) item["msg_id"] = e.msg_id;
  return item;
}

json AlarmJson(const core::AlarmRecord& a) {
  return {{"id", a.id},
          {"site", a.site},
          {"asset_id", a.asset_id},
          {"kind", core::ToString(a.kind)},
          {"status", core::ToString(a.status)},
          {"raised_at", Time(a.raised_at)},
          {"detail", a.detail},
          {"evidence", Array(std::span(a.evidence), EvidenceJson)},
          {"work_order", a.work_order.empty() ? json(nullptr) : json(a.work_order)},
          {"acknowledged_by", a.acknowledged_by.empty() ? json(nullptr) : json(a.acknowledged_by)},
          {"acknowledged_at", Time(a.acknowledged_at)},
          {"closed_by", a.closed_by.empty() ? json(nullptr) : json(a.closed_by)},
          {"closed_at", Time(a.closed_at)},
          {"close_reason", a.close_reason.empty() ? json(nullptr) : json(a.close_reason)},
          {"clear_evidence", Array(std::span(a.clear_evidence), EvidenceJson)}};
}

}  // namespace

std::string EncodeAlarmEvidence(std::span<const core::AlarmEvidence> evidence) {
  json array = json::array();
  for (const auto& e : evidence) array.push_back({{"msg_id", e.msg_id}, {"at", e.at}, {"what", e.what}});
  return array.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<core::AlarmEvidence> DecodeAlarmEvidence(std::string_view text) {
  const auto array = json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<core::AlarmEvidence> evidence;
  if (!array.is_array()) return evidence;
  for (const auto& e : array) {
    if (!e.is_object()) continue;
    evidence.push_back({e.value("msg_id", ""), e.value("at", core::UnixMillis{0}), e.value("what", "")});
  }
  return evidence;
}

std::string EncodeAlarm(const core::AlarmRecord& alarm) { return Dump(AlarmJson(alarm)); }

std::string EncodeAlarmPage(const core::Page<core::AlarmRecord>& page) { return Dump(PageJson(page, AlarmJson)); }

std::optional<std::string> DecodeCloseAlarm(std::string_view body, std::string* error) {
  const auto j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("reason") || !j["reason"].is_string()) {
    *error = R"(body must be {"reason": "..."})";
    return std::nullopt;
  }
  return j["reason"].get<std::string>();
}

}  // namespace fieldproof::codec
