#include "gateway/store/review_store.hpp"

#include "gateway/codec/message_codec.hpp"

namespace fieldproof::store {

std::optional<ReviewSubject> FindReviewSubject(Database& db, std::int64_t inspection_id) {
  auto s = db.Prepare(
      "SELECT i.site AS site, coalesce(i.asset_id, '') AS asset_id, "
      "i.technician_id AS technician_id, i.started_at AS started_at, i.ended_at AS ended_at, "
      "i.verdict AS verdict, coalesce(i.checklist, '{}') AS checklist, "
      "coalesce(i.defects, '[]') AS defects, "
      "EXISTS (SELECT 1 FROM reviews r WHERE r.inspection_id = i.id) AS reviewed, "
      "coalesce((SELECT interval_days FROM assets a WHERE a.site = i.site AND "
      "a.asset_id = i.asset_id), 0) AS interval_days "
      "FROM inspections i WHERE i.id = ?");
  s.Bind(1, inspection_id);
  if (!s.Step()) return std::nullopt;
  ReviewSubject subject;
  core::MaintenanceRecord& r = subject.inspection;
  r.inspection_id = inspection_id;
  r.site = s.Text("site");
  r.asset_id = s.Text("asset_id");
  r.technician_id = s.Text("technician_id");
  r.started_at = s.Int("started_at");
  r.ended_at = s.Int("ended_at");
  r.checklist = s.Text("checklist");
  r.defects = s.Text("defects");
  subject.verdict = s.Text("verdict");
  subject.reviewed = s.Int("reviewed") != 0;
  subject.interval_days = s.Int("interval_days");
  s.Reset();
  auto photos = db.Prepare(
      "SELECT sha256 FROM inspection_photos WHERE inspection_id = ? ORDER BY seq");
  photos.Bind(1, inspection_id);
  std::vector<std::string> hashes;
  while (photos.Step()) hashes.push_back(photos.Text("sha256"));
  r.photos = codec::EncodePhotoHashes(hashes);  // The review attests the same photos.
  auto checks = db.Prepare(
      "SELECT name, status, detail FROM inspection_checks WHERE inspection_id = ? ORDER BY seq");
  checks.Bind(1, inspection_id);
  while (checks.Step()) {
    subject.checks.push_back(
        {checks.Text("name"),
         core::ParseCheckStatus(checks.Text("status")).value_or(core::CheckStatus::kFail),
         checks.Text("detail")});
  }
  return subject;
}

void SaveReview(Database& db, const ReviewRow& review) {
  db.Prepare(
        "INSERT INTO reviews (inspection_id, site, decision, reason, reviewer, reviewed_at) "
        "VALUES (?,?,?,?,?,?)")
      .Bind(1, review.inspection_id)
      .Bind(2, review.site)
      .Bind(3, review.decision)
      .Bind(4, review.reason)
      .Bind(5, review.reviewer)
      .Bind(6, review.reviewed_at)
      .Run();
}

}  // namespace fieldproof::store
