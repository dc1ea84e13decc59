#pragma once
// JSON <-> domain types for every MQTT payload and registry record (schemas/*.json).
// Decoding is strict: unknown fields, wrong types and rule violations are rejected
// with the same verdict as the JSON Schema (tests/unit/codec/schema_examples_test.cpp).
#include <map>
#include <string>
#include <string_view>

#include "gateway/core/alarm.hpp"
#include "gateway/core/inspection.hpp"
#include "gateway/core/messages.hpp"
#include "gateway/core/rejection.hpp"

namespace fieldproof::codec {

core::Result<core::Tap> DecodeTap(std::string_view json);
core::Result<core::Telemetry> DecodeTelemetry(std::string_view json);
core::Result<core::Asset> DecodeAsset(std::string_view json);
core::Result<core::Technician> DecodeTechnician(std::string_view json);
core::Result<core::Device> DecodeDevice(std::string_view json);
core::Result<core::RejectionNotice> DecodeRejectionNotice(std::string_view json);

std::string EncodeTap(const core::Tap& tap);
std::string EncodeTelemetry(const core::Telemetry& telemetry);
std::string EncodeAsset(const core::Asset& asset);
std::string EncodeTechnician(const core::Technician& technician);
std::string EncodeDevice(const core::Device& device);
std::string EncodeRejectionNotice(const core::RejectionNotice& notice);

// Readings as a JSON array, the form the store keeps them in.
std::string EncodeReadings(const std::vector<core::Reading>& readings);
std::string EncodeChecklist(const std::map<std::string, core::ChecklistAnswer>& checklist);
std::string EncodeDefects(const std::vector<core::Defect>& defects);
// An end tap's photos as a maintenance record keeps them: a JSON array, "" when none.
std::string EncodePhotoHashes(const std::vector<std::string>& photos);

std::string EncodeVerdictNotice(const core::VerdictNotice& notice);
// The evidence of an assessment as a JSON array of {name, status, detail}.
std::string EncodeChecks(const std::vector<core::Check>& checks);
core::Result<core::VerdictNotice> DecodeVerdictNotice(std::string_view json);

// The asset-type policies file (ops/asset-types.json): minimum dwell, plausible closing
// time and the checklist per asset type.
core::Result<std::vector<core::AssetTypePolicy>> DecodeAssetTypePolicies(std::string_view json);
// The same file's alarm thresholds by asset type: each type's optional "alarms" object over
// the documented defaults, with its closing_ms range.
core::Result<std::map<std::string, core::AlarmPolicy>> DecodeAlarmPolicies(std::string_view json);

// The verification policy file (ops/verification-policy.json): every limit is optional and
// defaults to core::VerificationPolicy's; a site's travel starts from the file's own.
core::Result<core::VerificationPolicy> DecodeVerificationPolicy(std::string_view json);

// Best effort, for notices about messages that failed to decode.
std::optional<std::string> PeekMsgId(std::string_view json);

// The SUN URL rule of schemas/tap.json (the tag.url pattern), without a regex engine.
bool IsSunUrl(std::string_view url);

}  // namespace fieldproof::codec
