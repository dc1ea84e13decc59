#include "gateway/codec/view_codec.hpp"

#include "gateway/codec/json_output.hpp"
#include "gateway/core/money.hpp"
#include "gateway/core/timestamp.hpp"

namespace fieldproof::codec {
namespace {

using namespace json_output;

template <class T>
json Optional(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json Counts(const std::vector<std::pair<std::string, std::int64_t>>& counts) {
  json object = json::object();
  for (const auto& [name, n] : counts) object[name] = n;
  return object;
}

json AssetJson(const core::AssetSummary& a) {
  return {{"site", a.site},
          {"asset_id", a.asset_id},
          {"building", a.building},
          {"floor", a.floor},
          {"location", a.location},
          {"asset_type", a.asset_type},
          {"interval_days", a.interval_days},
          {"sensor_equipped", a.sensor_equipped},
          {"last_verified", Time(a.last_verified)}};
}

json InspectionJson(const core::InspectionSummary& i) {
  return {{"id", i.id},
          {"site", i.site},
          {"asset_id", Optional(i.asset_id)},
          {"technician_id", i.technician_id},
          {"device_id", i.device_id},
          {"started_at", Time(i.started_at)},
          {"ended_at", Time(i.ended_at)},
          {"verdict", i.verdict},
          {"strength", i.strength}};
}

json TapJson(const core::TapEvidenceRow& t) {
  return {{"tap_id", t.tap_id},
          {"kind", t.kind},
          {"msg_id", t.msg_id},
          {"tag_uid", Optional(t.tag_uid)},
          {"read_counter", Optional(t.read_counter)},
          {"read_at", Time(t.read_at)},
          {"authentic", t.authentic},
          {"tag_detail", t.tag_detail},
          {"freshness", t.freshness},
          {"freshness_detail", t.freshness_detail},
          {"timing", t.timing},
          {"timing_detail", t.timing_detail},
          {"clock_offset_ms", t.clock_offset_ms}};
}

json RecordJson(const core::MaintenanceRecord& r) {
  return {{"site", r.site},
          {"seq", r.seq},
          {"kind", r.kind},
          {"inspection_id", r.inspection_id},
          {"asset_id", r.asset_id},
          {"technician_id", r.technician_id},
          {"started_at", Time(r.started_at)},
          {"ended_at", Time(r.ended_at)},
          {"verdict", r.verdict},
          {"next_due_at", Time(r.next_due_at)},
          {"work_order_id", r.work_order_id},
          {"reviewer", r.reviewer},
          {"reason", r.reason},
          {"prev_hash", r.prev_hash},
          {"hash", r.hash}};
}

json RejectedJson(const core::RejectedMessage& m) {
  return {{"id", m.id},
          {"received_at", Time(m.received_at)},
          {"site", m.site},
          {"topic", m.topic},
          {"msg_id", m.msg_id},
          {"reason", m.reason},
          {"detail", m.detail},
          {"times_seen", m.times_seen},
          {"payload_bytes", m.payload_bytes},
          {"payload_start", m.payload_start}};
}

json InvoiceSummaryJson(const core::InvoiceSummary& i) {
  return {{"number", i.number},
          {"type", core::ToString(i.type)},
          {"contract_id", i.contract_id},
          {"customer_id", i.customer_id},
          {"period", i.period},
          {"issue_date", i.issue_date},
          {"preceding_invoice", i.preceding_number},
          {"lines", i.lines},
          {"currency", i.currency},
          {"net", core::FormatAmount(i.net)},
          {"vat", core::FormatAmount(i.vat)},
          {"total", core::FormatAmount(i.total)}};
}

json NotBillableJson(const core::NotBillable& n) {
  return {{"site", n.site},
          {"inspection_id", n.inspection_id},
          {"asset_id", n.asset_id},
          {"technician_id", n.technician_id},
          {"ended_at", Time(n.ended_at)},
          {"status", n.status},
          {"reason", n.reason}};
}

}  // namespace

std::string EncodeError(std::string_view message) {
  return Dump(json{{"error", message}}, -1);
}

std::string EncodeHealth(const Health& health) {
  json j = {{"status", health.status}, {"schema_version", health.schema_version}};
  if (!health.intake.empty()) j["intake"] = health.intake;
  return Dump(j);
}

std::string EncodePrincipal(const core::Principal& principal) {
  return Dump({{"name", principal.name},
               {"role", core::ToString(principal.role)},
               {"customer_id", principal.customer_id}});
}

std::string EncodeSites(std::span<const core::SiteSummary> sites) {
  return Dump({{"items", Array(sites, [](const core::SiteSummary& s) {
                  return json{{"site", s.site}, {"assets", s.assets}};
                })}});
}

std::string EncodeAssetPage(const core::Page<core::AssetSummary>& page) {
  return Dump(PageJson(page, AssetJson));
}

std::string EncodeInspectionPage(const core::Page<core::InspectionSummary>& page) {
  return Dump(PageJson(page, InspectionJson));
}

std::string EncodeInspectionList(std::span<const core::InspectionSummary> inspections) {
  return Dump({{"items", Array(inspections, InspectionJson)}});
}

std::string EncodeInspectionDetail(const core::InspectionDetail& detail) {
  json j = InspectionJson(detail.inspection);
  j["checks"] = Array(std::span(detail.checks), [](const core::CheckRow& c) {
    return json{{"name", c.name}, {"status", c.status}, {"detail", c.detail}};
  });
  j["taps"] = Array(std::span(detail.taps), TapJson);
  j["maintenance_records"] = Array(std::span(detail.records), [](const core::RecordLink& r) {
    return json{{"seq", r.seq}, {"kind", r.kind}, {"hash", r.hash}};
  });
  j["photos"] = detail.photos;
  return Dump(j);
}

std::string EncodeRecordPage(const core::Page<core::MaintenanceRecord>& page) {
  return Dump(PageJson(page, RecordJson));
}

std::optional<ReviewRequest> DecodeReviewRequest(std::string_view body, std::string* error) {
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("inspection_id") || !j["inspection_id"].is_number_integer() ||
      !j.contains("decision") || !j["decision"].is_string() || !j.contains("reason") ||
      !j["reason"].is_string()) {
    *error = R"(body must be {"inspection_id": N, "decision": "verified"|"rejected", "reason": "..."})";
    return std::nullopt;
  }
  const std::string decision = j["decision"];
  if (decision != "verified" && decision != "rejected") {
    *error = "decision must be verified or rejected";
    return std::nullopt;
  }
  return ReviewRequest{j["inspection_id"].get<std::int64_t>(), decision == "verified",
                       j["reason"].get<std::string>()};
}

std::string EncodeReviewOutcome(const ReviewOutcome& outcome) {
  const auto& r = outcome.record;
  return Dump({{"inspection_id", outcome.inspection_id},
               {"decision", outcome.decision},
               {"reviewer", outcome.reviewer},
               {"maintenance_record", {{"site", r.site}, {"seq", r.seq}, {"hash", r.hash}}}});
}

std::string EncodeRejectedPage(const core::Page<core::RejectedMessage>& page) {
  return Dump(PageJson(page, RejectedJson));
}

std::string EncodeRejectedArray(std::span<const core::RejectedMessage> messages) {
  return Dump(Array(messages, RejectedJson));
}

std::string EncodeInvoiceSummaries(std::span<const core::InvoiceSummary> invoices) {
  return Dump({{"items", Array(invoices, InvoiceSummaryJson)}});
}

std::string EncodeInvoiceSummaryArray(std::span<const core::InvoiceSummary> invoices) {
  return Dump(Array(invoices, InvoiceSummaryJson));
}

std::string EncodeNotBillableArray(std::span<const core::NotBillable> inspections) {
  return Dump(Array(inspections, NotBillableJson));
}

std::string EncodePhotoInfo(const core::PhotoInfo& photo) {
  return Dump({{"sha256", photo.sha256},
               {"media_type", photo.media_type},
               {"size", photo.size},
               {"device_id", photo.device_id},
               {"uploaded_at", Time(photo.uploaded_at)}});
}

std::string EncodeDeviceCredentials(const DeviceCredentials& c) {
  json j = {{"device_id", c.device_id},
            {"site", c.site},
            {"mqtt",
             {{"url", c.broker_url},
              {"client_id", c.device_id},
              {"username", c.device_id},
              {"password", c.password}}}};
  if (!c.api_token.empty()) j["api_token"] = c.api_token;
  return Dump(j);
}

std::optional<std::string> DecodeEnrolRequest(std::string_view body, std::string* error) {
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.size() != 1 || !j.contains("code") || !j["code"].is_string()) {
    *error = R"(body must be {"code": "<the enrolment code>"})";
    return std::nullopt;
  }
  return j["code"].get<std::string>();
}

