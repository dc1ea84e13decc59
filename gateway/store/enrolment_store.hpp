#pragma once
// One-time enrolment codes of handhelds (docs/handheld.md): kept as SHA-256 hashes, valid
// until they expire or are used once.
#include <optional>
#include <string>

#include "gateway/core/timestamp.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct Enrolment {
  std::string device_id;
  std::string site;
};

class EnrolmentStore {
 public:
  explicit EnrolmentStore(Database& db) : db_(db) {}

  // A new code for the device; earlier unused codes of the device stop working.
  void Save(const std::string& code_hash, const Enrolment& enrolment, core::UnixMillis now,
            core::UnixMillis expires_at);
  // The code's enrolment, marked used, if it exists, was never used and has not expired.
  std::optional<Enrolment> Take(const std::string& code_hash, core::UnixMillis now);
  // A taken code works again: what it was to open could not be opened.
  void Release(const std::string& code_hash);
  // Every unused code of the device stops working (a revoked handheld).
  void Cancel(const std::string& device_id, core::UnixMillis now);

 private:
  Database& db_;
};

}  // namespace fieldproof::store
