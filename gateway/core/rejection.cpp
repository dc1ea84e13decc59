#include "gateway/core/rejection.hpp"

#include <array>

namespace fieldproof::core {
namespace {
constexpr std::array<std::pair<RejectReason, std::string_view>, 11> kCodes{{
    {RejectReason::kPayloadTooLarge, "payload_too_large"},
    {RejectReason::kMalformedJson, "malformed_json"},
    {RejectReason::kNotAnObject, "not_an_object"},
    {RejectReason::kMissingField, "missing_field"},
    {RejectReason::kUnknownField, "unknown_field"},
    {RejectReason::kWrongType, "wrong_type"},
    {RejectReason::kInvalidValue, "invalid_value"},
    {RejectReason::kUnknownTopic, "unknown_topic"},
    {RejectReason::kTopicMismatch, "topic_mismatch"},
    {RejectReason::kUnknownAsset, "unknown_asset"},
    {RejectReason::kConflictingDuplicate, "conflicting_duplicate"},
}};
}  // namespace

std::string_view ReasonCode(RejectReason reason) {
  for (const auto& [r, code] : kCodes) {
    if (r == reason) return code;
  }
  return "unknown";
}

std::optional<RejectReason> ParseReasonCode(std::string_view code) {
  for (const auto& [r, c] : kCodes) {
    if (c == code) return r;
  }
  return std::nullopt;
}

std::string_view ToString(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::kNotFound: return "not_found";
    case RefusalKind::kConflict: return "conflict";
    case RefusalKind::kInvalid: return "invalid";
    case RefusalKind::kForbidden: return "forbidden";
  }
  return "?";
}

}  // namespace fieldproof::core
