#pragma once
// API tokens. Only a SHA-256 of each token is stored: a copy of the database does not let
// anyone in. Tokens are named (the name is who acts, e.g. on a review) and can be revoked.
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/access.hpp"
#include "gateway/core/maintenance_record.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct TokenInfo {
  core::Principal principal;
  core::UnixMillis created_at = 0;
  std::optional<core::UnixMillis> revoked_at;
};

class TokenStore {
 public:
  TokenStore(Database& db, core::HashFn hash) : db_(db), hash_(std::move(hash)) {}

  // Stores `token` (hashed) for `principal`; false when the name is taken.
  bool Create(const core::Principal& principal, const std::string& token, core::UnixMillis now);
  // The principal of an unrevoked token.
  // The principal's token, replacing any earlier one of that name (a handheld enrolled again).
  void Replace(const core::Principal& principal, const std::string& token, core::UnixMillis now);
  std::optional<core::Principal> Find(const std::string& token);
  std::vector<TokenInfo> List();
  bool Revoke(const std::string& name, core::UnixMillis now);

 private:
  Database& db_;
  core::HashFn hash_;
};

}  // namespace fieldproof::store
