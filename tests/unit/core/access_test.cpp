#include "gateway/core/access.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

TEST(Access, EachRoleHasItsCapabilities) {
  struct Case {
    Role role;
    bool sites, invoices, review, operate;
  };
  for (const Case& c : std::initializer_list<Case>{{Role::kOwner, true, true, false, false},
                                                   {Role::kBilling, true, true, false, false},
                                                   {Role::kSupervisor, true, false, true, false},
                                                   {Role::kAdmin, true, true, true, true}}) {
    const Principal p{"x", c.role, c.role == Role::kOwner ? "OWN-FRA" : ""};
    EXPECT_EQ(p.May(Capability::kReadSites), c.sites) << ToString(c.role);
    EXPECT_EQ(p.May(Capability::kReadInvoices), c.invoices) << ToString(c.role);
    EXPECT_EQ(p.May(Capability::kReview), c.review) << ToString(c.role);
    EXPECT_EQ(p.May(Capability::kOperate), c.operate) << ToString(c.role);
  }
}

TEST(Access, OwnersAreConfinedToTheirCustomer) {
  const Principal owner{"fm", Role::kOwner, "OWN-FRA"};
  EXPECT_TRUE(owner.SeesCustomer("OWN-FRA"));
  EXPECT_FALSE(owner.SeesCustomer("OWN-MUC"));
  EXPECT_FALSE(owner.SeesCustomer(""));
  EXPECT_TRUE((Principal{"b", Role::kBilling, ""}).SeesCustomer("OWN-MUC"));
  EXPECT_EQ(ParseRole("supervisor"), Role::kSupervisor);
  EXPECT_EQ(ParseRole("root"), std::nullopt);
}

}  // namespace
}  // namespace fieldproof::core
