#include "gateway/verify/review.hpp"

#include "gateway/crypto/sha256.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/store/record_chain.hpp"
#include "gateway/store/work_orders.hpp"

namespace fieldproof::verify {
namespace {

using core::RefusalKind;

}  // namespace

core::Decision<core::MaintenanceRecord> ResolveReview(store::Database& db, const ReviewDecision& d,
                                                    core::UnixMillis now) {
  if (d.reason.empty()) return core::Refusal{RefusalKind::kInvalid, "a review needs a reason"};
  if (d.reviewer.empty()) return core::Refusal{RefusalKind::kInvalid, "a review needs the reviewer's name"};
  std::optional<core::Refusal> refusal;
  core::MaintenanceRecord written;
  store::InTransaction(db, [&] {
    auto s = db.Prepare(
        "SELECT i.site, coalesce(i.asset_id, ''), i.technician_id, i.started_at, i.ended_at, "
        "i.verdict, coalesce(i.checklist, '{}'), coalesce(i.defects, '[]'), "
        "(SELECT count(*) FROM reviews r WHERE r.inspection_id = i.id), "
        "coalesce((SELECT interval_days FROM assets a WHERE a.site = i.site AND a.asset_id = i.asset_id), 0) "
        "FROM inspections i WHERE i.id = ?");
    s.Bind(1, d.inspection_id);
    if (!s.Step()) {
      refusal = core::Refusal{RefusalKind::kNotFound, "inspection " + std::to_string(d.inspection_id) + " does not exist"};
      return;
    }
    core::MaintenanceRecord r;
    r.site = s.Text(0);
    r.asset_id = s.Text(1);
    r.technician_id = s.Text(2);
    r.started_at = s.Int(3);
    r.ended_at = s.Int(4);
    const std::string verdict = s.Text(5);
    r.checklist = s.Text(6);
    r.defects = s.Text(7);
    const bool reviewed = s.Int(8) > 0;
    const std::int64_t interval_days = s.Int(9);
    s.Reset();
    if (verdict != "needs_review") {
      refusal = core::Refusal{RefusalKind::kConflict, "inspection " + std::to_string(d.inspection_id) + " is " + verdict +
                        ", not needs_review"};
      return;
    }
    if (reviewed) {
      refusal = core::Refusal{RefusalKind::kConflict, "inspection " + std::to_string(d.inspection_id) + " was reviewed already"};
      return;
    }
    r.kind = "review";
    r.inspection_id = d.inspection_id;
    r.verdict = d.verified ? "verified" : "rejected";
    r.reviewer = d.reviewer;
    r.reason = d.reason;
    r.recorded_at = now;
    {
      // The same evidence encoding as the verifier's own records.
      std::vector<core::Check> checks;
      auto s2 = db.Prepare(
          "SELECT name, status, detail FROM inspection_checks WHERE inspection_id = ? ORDER BY seq");
      s2.Bind(1, d.inspection_id);
      while (s2.Step()) {
        checks.push_back({s2.Text(0),
                          core::ParseCheckStatus(s2.Text(1)).value_or(core::CheckStatus::kFail),
                          s2.Text(2)});
      }
      r.evidence = codec::EncodeChecks(checks);
    }
    if (d.verified && !r.asset_id.empty()) r.next_due_at = core::NextDueAt(r.ended_at, interval_days);
    db.Prepare("INSERT INTO reviews (inspection_id, site, decision, reason, reviewer, reviewed_at) "
               "VALUES (?,?,?,?,?,?)")
        .Bind(1, d.inspection_id).Bind(2, r.site).Bind(3, r.verdict).Bind(4, d.reason)
        .Bind(5, d.reviewer).Bind(6, now).Run();
    if (d.verified) store::OpenWorkOrders(db, r.site, r.asset_id, d.inspection_id, r.defects, now);
    written = store::RecordChain(db, crypto::Sha256Hex).Append(std::move(r));
  });
  if (refusal) return *refusal;
  return written;
}

}  // namespace fieldproof::verify
