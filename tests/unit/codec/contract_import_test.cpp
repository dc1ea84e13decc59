// Importing a contract (fieldproof contract import): its text ends up in e-invoices (XML 1.0),
// spreadsheets and terminals, so control characters and noncharacters are refused with the
// path of the field. Security review, issue 17.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/codec/billing_codec.hpp"

namespace fieldproof::codec {
namespace {

std::string SampleContract() {
  std::ifstream in(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/contracts/OWN-FRA.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The sample with the first `from` replaced by `to` (JSON source text).
std::string With(const std::string& from, const std::string& to) {
  std::string text = SampleContract();
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(ContractImportTest, TheSampleIsAccepted) {
  const auto contract = DecodeContractForImport(SampleContract());
  ASSERT_TRUE(contract.ok()) << contract.error().detail;
  EXPECT_EQ(contract.value().buyer.name, "Example Airport Operations AG");
}

TEST(ContractImportTest, RefusesControlCharactersAndNoncharactersNamingTheField) {
  struct Case {
    std::string from, to;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {"Example Airport Operations AG", "Example\\u001b[31m Airport",
       "/buyer/name: has a control character (U+001B) at character 8"},
      {"Brandschutzweg 1", "Brandschutzweg\\u00001",
       "/seller/address/street: has a control character (U+0000) at character 15"},
      {"04011000-12345-67", "04011000\\uffff",
       "/buyer_reference: has a noncharacter (U+FFFF) at character 9"},
      {"PO-2026-0815", "PO\\ufffe", "/purchase_order: has a noncharacter (U+FFFE) at character 3"},
      {"Replace smoke seal", "Replace\\nseal",
       "/prices/repairs/seal_damaged/name: has a control character (U+000A) at character 8"},
      {"Billing Desk", "Billing\\tDesk",
       "/seller/contact/name: has a control character (U+0009) at character 8"},
      {"\"sites\": [\"FRA\"]", "\"sites\": [\"F\\u0007RA\"]",
       "/sites/0: has a control character (U+0007) at character 2"},
      {"\"callout_fee\"", "\"callout\\u001bfee\"",
       "/prices: a member name has a control character (U+001B) at character 8"},
  };
  for (const Case& c : cases) {
    const auto contract = DecodeContractForImport(With(c.from, c.to));
    ASSERT_FALSE(contract.ok()) << c.detail;
    EXPECT_EQ(contract.error().reason, core::RejectReason::kInvalidValue) << c.detail;
    EXPECT_EQ(contract.error().detail, c.detail);
  }
}

// XRechnung writes skonto terms as lines of the payment terms (BT-20).
TEST(ContractImportTest, PaymentTermsMayHaveLineBreaks) {
  const auto contract =
      DecodeContractForImport(With("Payable within 30 days of the invoice date without deduction.",
                                   "#SKONTO#TAGE=7#PROZENT=2.00#\\n"));
  ASSERT_TRUE(contract.ok()) << contract.error().detail;
  EXPECT_EQ(contract.value().payment.terms_note, "#SKONTO#TAGE=7#PROZENT=2.00#\n");
  const auto bell = DecodeContractForImport(
      With("Payable within 30 days of the invoice date without deduction.", "Pay\\u0007"));
  ASSERT_FALSE(bell.ok());
  EXPECT_EQ(bell.error().detail,
            "/payment/terms_note: has a control character (U+0007) at character 4");
}

// Contracts stored before imports checked their text are still read (the ledger closes
// periods with them); the writers neutralise what they hold.
TEST(ContractImportTest, StoredContractsAreStillRead) {
  const auto stored = DecodeContract(With("Example Airport Operations AG", "Example\\u001b AG"));
  ASSERT_TRUE(stored.ok()) << stored.error().detail;
  EXPECT_EQ(stored.value().buyer.name, "Example\x1B AG");
}

}  // namespace
}  // namespace fieldproof::codec
