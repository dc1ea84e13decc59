#include "gateway/store/registry_store.hpp"

#include "gateway/core/tag_commissioning.hpp"

#include <algorithm>

namespace fieldproof::store {
namespace {

constexpr std::string_view kAssetSelect =
    "SELECT asset_id, site, building, floor, location, x_m, y_m, asset_type, tag_uid, "
    "interval_days, owner_id, sensor_equipped FROM assets ";

core::Asset AssetFromRow(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Text(2), static_cast<int>(s.Int(3)), s.Text(4), s.Real(5),
          s.Real(6), s.Text(7), s.Text(8), static_cast<int>(s.Int(9)), s.Text(10), s.Int(11) != 0};
}

// The one row `s` selects for (site, key), if any.
std::optional<core::Asset> FirstAsset(Statement& s, const std::string& site, const std::string& key) {
  s.Bind(1, site).Bind(2, key);
  if (!s.Step()) return std::nullopt;
  core::Asset asset = AssetFromRow(s);
  s.Reset();
  return asset;
}

// Technicians' qualifications are stored as one ';'-separated column.
std::vector<std::string> SplitList(const std::string& joined) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < joined.size()) {
    const std::size_t end = std::min(joined.find(';', start), joined.size());
    if (end > start) items.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ";") + item;
  return joined;
}

}  // namespace

ImportReport RegistryStore::ImportAssets(
    std::span<const codec::RegistryFile<core::Asset>::Row> rows, core::UnixMillis now) {
  ImportReport report;
  Statement find = db_.Prepare(
      "SELECT building, floor, location, x_m, y_m, asset_type, tag_uid, interval_days, owner_id, "
      "sensor_equipped FROM assets WHERE site = ? AND asset_id = ?");
  Statement tag_owner =
      db_.Prepare("SELECT asset_id FROM assets WHERE site = ? AND tag_uid = ? AND asset_id <> ?");
  Statement upsert = db_.Prepare(
      "INSERT INTO assets (site, asset_id, building, floor, location, x_m, y_m, asset_type, "
      "tag_uid, interval_days, owner_id, sensor_equipped, updated_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (site, asset_id) DO UPDATE SET "
      "building=excluded.building, floor=excluded.floor, location=excluded.location, "
      "x_m=excluded.x_m, y_m=excluded.y_m, asset_type=excluded.asset_type, "
      "tag_uid=excluded.tag_uid, interval_days=excluded.interval_days, "
      "owner_id=excluded.owner_id, sensor_equipped=excluded.sensor_equipped, "
      "updated_at=excluded.updated_at");
  // The registry's tags count in the tag history (docs/handheld.md): a changed tag_uid ends
  // the asset's tag before, and a tag retired by a replacement never comes back.
  Statement retired = db_.Prepare(
      "SELECT asset_id FROM tag_history WHERE site = ? AND tag_uid = ? AND retired_at IS NOT NULL "
      "AND retired_by <> ?");
  Statement end_tenure = db_.Prepare(
      "UPDATE tag_history SET retired_at = ?1, retired_by = ?5, "
      "retired_reason = 'changed in the asset registry to ' || ?2 "
      "WHERE site = ?3 AND asset_id = ?4 AND retired_at IS NULL AND tag_uid <> ?2");
  Statement start_tenure = db_.Prepare(
      "INSERT INTO tag_history (site, asset_id, tag_uid, installed_at, installed_by, proof) "
      "SELECT ?1, ?2, ?3, ?4, ?5, 'asset registry' WHERE NOT EXISTS (SELECT 1 FROM tag_history "
      "WHERE site = ?1 AND asset_id = ?2 AND tag_uid = ?3 AND retired_at IS NULL)");
  InTransaction(db_, [&] {
    for (const auto& [line, a] : rows) {
      tag_owner.Bind(1, a.site).Bind(2, a.tag_uid).Bind(3, a.asset_id);
      if (tag_owner.Step()) {
        report.errors.push_back(
            {line, "tag_uid " + a.tag_uid + " is already on asset " + tag_owner.Text(0)});
        tag_owner.Reset();
        continue;
      }
      retired.Bind(1, a.site).Bind(2, a.tag_uid).Bind(3, core::kRegistryImport);
      if (retired.Step()) {
        report.errors.push_back({line, "tag_uid " + a.tag_uid + " was retired from asset " +
                                           retired.Text(0) + "; a retired tag never comes back"});
        retired.Reset();
        continue;
      }
      find.Bind(1, a.site).Bind(2, a.asset_id);
      const bool exists = find.Step();
      const bool same = exists && find.Text(0) == a.building && find.Int(1) == a.floor &&
                        find.Text(2) == a.location && find.Real(3) == a.x_m &&
                        find.Real(4) == a.y_m && find.Text(5) == a.asset_type &&
                        find.Text(6) == a.tag_uid && find.Int(7) == a.interval_days &&
                        find.Text(8) == a.owner_id && (find.Int(9) != 0) == a.sensor_equipped;
      find.Reset();
      if (same) {
        ++report.unchanged;
        continue;
      }
      upsert.Bind(1, a.site).Bind(2, a.asset_id).Bind(3, a.building).Bind(4, a.floor);
      upsert.Bind(5, a.location).Bind(6, a.x_m).Bind(7, a.y_m).Bind(8, a.asset_type);
      upsert.Bind(9, a.tag_uid).Bind(10, a.interval_days).Bind(11, a.owner_id);
      upsert.Bind(12, a.sensor_equipped ? 1 : 0).Bind(13, now);
      upsert.Run();
      end_tenure.Bind(1, now).Bind(2, a.tag_uid).Bind(3, a.site).Bind(4, a.asset_id);
      end_tenure.Bind(5, core::kRegistryImport).Run();
      start_tenure.Bind(1, a.site).Bind(2, a.asset_id).Bind(3, a.tag_uid).Bind(4, now);
      start_tenure.Bind(5, core::kRegistryImport).Run();
      ++(exists ? report.updated : report.inserted);
    }
  });
  return report;
}

