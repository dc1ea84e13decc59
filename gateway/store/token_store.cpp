#include "gateway/store/token_store.hpp"

namespace fieldproof::store {

bool TokenStore::Create(const core::Principal& p, const std::string& token, core::UnixMillis now) {
  auto s = db_.Prepare(
      "INSERT INTO api_tokens (token_hash, name, role, customer_id, created_at) VALUES (?,?,?,?,?) "
      "ON CONFLICT DO NOTHING");
  s.Bind(1, hash_(token))
      .Bind(2, p.name)
      .Bind(3, core::ToString(p.role))
      .Bind(4, p.customer_id)
      .Bind(5, now);
  s.Run();
  return db_.Changes() == 1;
}

void TokenStore::Replace(const core::Principal& p, const std::string& token, core::UnixMillis now) {
  InTransaction(db_, [&] {
    db_.Prepare("DELETE FROM api_tokens WHERE name = ?").Bind(1, p.name).Run();
    Create(p, token, now);
  });
}

std::optional<core::Principal> TokenStore::Find(const std::string& token) {
  auto s = db_.Prepare(
      "SELECT name, role, customer_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL");
  s.Bind(1, hash_(token));
  if (!s.Step()) return std::nullopt;
  core::Principal p{s.Text(0), core::ParseRole(s.Text(1)).value_or(core::Role::kOwner), s.Text(2)};
  s.Reset();
  return p;
}

std::vector<TokenInfo> TokenStore::List() {
  std::vector<TokenInfo> out;
  auto s = db_.Prepare(
      "SELECT name, role, customer_id, created_at, revoked_at FROM api_tokens ORDER BY name");
  while (s.Step()) {
    TokenInfo t{{s.Text(0), core::ParseRole(s.Text(1)).value_or(core::Role::kOwner), s.Text(2)},
                s.Int(3),
                {}};
    if (!s.IsNull(4)) t.revoked_at = s.Int(4);
    out.push_back(std::move(t));
  }
  return out;
}

bool TokenStore::Revoke(const std::string& name, core::UnixMillis now) {
  db_.Prepare("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
      .Bind(1, now)
      .Bind(2, name)
      .Run();
  return db_.Changes() == 1;
}

}  // namespace fieldproof::store
