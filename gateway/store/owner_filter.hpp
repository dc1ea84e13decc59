#pragma once
// Owners see by the asset's owner, never by site alone: several owners share a site (an
// airport operator and its tenants). The SQL condition every owner-facing query adds.
#include <string>

namespace fieldproof::store {

// "Parameter ?n (an owner's customer id, or '' for roles that see every customer) owns the
// asset of the row aliased `alias`" (a row with site and asset_id columns). A row whose
// asset is not registered (an unknown tag) is then visible to the all-seeing roles only.
inline std::string OwnedBy(const char* alias, int n) {
  const std::string p = "?" + std::to_string(n);
  return "(" + p + " = '' OR EXISTS (SELECT 1 FROM assets owner_a WHERE owner_a.site = " + alias +
         ".site AND owner_a.asset_id = " + alias + ".asset_id AND owner_a.owner_id = " + p + "))";
}

}  // namespace fieldproof::store
