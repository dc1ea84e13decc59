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
      "reason, recorded_at, prev_hash, hash, work_order_id) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, r.site).Bind(2, r.seq).Bind(3, r.kind).Bind(4, r.inspection_id);
  insert.Bind(5, r.asset_id).Bind(6, r.technician_id).Bind(7, r.started_at).Bind(8, r.ended_at);
  insert.Bind(9, r.verdict).Bind(10, r.checklist).Bind(11, r.defects).Bind(12, r.evidence);
  if (r.next_due_at) {
    insert.Bind(13, *r.next_due_at);
  } else {
    insert.BindNull(13);
  }
  insert.Bind(14, r.reviewer).Bind(15, r.reason).Bind(16, r.recorded_at);
  insert.Bind(17, r.prev_hash).Bind(18, r.hash).Bind(19, r.work_order_id);
  insert.Run();
  return r;
}

std::vector<core::MaintenanceRecord> RecordChain::Load(const std::string& site) {
  std::vector<core::MaintenanceRecord> records;
  auto s = db_.Prepare(
      "SELECT site, seq, kind, inspection_id, asset_id, technician_id, started_at, ended_at, "
      "verdict, checklist, defects, evidence, next_due_at, reviewer, reason, recorded_at, "
      "prev_hash, hash, work_order_id FROM maintenance_records WHERE site = ? ORDER BY seq");
  s.Bind(1, site);
  while (s.Step()) {
    core::MaintenanceRecord r;
    r.site = s.Text(0);
    r.seq = s.Int(1);
    r.kind = s.Text(2);
    r.inspection_id = s.Int(3);
    r.asset_id = s.Text(4);
    r.technician_id = s.Text(5);
    r.started_at = s.Int(6);
    r.ended_at = s.Int(7);
    r.verdict = s.Text(8);
    r.checklist = s.Text(9);
    r.defects = s.Text(10);
    r.evidence = s.Text(11);
    if (!s.IsNull(12)) r.next_due_at = s.Int(12);
    r.reviewer = s.Text(13);
    r.reason = s.Text(14);
    r.recorded_at = s.Int(15);
    r.prev_hash = s.Text(16);
    r.hash = s.Text(17);
    r.work_order_id = s.Text(18);
    records.push_back(std::move(r));
  }
  return records;
}

std::vector<std::string> RecordChain::Sites() {
  std::vector<std::string> sites;
  auto s = db_.Prepare("SELECT DISTINCT site FROM maintenance_records ORDER BY site");
  while (s.Step()) sites.push_back(s.Text(0));
  return sites;
}

}  // namespace fieldproof::store
