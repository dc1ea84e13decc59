#pragma once
// The JSON people and their programs read: the API's responses and the CLI's --json output
// (docs/openapi.yaml, docs/api.md). Every document is indented by two and ends with a
// newline; text that is not valid UTF-8 (ids echoed from a request, a rejected payload) is
// written as U+FFFD rather than failing.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/core/access.hpp"
#include "gateway/core/inspection.hpp"
#include "gateway/core/invoice.hpp"
#include "gateway/core/tag_commissioning.hpp"
#include "gateway/core/maintenance_record.hpp"
#include "gateway/core/views.hpp"

namespace fieldproof::codec {

std::string EncodeError(std::string_view message);  // {"error": "..."} on one line.

struct Health {
  std::string status;  // ok | intake_paused
  std::int64_t schema_version = 0;
  std::string intake;  // Why intake is paused; omitted when empty.
};
std::string EncodeHealth(const Health& health);

std::string EncodePrincipal(const core::Principal& principal);
std::string EncodeSites(std::span<const core::SiteSummary> sites);
std::string EncodeAssetPage(const core::Page<core::AssetSummary>& page);
std::string EncodeInspectionPage(const core::Page<core::InspectionSummary>& page);
std::string EncodeInspectionList(std::span<const core::InspectionSummary> inspections);
std::string EncodeInspectionDetail(const core::InspectionDetail& detail);
std::string EncodeRecordPage(const core::Page<core::MaintenanceRecord>& page);

// POST /api/v1/reviews: {"inspection_id": N, "decision": "verified"|"rejected", "reason": "..."}.
struct ReviewRequest {
  std::int64_t inspection_id = 0;
  bool verified = false;
  std::string reason;
};
// nullopt, with `error` saying what is wrong, for any other body.
std::optional<ReviewRequest> DecodeReviewRequest(std::string_view body, std::string* error);

struct ReviewOutcome {
  std::int64_t inspection_id = 0;
  std::string decision;
  std::string reviewer;
  core::MaintenanceRecord record;  // The review's record: its site, seq and hash are shown.
};
std::string EncodeReviewOutcome(const ReviewOutcome& outcome);

// Rejected messages: a page for the API, a plain array for `fieldproof rejected --json`.
std::string EncodeRejectedPage(const core::Page<core::RejectedMessage>& page);
std::string EncodeRejectedArray(std::span<const core::RejectedMessage> messages);

// Issued documents: {"items": [...]} for the API, a plain array for the CLI.
std::string EncodeInvoiceSummaries(std::span<const core::InvoiceSummary> invoices);
std::string EncodeInvoiceSummaryArray(std::span<const core::InvoiceSummary> invoices);
std::string EncodeNotBillableArray(std::span<const core::NotBillable> inspections);

std::string EncodePhotoInfo(const core::PhotoInfo& photo);

// A handheld's copy of its site: {site, generated_at, asset_types: [{asset_type,
// checklist, min_dwell_s}], assets: [...]} (docs/handheld.md).
std::string EncodeSiteSnapshot(std::string_view site, core::UnixMillis generated_at,
                               std::span<const core::AssetTypePolicy> asset_types,
                               std::span<const core::HandheldAsset> assets);

// What an enrolled handheld needs: {device_id, site, mqtt: {url, client_id, username,
// password}, api_token (for its photos; left out when empty)}; shown once.
struct DeviceCredentials {
  std::string device_id;
  std::string site;
  std::string broker_url;
  std::string password;
  std::string api_token;
};
// POST /api/v1/enrol: {"code": "ABCD-EFGH-JKLM-NPQR"}; nullopt, with `error`, otherwise.
std::optional<std::string> DecodeEnrolRequest(std::string_view body, std::string* error);
std::string EncodeDeviceCredentials(const DeviceCredentials& credentials);

// POST /api/v1/handheld/sign-in: {"site", "technician_id", "pin"}.
struct SignInRequest {
  std::string site;
  std::string technician_id;
  std::string pin;
};
std::optional<SignInRequest> DecodeSignInRequest(std::string_view body, std::string* error);
std::string EncodeSignedIn(const core::Technician& technician);

// An asset's tags, the first installed first (GET /api/v1/assets/{asset}/tags, `tag history`).
std::string EncodeTagHistory(std::string_view site, std::string_view asset_id,
                             std::span<const core::TagTenure> tags);
// GET /api/v1/work-orders: newest first.
std::string EncodeWorkOrder(const core::WorkOrderRow& order);
std::string EncodeInspectionSummary(const core::InspectionSummary& inspection);
std::string EncodeWorkOrderPage(const core::Page<core::WorkOrderRow>& page);
// GET /api/v1/assets/{asset_id}: the asset page; a series is [{at, value}, …].
std::string EncodeAssetPage(const core::AssetPage& page);

struct DatabaseStats {
  std::string database;
  std::int64_t assets = 0, technicians = 0, devices = 0;
  std::int64_t taps = 0, telemetry = 0, rejected = 0;
  std::vector<std::pair<std::string, std::int64_t>> rejected_by_reason;
  std::vector<std::pair<std::string, std::int64_t>> inspections_by_verdict;
  std::vector<std::pair<std::string, std::int64_t>> active_alarms_by_kind;
  std::int64_t open_work_orders = 0;
  std::int64_t open_reviews = 0;
};
std::string EncodeDatabaseStats(const DatabaseStats& stats);

// `fieldproof tag verify`: one line.
struct TagCheck {
  bool valid = false;
  std::string uid;                     // Hex, when valid.
  std::int64_t counter = 0;            // When valid.
  std::string file_data;               // Hex, when the tag mirrors file data.
  std::string reason;                  // When not valid.
};
std::string EncodeTagCheck(const TagCheck& check);

}  // namespace fieldproof::codec
