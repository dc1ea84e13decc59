#include "gateway/core/maintenance_record.hpp"

#include <algorithm>

namespace fieldproof::core {
namespace {

void Field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += '=';
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '\n';
}

}  // namespace

std::string CanonicalRecordText(const MaintenanceRecord& r) {
  std::string out = "fieldproof-maintenance-record/1\n";
  Field(out, "site", r.site);
  Field(out, "seq", std::to_string(r.seq));
  Field(out, "kind", r.kind);
  Field(out, "inspection_id", std::to_string(r.inspection_id));
  Field(out, "asset_id", r.asset_id);
  Field(out, "technician_id", r.technician_id);
  Field(out, "started_at", std::to_string(r.started_at));
  Field(out, "ended_at", std::to_string(r.ended_at));
  Field(out, "verdict", r.verdict);
  Field(out, "checklist", r.checklist);
  Field(out, "defects", r.defects);
  Field(out, "evidence", r.evidence);
  Field(out, "next_due_at", r.next_due_at ? std::to_string(*r.next_due_at) : "");
  Field(out, "reviewer", r.reviewer);
  Field(out, "reason", r.reason);
  // Added in schema 5; absent when empty, so records written before it keep their hash.
  if (!r.work_order_id.empty()) Field(out, "work_order_id", r.work_order_id);
  // Added in schema 15, likewise: a photo swapped later no longer matches its hash here.
  if (!r.photos.empty()) Field(out, "photos", r.photos);
  Field(out, "recorded_at", std::to_string(r.recorded_at));
  Field(out, "prev_hash", r.prev_hash);
  return out;
}

std::string RecordHash(const MaintenanceRecord& record, const HashFn& hash) {
  return hash(CanonicalRecordText(record));
}

std::vector<ChainProblem> VerifyChain(std::span<const MaintenanceRecord> records,
                                      const HashFn& hash) {
  std::vector<ChainProblem> problems;
  std::string previous(kGenesisHash);
  std::int64_t expected = 1;
  for (const MaintenanceRecord& r : records) {
    if (r.seq > expected) {
      problems.push_back({expected, "record " + std::to_string(expected) +
                                        (r.seq - expected > 1
                                             ? " to " + std::to_string(r.seq - 1) + " are missing"
                                             : " is missing")});
    } else if (r.seq < expected) {
      problems.push_back({r.seq, "record " + std::to_string(r.seq) + " appears twice or out of order"});
    }
    if (r.prev_hash != previous) {
      problems.push_back({r.seq, "record " + std::to_string(r.seq) +
                                     " does not follow the record before it (a record was removed, "
                                     "inserted or changed)"});
    }
    if (RecordHash(r, hash) != r.hash) {
      problems.push_back({r.seq, "record " + std::to_string(r.seq) + " was altered: its hash does "
                                                                     "not match its content"});
    }
    previous = r.hash;
    expected = std::max(expected, r.seq + 1);
  }
  return problems;
}

MaintenanceRecord ImportedRecord(const PastInspection& past, const std::string& site, std::int64_t interval_days,
                                 std::string evidence_json, UnixMillis now) {
  MaintenanceRecord r;
  r.site = site;
  r.kind = std::string(kImportedKind);
  r.asset_id = past.asset_id;
  r.technician_id = past.inspected_by;
  r.started_at = past.inspected_at;
  r.ended_at = past.inspected_at;
  r.verdict = past.passed ? "verified" : "verified_with_defects";
  r.checklist = "{}";
  r.defects = "[]";
  r.evidence = std::move(evidence_json);
  r.next_due_at = NextDueAt(past.inspected_at, interval_days);
  r.recorded_at = now;
  return r;
}

}  // namespace fieldproof::core
