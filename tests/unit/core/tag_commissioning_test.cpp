#include "gateway/core/tag_commissioning.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

TagInstall Fresh() {
  TagInstall t;
  t.asset_id = "A-1";
  t.uid = "04AA0000000001";
  return t;
}

std::string Refused(const TagInstall& t) {
  const auto refusal = RefuseTagInstall(t);
  return refusal ? std::string(ToString(refusal->kind)) + ": " + refusal->detail : "";
}

TEST(TagCommissioningTest, ANewTagGoesOnAnAssetWithoutOne) { EXPECT_EQ(Refused(Fresh()), ""); }

TEST(TagCommissioningTest, ReplacingATagNeedsTheFlagAndAReason) {
  TagInstall t = Fresh();
  t.current_uid = "04BB0000000001";
  EXPECT_NE(Refused(t).find("carries tag 04BB0000000001; replacing it needs --replace"), std::string::npos);
  t.replace = true;
  EXPECT_NE(Refused(t).find("needs the reason"), std::string::npos);
  t.reason = "damaged";
  EXPECT_EQ(Refused(t), "");
  t.current_uid = t.uid;
  EXPECT_NE(Refused(t).find("carries tag 04AA0000000001 already"), std::string::npos);
}

TEST(TagCommissioningTest, ARetiredTagOrAnotherAssetsTagNeverGoesOn) {
  TagInstall t = Fresh();
  t.on_other_asset = "A-2";
  EXPECT_NE(Refused(t).find("is on asset A-2"), std::string::npos);
  t = Fresh();
  t.retired = TagTenure{"A-3", t.uid, 0, "x", "SUN read", 86'400'000, "T-1", "damaged"};
  EXPECT_EQ(Refused(t),
            "conflict: tag 04AA0000000001 was retired from asset A-3 on 1970-01-02T00:00:00.000Z "
            "(damaged); a retired tag no longer counts");
}

TEST(TagCommissioningTest, OnlyListedTagsOnceASupplierListExists) {
  TagInstall t = Fresh();
  t.supplier_lists = true;
  EXPECT_NE(Refused(t).find("forbidden: tag 04AA0000000001 is on no supplier's list"), std::string::npos);
  t.supplied = true;
  EXPECT_EQ(Refused(t), "");
}

}  // namespace
}  // namespace fieldproof::core
