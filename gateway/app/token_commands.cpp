#include "gateway/app/token_commands.hpp"

#include <iostream>

#include "gateway/app/system_clock.hpp"
#include "gateway/core/identifiers.hpp"
#include "gateway/crypto/random.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/token_store.hpp"

namespace fieldproof::app {

TokenCommands::TokenCommands(CLI::App& app) {
  auto* token = app.add_subcommand("token", "API tokens (stored hashed; shown once, when created)");
  token->require_subcommand(1);
  create_ = token->add_subcommand("create", "Create a token and print it");
  create_->add_option("--name", name_, "Who holds it (shown as the actor, e.g. on reviews)")
      ->required();
  create_
      ->add_option("--role", role_,
                   "owner (read-only, one customer's sites), billing, supervisor, admin, or "
                   "device (a handheld uploading its photos; --name is its device id)")
      ->required()
      ->check(CLI::IsMember({"owner", "billing", "supervisor", "admin", "device"}));
  create_->add_option("--customer", customer_,
                      "For owners: the customer (asset owner_id) they may see");
  list_ = token->add_subcommand("list", "List tokens (never the secrets)");
  revoke_ = token->add_subcommand("revoke", "Revoke a token");
  revoke_->add_option("--name", name_, "The token's name")->required();
}

std::optional<int> TokenCommands::Run(const std::string& db_path) {
  if (!*create_ && !*list_ && !*revoke_) return std::nullopt;
  store::Database db(db_path);
  store::Migrate(db);
  store::TokenStore tokens(db, crypto::Sha256Hex);
  if (*create_) {
    const core::Role role = *core::ParseRole(role_);
    if ((role == core::Role::kOwner) == customer_.empty()) {
      std::cerr << "error: --customer is required for owners and only for owners\n";
      return 2;
    }
    if (!core::IsEntityId(name_) || (!customer_.empty() && !core::IsEntityId(customer_))) {
      std::cerr << "error: --name and --customer must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$\n";
      return 2;
    }
    const std::string token = "fp_" + crypto::RandomHex(32);
    if (!tokens.Create({name_, role, customer_}, token, NowMillis())) {
      std::cerr << "error: a token named " << name_ << " exists\n";
      return 1;
    }
    std::cout << token << "\n";
    std::cerr << "token " << name_ << " (" << role_
              << (customer_.empty() ? "" : ", customer " + customer_)
              << ") created; it is shown only now\n";
    return 0;
  }
  if (*list_) {
    for (const auto& t : tokens.List()) {
      std::cout << t.principal.name << "  " << core::ToString(t.principal.role) << "  "
                << (t.principal.customer_id.empty() ? "-" : t.principal.customer_id) << "  created "
                << core::FormatRfc3339(t.created_at)
                << (t.revoked_at ? "  revoked " + core::FormatRfc3339(*t.revoked_at) : "") << "\n";
    }
    return 0;
  }
  if (!tokens.Revoke(name_, NowMillis())) {
    std::cerr << "error: no active token named " << name_ << "\n";
    return 1;
  }
  std::cout << "token " << name_ << " revoked\n";
  return 0;
}

}  // namespace fieldproof::app
