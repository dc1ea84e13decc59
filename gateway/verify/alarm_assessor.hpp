#pragma once
// Alarms from telemetry (core/alarm.hpp, docs/alarms.md), applied to what the store holds:
// reads the telemetry after the alarm cursor, one transaction per batch, and raises or clears
// alarms, opening work orders where the asset type's policy says so.
#include <chrono>
#include <map>
#include <string>

#include "gateway/core/alarm.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::verify {

struct AlarmReport {
  std::int64_t readings = 0;  // Telemetry messages read.
  std::int64_t raised = 0;
  std::int64_t cleared = 0;
};

class AlarmAssessor {
 public:
  // Policies by asset type; a type without one gets the documented defaults (no closing range).
  AlarmAssessor(store::Database& db, std::map<std::string, core::AlarmPolicy> policies);

  // Reads up to `limit` messages after the cursor, in one transaction on `db`'s write lock.
  // Silence is looked for when the batch caught up with intake, and at least every
  // kSilenceCheck under a steady load: it reads every quiet sensor of the site.
  AlarmReport AssessPending(std::int64_t limit, core::UnixMillis now);
  static constexpr std::chrono::seconds kSilenceCheck{30};

 private:
  const core::AlarmPolicy& PolicyOf(const std::string& asset_type) const;

  store::Database& db_;
  std::map<std::string, core::AlarmPolicy> policies_;
  core::AlarmPolicy default_policy_;
  std::chrono::steady_clock::time_point last_silence_check_{};
};

}  // namespace fieldproof::verify