ImportReport RegistryStore::ImportTechnicians(
    std::span<const codec::RegistryFile<core::Technician>::Row> rows, core::UnixMillis now) {
  ImportReport report;
  Statement find = db_.Prepare(
      "SELECT name, company, qualifications FROM technicians WHERE site = ? AND technician_id = ?");
  Statement upsert = db_.Prepare(
      "INSERT INTO technicians (site, technician_id, name, company, qualifications, updated_at) "
      "VALUES (?,?,?,?,?,?) ON CONFLICT (site, technician_id) DO UPDATE SET name=excluded.name, "
      "company=excluded.company, qualifications=excluded.qualifications, "
      "updated_at=excluded.updated_at");
  // A technician no longer assigned to a site loses that site's row.
  Statement unassign = db_.Prepare(
      "DELETE FROM technicians WHERE technician_id = ? AND instr(';' || ? || ';', ';' || site || "
      "';') = 0");
  Statement known = db_.Prepare("SELECT 1 FROM technicians WHERE technician_id = ? LIMIT 1");
  InTransaction(db_, [&] {
    for (const auto& [line, t] : rows) {
      const std::string qualifications = JoinList(t.qualifications);
      bool changed = false;
      known.Bind(1, t.technician_id);
      const bool existed = known.Step();  // At any site, also one being left.
      known.Reset();
      for (const std::string& site : t.sites) {
        find.Bind(1, site).Bind(2, t.technician_id);
        const bool exists = find.Step();
        const bool same = exists && find.Text(0) == t.name && find.Text(1) == t.company &&
                          find.Text(2) == qualifications;
        find.Reset();
        if (same) continue;
        upsert.Bind(1, site).Bind(2, t.technician_id).Bind(3, t.name).Bind(4, t.company);
        upsert.Bind(5, qualifications).Bind(6, now);
        upsert.Run();
        changed = true;
      }
      unassign.Bind(1, t.technician_id).Bind(2, JoinList(t.sites));
      unassign.Run();
      changed = changed || db_.Changes() > 0;
      if (!changed) {
        ++report.unchanged;
      } else {
        ++(existed ? report.updated : report.inserted);
      }
    }
  });
  return report;
}

