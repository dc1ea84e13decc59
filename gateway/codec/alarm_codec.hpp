#pragma once
// The JSON of alarms (docs/openapi.yaml: Alarm, AlarmPage) and of the evidence the store keeps
// with each.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/alarm.hpp"
#include "gateway/core/views.hpp"

namespace fieldproof::codec {

// Compact, for the store.
std::string EncodeAlarmEvidence(std::span<const core::AlarmEvidence> evidence);
// What EncodeAlarmEvidence wrote; empty for anything else.
std::vector<core::AlarmEvidence> DecodeAlarmEvidence(std::string_view json);

std::string EncodeAlarm(const core::AlarmRecord& alarm);
std::string EncodeAlarmPage(const core::Page<core::AlarmRecord>& page);

// POST /api/v1/alarms/{id}/close: {"reason": "..."}; nullopt, with `error`, for anything else.
std::optional<std::string> DecodeCloseAlarm(std::string_view body, std::string* error);

}  // namespace fieldproof::codec
