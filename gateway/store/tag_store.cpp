#include "gateway/store/tag_store.hpp"

namespace fieldproof::store {
namespace {

constexpr std::string_view kTenureColumns =
    "asset_id, tag_uid, installed_at, installed_by, proof, retired_at, "
    "coalesce(retired_by, '') AS retired_by, coalesce(retired_reason, '') AS retired_reason";

core::TagTenure ReadTenure(const Statement& row) {
  return {row.Text("asset_id"),     row.Text("tag_uid"), row.Int("installed_at"),
          row.Text("installed_by"), row.Text("proof"),   row.OptionalInt("retired_at"),
          row.Text("retired_by"),   row.Text("retired_reason")};
}

}  // namespace

core::TagInstall TagStore::InstallFacts(const std::string& site, const std::string& asset_id,
                                        const std::string& uid) {
  core::TagInstall facts;
  facts.asset_id = asset_id;
  facts.uid = uid;
  RegistryStore registry(db_);
  if (const auto asset = registry.FindAsset(site, asset_id)) facts.current_uid = asset->tag_uid;
  if (const auto holder = registry.FindAssetByTag(site, uid); holder && holder->asset_id != asset_id) {
    facts.on_other_asset = holder->asset_id;
  }
  facts.retired = Retired(site, uid);
  facts.supplier_lists = db_.QueryInt("SELECT EXISTS (SELECT 1 FROM supplied_tags)") != 0;
  auto supplied = db_.Prepare("SELECT 1 FROM supplied_tags WHERE tag_uid = ?");
  supplied.Bind(1, uid);
  facts.supplied = supplied.Step();
  return facts;
}

void TagStore::Install(const std::string& site, const core::TagTenure& t, const std::string& reason) {
  InTransaction(db_, [&] {
    db_.Prepare(
           "UPDATE tag_history SET retired_at = ?1, retired_by = ?2, retired_reason = ?3 "
           "WHERE site = ?4 AND asset_id = ?5 AND retired_at IS NULL")
        .Bind(1, t.installed_at)
        .Bind(2, t.installed_by)
        .Bind(3, reason + "; replaced by " + t.tag_uid)
        .Bind(4, site)
        .Bind(5, t.asset_id)
        .Run();
    db_.Prepare("UPDATE assets SET tag_uid = ?, updated_at = ? WHERE site = ? AND asset_id = ?")
        .Bind(1, t.tag_uid)
        .Bind(2, t.installed_at)
        .Bind(3, site)
        .Bind(4, t.asset_id)
        .Run();
    db_.Prepare(
           "INSERT INTO tag_history (site, asset_id, tag_uid, installed_at, installed_by, proof) "
           "VALUES (?,?,?,?,?,?)")
        .Bind(1, site)
        .Bind(2, t.asset_id)
        .Bind(3, t.tag_uid)
        .Bind(4, t.installed_at)
        .Bind(5, t.installed_by)
        .Bind(6, t.proof)
        .Run();
  });
}

std::vector<core::TagTenure> TagStore::History(const std::string& site, const std::string& asset_id) {
  auto s = db_.Prepare("SELECT " + std::string(kTenureColumns) +
                       " FROM tag_history WHERE site = ? AND asset_id = ? ORDER BY id");
  s.Bind(1, site).Bind(2, asset_id);
  std::vector<core::TagTenure> history;
  while (s.Step()) history.push_back(ReadTenure(s));
  return history;
}

std::optional<core::TagTenure> TagStore::Retired(const std::string& site, const std::string& uid) {
  auto s = db_.Prepare("SELECT " + std::string(kTenureColumns) +
                       " FROM tag_history WHERE site = ? AND tag_uid = ? AND retired_at IS NOT NULL "
                       "AND retired_by <> ? ORDER BY id DESC LIMIT 1");
  s.Bind(1, site).Bind(2, uid).Bind(3, core::kRegistryImport);
  if (!s.Step()) return std::nullopt;
  return ReadTenure(s);
}

ImportReport TagStore::ImportSupplied(std::span<const codec::RegistryFile<std::string>::Row> rows,
                                      const std::string& batch, const std::string& by,
                                      core::UnixMillis now) {
  ImportReport report;
  auto insert = db_.Prepare(
      "INSERT INTO supplied_tags (tag_uid, batch, imported_at, imported_by) VALUES (?,?,?,?) "
      "ON CONFLICT (tag_uid) DO NOTHING");
  InTransaction(db_, [&] {
    for (const auto& row : rows) {
      insert.Bind(1, row.record).Bind(2, batch).Bind(3, now).Bind(4, by);
      insert.Run();
      ++(db_.Changes() > 0 ? report.inserted : report.unchanged);
    }
  });
  return report;
}

}  // namespace fieldproof::store
