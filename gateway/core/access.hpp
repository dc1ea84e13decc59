#pragma once
// Who may do what through the API. A token carries a role; a facility owner's token also
// names the customer, and the owner sees only that customer's sites and invoices. Pure:
// the HTTP adapter asks, this decides.
#include <optional>
#include <string>
#include <string_view>

namespace fieldproof::core {

enum class Role { kOwner, kBilling, kSupervisor, kAdmin, kDevice };
std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);

enum class Capability {
  kReadSites,     // Coverage, assets, inspections with their evidence, records.
  kReadInvoices,  // Invoices, credit notes and their exports.
  kReview,        // Resolve inspections that need review.
  kOperate,       // Rejected messages, metrics.
  kUploadPhotos,  // A handheld's photos of its inspections.
  kSiteSnapshot,  // A handheld's copy of its site: assets, schedule, checklists.
  kSignIn,        // A handheld signs its technicians in with their PINs.
};

struct Principal {
  std::string name;  // A handheld's token is named by its device id.
  Role role = Role::kOwner;
  std::string customer_id;  // Owners only: the customer whose sites and invoices they see.

  bool May(Capability capability) const;
  // Owners are confined to their customer; everyone else sees every customer.
  bool SeesCustomer(std::string_view customer) const {
    return role != Role::kOwner || customer == customer_id;
  }
};

}  // namespace fieldproof::core
