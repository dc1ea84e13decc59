#include "gateway/store/inspection_queries.hpp"

#include "gateway/store/owner_filter.hpp"
#include "gateway/store/read_page.hpp"

namespace fieldproof::store {
namespace {

// An inspection's summary columns; a person's review decision replaces the verdict.
constexpr const char* kSummaryColumns =
    "i.id AS id, i.site AS site, i.asset_id AS asset_id, i.technician_id AS technician_id, "
    "i.device_id AS device_id, i.started_at AS started_at, i.ended_at AS ended_at, "
    "coalesce(r.decision, i.verdict) AS verdict, i.strength AS strength";

constexpr const char* kWithReview = " FROM inspections i LEFT JOIN reviews r ON r.inspection_id = i.id ";

core::InspectionSummary ReadSummary(const Statement& row) {
  return {row.Int("id"),         row.Text("site"),     row.OptionalText("asset_id"),
          row.Text("technician_id"), row.Text("device_id"), row.Int("started_at"),
          row.Int("ended_at"),   row.Text("verdict"),  row.Text("strength")};
}

std::vector<core::CheckRow> ChecksOf(Database& db, std::int64_t id) {
  auto s = db.Prepare(
      "SELECT name, status, detail FROM inspection_checks WHERE inspection_id = ? ORDER BY seq");
  s.Bind(1, id);
  std::vector<core::CheckRow> checks;
  while (s.Step()) checks.push_back({s.Text("name"), s.Text("status"), s.Text("detail")});
  return checks;
}

std::vector<core::TapEvidenceRow> EvidenceOf(Database& db, std::int64_t start_tap,
                                             std::int64_t end_tap) {
  auto s = db.Prepare(
      "SELECT e.tap_id AS tap_id, e.kind AS kind, t.msg_id AS msg_id, e.tag_uid AS tag_uid, "
      "e.read_counter AS read_counter, e.read_at AS read_at, e.authentic AS authentic, "
      "e.tag_detail AS tag_detail, e.freshness AS freshness, "
      "e.freshness_detail AS freshness_detail, e.timing AS timing, "
      "e.timing_detail AS timing_detail, e.clock_offset_ms AS clock_offset_ms "
      "FROM tap_evidence e JOIN taps t ON t.id = e.tap_id WHERE e.tap_id IN (?, ?) "
      "ORDER BY e.tap_id");
  s.Bind(1, start_tap).Bind(2, end_tap);
  std::vector<core::TapEvidenceRow> taps;
  while (s.Step()) {
    taps.push_back({s.Int("tap_id"), s.Text("kind"), s.Text("msg_id"), s.OptionalText("tag_uid"),
                    s.OptionalInt("read_counter"), s.Int("read_at"), s.Int("authentic") != 0,
                    s.Text("tag_detail"), s.Text("freshness"), s.Text("freshness_detail"),
                    s.Text("timing"), s.Text("timing_detail"), s.Int("clock_offset_ms")});
  }
  return taps;
}

std::vector<core::RecordLink> RecordsOf(Database& db, std::int64_t id) {
  // By inspection id alone: with the site too, SQLite would walk the site's whole chain in
  // seq order instead of using the index.
  auto s = db.Prepare(
      "SELECT seq, kind, hash FROM maintenance_records WHERE inspection_id = ? ORDER BY seq");
  s.Bind(1, id);
  std::vector<core::RecordLink> records;
  while (s.Step()) records.push_back({s.Int("seq"), s.Text("kind"), s.Text("hash")});
  return records;
}

std::vector<std::string> PhotosOf(Database& db, std::int64_t id) {
  auto s = db.Prepare("SELECT sha256 FROM inspection_photos WHERE inspection_id = ? ORDER BY seq");
  s.Bind(1, id);
  std::vector<std::string> photos;
  while (s.Step()) photos.push_back(s.Text("sha256"));
  return photos;
}

}  // namespace

core::Page<core::InspectionSummary> ListInspections(Database& db, const InspectionFilter& filter,
                                                    core::PageRequest page) {
  auto s = db.Prepare(
      std::string("SELECT ") + kSummaryColumns + kWithReview +
      "WHERE i.site = ?1 AND i.ended_at >= ?2 AND i.ended_at < ?3 "
      "AND (?4 = '' OR coalesce(r.decision, i.verdict) = ?4) AND " +
      // Spelt out for one asset, so that its index serves (an asset page among 100,000 rows).
      (filter.asset_id.empty() ? "?5 = ''" : "i.asset_id = ?5") + " "
      "AND " + OwnedBy("i", 8) + " ORDER BY i.ended_at DESC, i.id DESC LIMIT ?6 OFFSET ?7");
  s.Bind(1, filter.site).Bind(2, filter.ended_from).Bind(3, filter.ended_before);
  s.Bind(4, filter.verdict).Bind(5, filter.asset_id).Bind(6, page.limit + 1).Bind(7, page.offset);
  s.Bind(8, filter.owner);
  return ReadPage<core::InspectionSummary>(s, page, ReadSummary);
}

std::vector<std::pair<std::string, core::InspectionSummary>> NeedingReviewAfter(Database& db, std::int64_t after,
                                                                                std::int64_t limit) {
  auto s = db.Prepare(std::string("SELECT ") + kSummaryColumns +
                      ", coalesce(a.owner_id, '') AS owner_id FROM inspections i LEFT JOIN reviews r ON "
                      "r.inspection_id = i.id LEFT JOIN assets a ON a.site = i.site AND a.asset_id = i.asset_id "
                      "WHERE i.id > ? AND i.verdict = 'needs_review' ORDER BY i.id LIMIT ?");
  s.Bind(1, after).Bind(2, limit);
  std::vector<std::pair<std::string, core::InspectionSummary>> found;
  while (s.Step()) found.emplace_back(s.Text("owner_id"), ReadSummary(s));
  return found;
}

std::optional<core::InspectionDetail> FindInspection(Database& db, std::int64_t id) {
  auto s = db.Prepare(std::string("SELECT ") + kSummaryColumns +
                      ", i.start_tap_id AS start_tap_id, i.end_tap_id AS end_tap_id" +
                      kWithReview + "WHERE i.id = ?");
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  core::InspectionDetail detail{ReadSummary(s), {}, {}, {}, {}};
  const std::int64_t start_tap = s.Int("start_tap_id");
  const std::int64_t end_tap = s.Int("end_tap_id");
  s.Reset();
  detail.checks = ChecksOf(db, id);
  detail.taps = EvidenceOf(db, start_tap, end_tap);
  detail.records = RecordsOf(db, id);
  detail.photos = PhotosOf(db, id);
  return detail;
}

bool PhotoOfVisibleInspection(Database& db, const std::string& sha256, const std::string& owner) {
  auto s = db.Prepare(
      "SELECT 1 FROM inspection_photos p JOIN inspections i ON i.id = p.inspection_id "
      "WHERE p.sha256 = ?1 AND " + OwnedBy("i", 2) + " LIMIT 1");
  s.Bind(1, sha256).Bind(2, owner);
  const bool seen = s.Step();
  s.Reset();
  return seen;
}

std::vector<core::InspectionSummary> ListAwaitingReview(Database& db, const std::string& site,
                                                        std::int64_t limit) {
  auto s = db.Prepare(
      std::string("SELECT ") + kSummaryColumns + kWithReview +
      "WHERE i.verdict = 'needs_review' AND r.inspection_id IS NULL AND (?1 = '' OR i.site = ?1) "
      "ORDER BY i.ended_at LIMIT ?2");
  s.Bind(1, site).Bind(2, limit);
  std::vector<core::InspectionSummary> items;
  while (s.Step()) items.push_back(ReadSummary(s));
  return items;
}

std::vector<std::pair<std::string, std::int64_t>> CountInspectionsByVerdict(Database& db) {
  auto s = db.Prepare(
      "SELECT verdict, count(*) AS inspections FROM inspections GROUP BY verdict ORDER BY verdict");
  std::vector<std::pair<std::string, std::int64_t>> counts;
  while (s.Step()) counts.emplace_back(s.Text("verdict"), s.Int("inspections"));
  return counts;
}

std::vector<std::int64_t> UnrecordedVerifiedInspections(Database& db, const std::string& site) {
  auto s = db.Prepare(
      "SELECT i.id AS id FROM inspections i WHERE i.site = ? AND i.verdict IN ('verified', "
      "'verified_with_defects') AND NOT EXISTS (SELECT 1 FROM maintenance_records m WHERE "
      "m.site = i.site AND m.inspection_id = i.id AND m.kind = 'inspection') ORDER BY i.id");
  s.Bind(1, site);
  std::vector<std::int64_t> ids;
  while (s.Step()) ids.push_back(s.Int("id"));
  return ids;
}

std::int64_t CountOpenReviews(Database& db) {
  return db.QueryInt(
      "SELECT count(*) FROM inspections i WHERE i.verdict = 'needs_review' "
      "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.inspection_id = i.id)");
}

}  // namespace fieldproof::store
