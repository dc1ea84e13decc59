// The hash chain detects every kind of tampering, and only tampering.
#include "gateway/core/maintenance_record.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace fieldproof::core {
namespace {

// A stand-in hash that is still sensitive to every byte (the real one is SHA-256).
std::string TestHash(std::string_view text) {
  return std::to_string(std::hash<std::string_view>{}(text));
}

std::vector<MaintenanceRecord> Chain(int n) {
  std::vector<MaintenanceRecord> records;
  std::string previous(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    MaintenanceRecord r;
    r.site = "FRA";
    r.seq = i;
    r.kind = "inspection";
    r.inspection_id = 100 + i;
    r.asset_id = "A-" + std::to_string(i);
    r.technician_id = "T-1";
    r.verdict = "verified";
    r.checklist = R"({"signage":"pass"})";
    r.defects = "[]";
    r.evidence = "[]";
    r.next_due_at = 1000 + i;
    r.prev_hash = previous;
    r.hash = RecordHash(r, TestHash);
    previous = r.hash;
    records.push_back(r);
  }
  return records;
}

bool Mentions(const std::vector<ChainProblem>& problems, const std::string& text) {
  for (const auto& p : problems) {
    if (p.what.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(VerifyChainTest, AnIntactChainHasNoProblems) {
  EXPECT_TRUE(VerifyChain(Chain(0), TestHash).empty());
  EXPECT_TRUE(VerifyChain(Chain(1), TestHash).empty());
  EXPECT_TRUE(VerifyChain(Chain(20), TestHash).empty());
}

TEST(VerifyChainTest, AnEditedFieldIsFoundAtItsRecord) {
  for (auto edit : std::vector<std::function<void(MaintenanceRecord&)>>{
           [](MaintenanceRecord& r) { r.verdict = "rejected"; },
           [](MaintenanceRecord& r) { r.checklist = R"({"signage":"fail"})"; },
           [](MaintenanceRecord& r) { r.next_due_at = r.next_due_at.value() + 86'400'000; },
           [](MaintenanceRecord& r) { r.technician_id = "T-2"; },
           [](MaintenanceRecord& r) { r.reason = "line\nbreak"; }}) {
    auto records = Chain(6);
    edit(records[2]);
    const auto problems = VerifyChain(records, TestHash);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].seq, 3);
    EXPECT_TRUE(Mentions(problems, "record 3 was altered"));
  }
}

TEST(VerifyChainTest, AnEditWithARecomputedHashBreaksTheNextLink) {
  auto records = Chain(6);
  records[2].verdict = "rejected";
  records[2].hash = RecordHash(records[2], TestHash);  // The forger rehashes the record...
  const auto problems = VerifyChain(records, TestHash);
  ASSERT_FALSE(problems.empty());
  EXPECT_TRUE(Mentions(problems, "record 4 does not follow"));  // ...but not the chain.
}

TEST(VerifyChainTest, ARemovedRecordIsMissingAndBreaksTheLink) {
  auto records = Chain(6);
  records.erase(records.begin() + 3);
  const auto problems = VerifyChain(records, TestHash);
  EXPECT_TRUE(Mentions(problems, "record 4 is missing"));
  EXPECT_TRUE(Mentions(problems, "record 5 does not follow"));
}

TEST(VerifyChainTest, AnInsertedRecordDoesNotFollow) {
  auto records = Chain(6);
  MaintenanceRecord forged = records[2];
  forged.asset_id = "A-forged";
  forged.hash = RecordHash(forged, TestHash);
  records.insert(records.begin() + 3, forged);
  const auto problems = VerifyChain(records, TestHash);
  EXPECT_TRUE(Mentions(problems, "appears twice or out of order"));
  EXPECT_TRUE(Mentions(problems, "does not follow"));
}

TEST(VerifyChainTest, TheFirstRecordMustStartFromGenesis) {
  auto records = Chain(3);
  records.erase(records.begin());
  EXPECT_TRUE(Mentions(VerifyChain(records, TestHash), "record 1 is missing"));
}

TEST(CanonicalRecordTextTest, EscapesSoThatFieldsCannotBleedIntoEachOther) {
  MaintenanceRecord a = Chain(1)[0];
  MaintenanceRecord b = a;
  a.reason = "x\nreviewer=Mallory";
  b.reason = "x";
  b.reviewer = "Mallory";
  EXPECT_NE(CanonicalRecordText(a), CanonicalRecordText(b));
}

// Schema 5 added work_order_id: records without one hash exactly as before it existed, so
// chains written by earlier versions still verify; records with one cover it.
TEST(CanonicalRecordTextTest, TheWorkOrderIsHashedOnlyWhenPresent) {
  MaintenanceRecord plain = Chain(1)[0];
  EXPECT_EQ(CanonicalRecordText(plain).find("work_order_id"), std::string::npos);
  MaintenanceRecord repair = plain;
  repair.work_order_id = "WO-7";
  EXPECT_NE(CanonicalRecordText(repair).find("\nwork_order_id=WO-7\n"), std::string::npos);
  EXPECT_NE(RecordHash(repair, TestHash), RecordHash(plain, TestHash));
}

}  // namespace
}  // namespace fieldproof::core
