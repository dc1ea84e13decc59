#include "gateway/core/access.hpp"

namespace fieldproof::core {

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kOwner:
      return "owner";
    case Role::kBilling:
      return "billing";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
    case Role::kDevice:
      return "device";
  }
  return "owner";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role r : {Role::kOwner, Role::kBilling, Role::kSupervisor, Role::kAdmin, Role::kDevice}) {
    if (ToString(r) == text) return r;
  }
  return std::nullopt;
}

bool Principal::May(Capability capability) const {
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kOwner:
      return capability == Capability::kReadSites || capability == Capability::kReadInvoices;
    case Role::kBilling:
      return capability == Capability::kReadSites || capability == Capability::kReadInvoices;
    case Role::kSupervisor:
      return capability == Capability::kReadSites || capability == Capability::kReview;
    case Role::kDevice:
      return capability == Capability::kUploadPhotos || capability == Capability::kSiteSnapshot ||
             capability == Capability::kSignIn;
  }
  return false;
}

}  // namespace fieldproof::core
