#include "gateway/store/record_chain.hpp"

namespace fieldproof::store {

core::MaintenanceRecord RecordChain::Append(core::MaintenanceRecord r) {
  auto& head = sql_.Get(
      "SELECT seq, hash FROM maintenance_records WHERE site = ? ORDER BY seq DESC LIMIT 1");
  head.Bind(1, r.site);
  if (head.Step()) {
    r.seq = head.Int(0) + 1;
    r.prev_hash = head.Text(1);
    head.Reset();
  } else {
    r.seq = 1;
    r.prev_hash = std::string(core::kGenesisHash);
  }
  r.hash = core::RecordHash(r, hash_);
  auto& insert = sql_.Get(
      "INSERT INTO maintenance_records (site, seq, kind, inspection_id, asset_id, technician_id, "
      "started_at, ended_at, verdict, checklist, defects, evidence, next_due_at, reviewer, "
      "reason, recorded_at, prev_hash, hash, work_order_id, photos) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, r.site).Bind(2, r.seq).Bind(3, r.kind).Bind(4, r.inspection_id);
  insert.Bind(5, r.asset_id).Bind(6, r.technician_id).Bind(7, r.started_at).Bind(8, r.ended_at);
  insert.Bind(9, r.verdict).Bind(10, r.checklist).Bind(11, r.defects).Bind(12, r.evidence);
  insert.BindOptional(13, r.next_due_at).Bind(14, r.reviewer).Bind(15, r.reason).Bind(16, r.recorded_at);
  insert.Bind(17, r.prev_hash).Bind(18, r.hash).Bind(19, r.work_order_id).Bind(20, r.photos);
  insert.Run();
  return r;
}

const char* const kRecordColumns =
    "site, seq, kind, inspection_id, asset_id, technician_id, started_at, ended_at, verdict, "
    "checklist, defects, evidence, next_due_at, reviewer, reason, recorded_at, prev_hash, hash, "
    "work_order_id, photos";

core::MaintenanceRecord ReadRecord(const Statement& row) {
  core::MaintenanceRecord r;
  r.site = row.Text("site");
  r.seq = row.Int("seq");
  r.kind = row.Text("kind");
  r.inspection_id = row.Int("inspection_id");
  r.asset_id = row.Text("asset_id");
  r.technician_id = row.Text("technician_id");
  r.started_at = row.Int("started_at");
  r.ended_at = row.Int("ended_at");
  r.verdict = row.Text("verdict");
  r.checklist = row.Text("checklist");
  r.defects = row.Text("defects");
  r.evidence = row.Text("evidence");
  r.next_due_at = row.OptionalInt("next_due_at");
  r.reviewer = row.Text("reviewer");
  r.reason = row.Text("reason");
  r.recorded_at = row.Int("recorded_at");
  r.prev_hash = row.Text("prev_hash");
  r.hash = row.Text("hash");
  r.work_order_id = row.Text("work_order_id");
  r.photos = row.Text("photos");
  return r;
}

std::vector<core::MaintenanceRecord> RecordChain::Load(const std::string& site) {
  std::vector<core::MaintenanceRecord> records;
  auto s = db_.Prepare(std::string("SELECT ") + kRecordColumns +
                       " FROM maintenance_records WHERE site = ? ORDER BY seq");
  s.Bind(1, site);
  while (s.Step()) records.push_back(ReadRecord(s));
  return records;
}

std::vector<std::string> RecordChain::Sites() {
  std::vector<std::string> sites;
  auto s = db_.Prepare("SELECT DISTINCT site FROM maintenance_records ORDER BY site");
  while (s.Step()) sites.push_back(s.Text(0));
  return sites;
}

}  // namespace fieldproof::store
