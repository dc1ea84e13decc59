#pragma once
// A realistic invoice and credit note for the export tests: the sample contract in
// ops/contracts/ and verified visits with a night and a weekend visit and a repair.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gateway/codec/billing_codec.hpp"
#include "gateway/core/invoice.hpp"

namespace fieldproof::exporter::testing {

inline core::Contract SampleContract() {
  std::ifstream in(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/contracts/OWN-FRA.json");
  std::stringstream text;
  text << in.rdbuf();
  auto contract = codec::DecodeContract(text.str());
  EXPECT_TRUE(contract.ok()) << (contract.ok() ? "" : contract.error().detail);
  return contract.value();
}

inline core::BillableVisit SampleVisit(std::int64_t seq, const char* type, const char* start) {
  core::BillableVisit v;
  v.record = {"FRA",     seq,      std::string(63, 'c') + std::to_string(seq % 10),
              500 + seq, 10 * seq, 10 * seq + 1};
  v.asset_id = "FRA-T1-F0-FS-" + std::to_string(1000 + seq);
  v.asset_type = type;
  v.technician_id = seq % 2 ? "T-0001" : "T-0002";
  v.started_at = *core::ParseRfc3339(start);
  v.ended_at = v.started_at + 300'000;
  return v;
}

inline core::Invoice SampleInvoice() {
  const core::Contract c = SampleContract();
  std::vector<core::BillableVisit> visits = {
      SampleVisit(1, "fire_shutter", "2026-11-03T08:00:00Z"),
      SampleVisit(2, "fire_door", "2026-11-03T09:00:00Z"),
      SampleVisit(3, "fire_shutter", "2026-11-03T22:30:00Z"),  // 23:30 local: night
      SampleVisit(4, "fire_door", "2026-11-07T10:00:00Z"),     // Saturday
      SampleVisit(5, "fire_shutter", "2026-11-04T10:00:00Z")};
  visits.back().work_order_id = "WO-17";
  visits.back().repaired_defect = "seal_damaged";
  const auto draft = core::DraftInvoiceLines(c, visits, {});
  return core::MakeInvoice(c, "FP-INV-000001", {2026, 11}, "2026-12-01", draft.lines,
                           {{"FRA", 5, std::string(64, 'f')}});
}

inline core::Invoice SampleCreditNote() {
  const std::vector<int> lines = {2, 3};
  return *core::MakeCreditNote(SampleInvoice(), "FP-CN-000001", "2026-12-05",
                               "Visit FRA#2 was billed at the wrong price", lines);
}

}  // namespace fieldproof::exporter::testing
