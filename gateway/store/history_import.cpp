#include "gateway/store/history_import.hpp"

#include <algorithm>

#include "gateway/store/record_chain.hpp"

namespace fieldproof::store {

ImportReport ImportHistory(Database& db, const std::string& site,
                           std::span<const codec::RegistryFile<core::PastInspection>::Row> rows,
                           const std::string& evidence_json, const core::HashFn& hash, core::UnixMillis now) {
  std::vector<codec::RegistryFile<core::PastInspection>::Row> ordered(rows.begin(), rows.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.record.inspected_at < b.record.inspected_at; });
  ImportReport report;
  InTransaction(db, [&] {
    report = {};
    RecordChain chain(db, hash);
    auto interval = db.Prepare("SELECT interval_days FROM assets WHERE site = ? AND asset_id = ?");
    auto known = db.Prepare(
        "SELECT 1 FROM maintenance_records WHERE site = ? AND asset_id = ? AND ended_at = ? AND kind = 'imported'");
    for (const auto& [line, past] : ordered) {
      interval.Bind(1, site).Bind(2, past.asset_id);
      if (!interval.Step()) {
        report.errors.push_back({line, "no asset " + past.asset_id + " at " + site});
        continue;
      }
      const std::int64_t days = interval.Int("interval_days");
      interval.Reset();
      if (past.inspected_at > now) {
        report.errors.push_back({line, "inspected_at " + core::FormatRfc3339(past.inspected_at) + " is in the future"});
        continue;
      }
      known.Bind(1, site).Bind(2, past.asset_id).Bind(3, past.inspected_at);
      const bool before = known.Step();
      known.Reset();
      if (before) {
        ++report.unchanged;
        continue;
      }
      chain.Append(core::ImportedRecord(past, site, days, evidence_json, now));
      ++report.inserted;
    }
  });
  std::sort(report.errors.begin(), report.errors.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  return report;
}

}  // namespace fieldproof::store
