#pragma once
// What people are shown of stored data: the rows the store reads for the API and the CLI,
// and the codec writes. Plain data; the rules that made them live elsewhere in the core.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/coverage.hpp"
#include "gateway/core/maintenance_record.hpp"
#include "gateway/core/messages.hpp"
#include "gateway/core/tag_commissioning.hpp"
#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

// Which slice of a long list to show: at most `limit` items after skipping `offset`.
struct PageRequest {
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

template <class T>
struct Page {
  std::vector<T> items;
  PageRequest request;
  bool more = false;  // Items follow this page.
};

struct SiteSummary {
  std::string site;
  std::int64_t assets = 0;  // Those the asker sees.
};

struct AssetSummary {
  std::string site;
  std::string asset_id;
  std::string building;
  std::int64_t floor = 0;
  std::string location;
  std::string asset_type;
  std::int64_t interval_days = 0;
  bool sensor_equipped = false;
  std::optional<UnixMillis> last_verified;  // End of the last verified inspection.
};

struct InspectionSummary {
  std::int64_t id = 0;
  std::string site;
  std::optional<std::string> asset_id;  // None when the tag is on no registered asset.
  std::string technician_id;
  std::string device_id;
  UnixMillis started_at = 0;
  UnixMillis ended_at = 0;
  std::string verdict;  // After review, where a person decided.
  std::string strength;
};

struct CheckRow {
  std::string name;
  std::string status;
  std::string detail;
};

// How one tap of an inspection was judged (tap_evidence).
struct TapEvidenceRow {
  std::int64_t tap_id = 0;
  std::string kind;  // start | end
  std::string msg_id;
  std::optional<std::string> tag_uid;
  std::optional<std::int64_t> read_counter;
  UnixMillis read_at = 0;
  bool authentic = false;
  std::string tag_detail;
  std::string freshness;
  std::string freshness_detail;
  std::string timing;
  std::string timing_detail;
  std::int64_t clock_offset_ms = 0;
};

// A maintenance record that attests an inspection, as the inspection lists it.
struct RecordLink {
  std::int64_t seq = 0;
  std::string kind;
  std::string hash;
};

struct InspectionDetail {
  InspectionSummary inspection;
  std::vector<CheckRow> checks;
  std::vector<TapEvidenceRow> taps;
  std::vector<RecordLink> records;
  std::vector<std::string> photos;  // SHA-256, in the end tap's order.
};

struct RejectedMessage {
  std::int64_t id = 0;
  UnixMillis received_at = 0;
  std::string site;  // Empty when the topic named none.
  std::string topic;
  std::string msg_id;
  std::string reason;
  std::string detail;
  std::int64_t times_seen = 0;
  std::int64_t payload_bytes = 0;
  std::string payload_start;  // The first 120 bytes, as the sender sent them.
};

// An asset as a handheld shows it when its tag is read, online or off.
struct HandheldAsset {
  std::string asset_id;
  std::string asset_type;
  std::string building;
  std::int64_t floor = 0;
  std::string location;
  std::optional<UnixMillis> last_verified;
  std::optional<UnixMillis> next_due;
  std::vector<std::string> open_work_orders;  // WO-<n>
};

// A photo kept in the store (its bytes aside).
struct PhotoInfo {
  std::string sha256;
  std::string media_type;
  std::int64_t size = 0;
  std::string device_id;  // The handheld that uploaded it first.
  UnixMillis uploaded_at = 0;
};

// Follow-up work for a defect (WO-<n>), open or completed by a later verified visit.
struct WorkOrderRow {
  std::string id;  // WO-<n>
  std::string asset_id;
  std::string status;  // open | done
  std::int64_t inspection_id = 0;  // The inspection that found the defect.
  std::string defect_code;
  std::string severity;
  std::string note;
  UnixMillis created_at = 0;
  std::optional<std::int64_t> completed_by;  // The inspection that did the repair.
  std::optional<UnixMillis> completed_at;
};

// One sensor reading for a chart: when (sensor clock) and the value in its unit.
struct ReadingPoint {
  UnixMillis at = 0;
  std::int64_t value = 0;
};

// Everything about one asset a facility owner looks at (GET /api/v1/assets/{asset_id}).
struct AssetPage {
  Asset asset;
  AssetCompliance schedule;
  Page<InspectionSummary> inspections;  // Newest first.
  Page<MaintenanceRecord> records;      // Newest first.
  std::vector<WorkOrderRow> work_orders;  // Newest first.
  std::vector<TagTenure> tags;            // First installed first.
  UnixMillis telemetry_from = 0;          // The charts' window.
  UnixMillis telemetry_to = 0;
  std::vector<ReadingPoint> closing_ms, motor_current_ma, battery_percent;  // Oldest first.
};

}  // namespace fieldproof::core