ImportReport RegistryStore::ImportDevices(
    std::span<const codec::RegistryFile<core::Device>::Row> rows, core::UnixMillis now) {
  ImportReport report;
  Statement find = db_.Prepare("SELECT company FROM devices WHERE site = ? AND device_id = ?");
  Statement upsert = db_.Prepare(
      "INSERT INTO devices (site, device_id, company, updated_at) VALUES (?,?,?,?) "
      "ON CONFLICT (site, device_id) DO UPDATE SET company=excluded.company, "
      "updated_at=excluded.updated_at");
  InTransaction(db_, [&] {
    for (const auto& [line, d] : rows) {
      find.Bind(1, d.site).Bind(2, d.device_id);
      const bool exists = find.Step();
      const bool same = exists && find.Text(0) == d.company;
      find.Reset();
      if (same) {
        ++report.unchanged;
        continue;
      }
      upsert.Bind(1, d.site).Bind(2, d.device_id).Bind(3, d.company).Bind(4, now);
      upsert.Run();
      ++(exists ? report.updated : report.inserted);
    }
  });
  return report;
}

std::vector<core::Asset> RegistryStore::Assets(const std::string& site) {
  std::vector<core::Asset> assets;
  Statement& s = sql_.Get(std::string(kAssetSelect) + "WHERE site = ? ORDER BY asset_id");
  s.Bind(1, site);
  while (s.Step()) assets.push_back(AssetFromRow(s));
  return assets;
}

std::optional<core::Asset> RegistryStore::FindAsset(const std::string& site,
                                                    const std::string& asset_id) {
  return FirstAsset(sql_.Get(std::string(kAssetSelect) + "WHERE site = ? AND asset_id = ?"), site,
                    asset_id);
}

std::optional<core::Asset> RegistryStore::FindAssetByTag(const std::string& site,
                                                         const std::string& tag_uid) {
  return FirstAsset(sql_.Get(std::string(kAssetSelect) + "WHERE site = ? AND tag_uid = ?"), site,
                    tag_uid);
}

std::optional<core::Technician> RegistryStore::FindTechnician(const std::string& site,
                                                             const std::string& technician_id) {
  Statement& s = sql_.Get(
      "SELECT name, company, qualifications FROM technicians WHERE site = ? AND technician_id = ?");
  s.Bind(1, site).Bind(2, technician_id);
  if (!s.Step()) return std::nullopt;
  core::Technician t{technician_id, s.Text(0), s.Text(1), SplitList(s.Text(2)), {site}};
  s.Reset();
  return t;
}

std::optional<std::string> RegistryStore::FindDeviceCompany(const std::string& site,
                                                            const std::string& device_id) {
  Statement& s = sql_.Get("SELECT company FROM devices WHERE site = ? AND device_id = ?");
  s.Bind(1, site).Bind(2, device_id);
  if (!s.Step()) return std::nullopt;
  std::string company = s.Text(0);
  s.Reset();
  return company;
}

std::int64_t RegistryStore::AssetCount() { return db_.QueryInt("SELECT count(*) FROM assets"); }
std::int64_t RegistryStore::DeviceCount() { return db_.QueryInt("SELECT count(*) FROM devices"); }
std::int64_t RegistryStore::TechnicianCount() {
  return db_.QueryInt("SELECT count(DISTINCT technician_id) FROM technicians");
}

}  // namespace fieldproof::store