std::optional<SignInRequest> DecodeSignInRequest(std::string_view body, std::string* error) {
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  auto text = [&j](const char* key) { return j.contains(key) && j[key].is_string(); };
  if (!j.is_object() || j.size() != 3 || !text("site") || !text("technician_id") || !text("pin")) {
    *error = R"(body must be {"site": "...", "technician_id": "...", "pin": "..."})";
    return std::nullopt;
  }
  return SignInRequest{j["site"], j["technician_id"], j["pin"]};
}

std::string EncodeSignedIn(const core::Technician& technician) {
  return Dump({{"technician_id", technician.technician_id},
               {"name", technician.name},
               {"company", technician.company}});
}

namespace {

json TagJson(const core::TagTenure& t) {
  return {{"tag_uid", t.tag_uid},
          {"installed_at", Time(t.installed_at)},
          {"installed_by", t.installed_by},
          {"proof", t.proof},
          {"retired_at", Time(t.retired_at)},
          {"retired_by", t.retired_at ? json(t.retired_by) : json(nullptr)},
          {"retired_reason", t.retired_at ? json(t.retired_reason) : json(nullptr)}};
}

json WorkOrderJson(const core::WorkOrderRow& w) {
  return {{"id", w.id},
          {"asset_id", w.asset_id},
          {"status", w.status},
          {"inspection_id", w.inspection_id},
          {"defect_code", w.defect_code},
          {"severity", w.severity},
          {"note", w.note},
          {"created_at", Time(w.created_at)},
          {"completed_by", Optional(w.completed_by)},
          {"completed_at", Time(w.completed_at)}};
}

json Series(const std::vector<core::ReadingPoint>& points) {
  json series = json::array();
  for (const auto& p : points) series.push_back({{"at", Time(p.at)}, {"value", p.value}});
  return series;
}

}  // namespace

