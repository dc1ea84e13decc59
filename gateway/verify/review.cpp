#include "gateway/verify/review.hpp"

#include "gateway/crypto/sha256.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/store/record_chain.hpp"
#include "gateway/store/review_store.hpp"
#include "gateway/store/work_orders.hpp"

namespace fieldproof::verify {
namespace {

using core::RefusalKind;

}  // namespace

core::Decision<core::MaintenanceRecord> ResolveReview(store::Database& db, const ReviewDecision& d,
                                                      core::UnixMillis now) {
  if (d.reason.empty()) return core::Refusal{RefusalKind::kInvalid, "a review needs a reason"};
  if (d.reviewer.empty()) {
    return core::Refusal{RefusalKind::kInvalid, "a review needs the reviewer's name"};
  }
  const std::string id = std::to_string(d.inspection_id);
  std::optional<core::Refusal> refusal;
  core::MaintenanceRecord written;
  store::InTransaction(db, [&] {
    auto subject = store::FindReviewSubject(db, d.inspection_id);
    if (!subject) {
      refusal = core::Refusal{RefusalKind::kNotFound, "inspection " + id + " does not exist"};
      return;
    }
    if (subject->verdict != "needs_review") {
      refusal = core::Refusal{RefusalKind::kConflict,
                              "inspection " + id + " is " + subject->verdict + ", not needs_review"};
      return;
    }
    if (subject->reviewed) {
      refusal = core::Refusal{RefusalKind::kConflict, "inspection " + id + " was reviewed already"};
      return;
    }
    core::MaintenanceRecord r = std::move(subject->inspection);
    r.kind = "review";
    r.verdict = d.verified ? "verified" : "rejected";
    r.reviewer = d.reviewer;
    r.reason = d.reason;
    r.recorded_at = now;
    r.evidence = codec::EncodeChecks(subject->checks);  // As the verifier's own records.
    if (d.verified && !r.asset_id.empty()) {
      r.next_due_at = core::NextDueAt(r.ended_at, subject->interval_days);
    }
    store::SaveReview(db, {d.inspection_id, r.site, r.verdict, d.reason, d.reviewer, now});
    if (d.verified) store::OpenWorkOrders(db, r.site, r.asset_id, d.inspection_id, r.defects, now);
    written = store::RecordChain(db, crypto::Sha256Hex).Append(std::move(r));
  });
  if (refusal) return *refusal;
  return written;
}

}  // namespace fieldproof::verify
