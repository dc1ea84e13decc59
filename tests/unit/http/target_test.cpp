#include "gateway/http/target.hpp"

#include <gtest/gtest.h>

namespace fieldproof::http {
namespace {

TEST(Target, SplitsPathAndDecodesQuery) {
  const auto t = ParseTarget("/api/v1/assets?site=FRA&building=T%201&floor=2&x=a+b&empty=");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->segments, (std::vector<std::string>{"api", "v1", "assets"}));
  EXPECT_EQ(t->query.at("site"), "FRA");
  EXPECT_EQ(t->query.at("building"), "T 1");
  EXPECT_EQ(t->query.at("x"), "a b");
  EXPECT_EQ(t->query.at("empty"), "");
}

TEST(Target, DecodesPathSegmentsAndIgnoresEmptyOnes) {
  const auto t = ParseTarget("//api/v1/invoices/FP%2DINV-000001/");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->segments, (std::vector<std::string>{"api", "v1", "invoices", "FP-INV-000001"}));
}

TEST(Target, RefusesMalformedTargets) {
  for (const char* bad : {"", "api/v1", "/a%2", "/a%zz", "/a?x=%G1", "/%"}) {
    EXPECT_FALSE(ParseTarget(bad)) << bad;
  }
}

}  // namespace
}  // namespace fieldproof::http