std::string EncodeTagHistory(std::string_view site, std::string_view asset_id,
                             std::span<const core::TagTenure> tags) {
  return Dump({{"site", site}, {"asset_id", asset_id}, {"tags", Array(tags, TagJson)}});
}

std::string EncodeWorkOrder(const core::WorkOrderRow& order) { return Dump(WorkOrderJson(order)); }

std::string EncodeInspectionSummary(const core::InspectionSummary& inspection) {
  return Dump(InspectionJson(inspection));
}

std::string EncodeWorkOrderPage(const core::Page<core::WorkOrderRow>& page) {
  return Dump(PageJson(page, WorkOrderJson));
}

std::string EncodeAssetPage(const core::AssetPage& p) {
  const core::Asset& a = p.asset;
  const core::AssetCompliance& s = p.schedule;
  return Dump(
      {{"site", a.site},
       {"asset_id", a.asset_id},
       {"asset_type", a.asset_type},
       {"building", a.building},
       {"floor", a.floor},
       {"location", a.location},
       {"x_m", a.x_m},
       {"y_m", a.y_m},
       {"owner_id", a.owner_id},
       {"interval_days", a.interval_days},
       {"sensor_equipped", a.sensor_equipped},
       {"tag_uid", a.tag_uid},
       {"schedule",
        {{"state", core::ToString(s.state)},
         {"last_verified", Time(s.last_verified)},
         {"due_at", Time(s.due_at)},
         {"days_overdue", s.days_overdue}}},
       {"inspections", PageJson(p.inspections, InspectionJson)},
       {"records", PageJson(p.records, RecordJson)},
       {"work_orders", Array(std::span(p.work_orders), WorkOrderJson)},
       {"tags", Array(std::span(p.tags), TagJson)},
       {"telemetry",
        {{"from", Time(p.telemetry_from)},
         {"to", Time(p.telemetry_to)},
         {"closing_ms", Series(p.closing_ms)},
         {"motor_current_ma", Series(p.motor_current_ma)},
         {"battery_percent", Series(p.battery_percent)}}}});
}

namespace {

// Each item's id with its wording; `text_de` only where the policy gives one.
json ChecklistItems(const core::AssetTypePolicy& p) {
  json items = json::array();
  for (std::size_t i = 0; i < p.checklist.size(); ++i) {
    const core::ChecklistWording wording =
        i < p.checklist_wording.size() ? p.checklist_wording[i] : core::ChecklistWording{p.checklist[i], ""};
    json item = {{"id", p.checklist[i]}, {"text", wording.en}};
    if (!wording.de.empty()) item["text_de"] = wording.de;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

std::string EncodeSiteSnapshot(std::string_view site, core::UnixMillis generated_at,
                               std::span<const core::AssetTypePolicy> asset_types,
                               std::span<const core::HandheldAsset> assets) {
  return Dump({{"site", site},
               {"generated_at", Time(generated_at)},
               {"asset_types", Array(asset_types,
                                     [](const core::AssetTypePolicy& p) {
                                       return json{{"asset_type", p.asset_type},
                                                   {"checklist", ChecklistItems(p)},
                                                   {"min_dwell_s", p.min_dwell / 1000}};
                                     })},
               {"assets", Array(assets, [](const core::HandheldAsset& a) {
                  return json{{"asset_id", a.asset_id},
                              {"asset_type", a.asset_type},
                              {"building", a.building},
                              {"floor", a.floor},
                              {"location", a.location},
                              {"last_verified", Time(a.last_verified)},
                              {"next_due", Time(a.next_due)},
                              {"open_work_orders", a.open_work_orders}};
                })}},
              -1);
}

std::string EncodeDatabaseStats(const DatabaseStats& s) {
  return Dump({{"database", s.database},
               {"assets", s.assets},
               {"technicians", s.technicians},
               {"devices", s.devices},
               {"taps", s.taps},
               {"telemetry", s.telemetry},
               {"rejected", s.rejected},
               {"rejected_by_reason", Counts(s.rejected_by_reason)},
               {"inspections_by_verdict", Counts(s.inspections_by_verdict)},
               {"open_reviews", s.open_reviews},
               {"active_alarms_by_kind", Counts(s.active_alarms_by_kind)},
               {"open_work_orders", s.open_work_orders}});
}

std::string EncodeTagCheck(const TagCheck& check) {
  json j = {{"valid", check.valid}};
  if (check.valid) {
    j["uid"] = check.uid;
    j["counter"] = check.counter;
    if (!check.file_data.empty()) j["file_data"] = check.file_data;
  } else {
    j["reason"] = check.reason;
  }
  return Dump(j, -1);
}

}  // namespace fieldproof::codec
