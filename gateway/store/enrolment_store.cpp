#include "gateway/store/enrolment_store.hpp"

namespace fieldproof::store {

void EnrolmentStore::Save(const std::string& code_hash, const Enrolment& e, core::UnixMillis now,
                          core::UnixMillis expires_at) {
  InTransaction(db_, [&] {
    Cancel(e.device_id, now);
    db_.Prepare(
           "INSERT INTO device_enrolments (code_hash, device_id, site, created_at, expires_at) "
           "VALUES (?,?,?,?,?)")
        .Bind(1, code_hash)
        .Bind(2, e.device_id)
        .Bind(3, e.site)
        .Bind(4, now)
        .Bind(5, expires_at)
        .Run();
  });
}

std::optional<Enrolment> EnrolmentStore::Take(const std::string& code_hash, core::UnixMillis now) {
  std::optional<Enrolment> taken;
  InTransaction(db_, [&] {
    auto s = db_.Prepare(
        "UPDATE device_enrolments SET used_at = ?1 WHERE code_hash = ?2 AND used_at IS NULL "
        "AND expires_at > ?1 RETURNING device_id, site");
    s.Bind(1, now).Bind(2, code_hash);
    if (s.Step()) {
      taken = Enrolment{s.Text("device_id"), s.Text("site")};
      s.Reset();
    }
  });
  return taken;
}

void EnrolmentStore::Release(const std::string& code_hash) {
  db_.Prepare("UPDATE device_enrolments SET used_at = NULL WHERE code_hash = ?")
      .Bind(1, code_hash)
      .Run();
}

void EnrolmentStore::Cancel(const std::string& device_id, core::UnixMillis now) {
  db_.Prepare("UPDATE device_enrolments SET used_at = ? WHERE device_id = ? AND used_at IS NULL")
      .Bind(1, now)
      .Bind(2, device_id)
      .Run();
}

}  // namespace fieldproof::store
