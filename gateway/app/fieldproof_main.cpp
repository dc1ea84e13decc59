// fieldproof: the operator's command line. Wiring and printing only.
#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gateway/codec/registry_csv.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/app/system_clock.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"

namespace {

using namespace fieldproof;
using app::NowMillis;

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Exit codes: 0 all rows imported, 1 some rows refused (the rest imported), 2 nothing usable.
template <class Record, class Import>
int ImportRegistry(const std::string& db_path, const std::string& file, const char* what,
                   codec::RegistryFile<Record> (*parse)(std::string_view), Import import) {
  const auto text = ReadFile(file);
  if (!text) {
    std::cerr << "error: cannot read " << file << "\n";
    return 2;
  }
  auto parsed = parse(*text);
  if (!parsed.fatal.empty()) {
    std::cerr << file << ": " << parsed.fatal << "\n";
    return 2;
  }
  store::Database db(db_path);
  store::Migrate(db);
  store::RegistryStore registry(db);
  store::ImportReport report = import(registry, parsed.rows);
  auto errors = parsed.errors;
  errors.insert(errors.end(), report.errors.begin(), report.errors.end());
  std::sort(errors.begin(), errors.end(), [](auto& a, auto& b) { return a.line < b.line; });
  for (const auto& column : parsed.ignored_columns) {
    std::cerr << file << ": note: column '" << column << "' is not used\n";
  }
  for (const auto& e : errors) std::cerr << file << ":" << e.line << ": " << e.reason << "\n";
  std::cout << "imported " << what << " from " << file << ": " << report.inserted
            << " inserted, " << report.updated << " updated, " << report.unchanged
            << " unchanged, " << errors.size() << " rejected\n";
  return errors.empty() ? 0 : 1;
}

int PrintStats(const std::string& db_path, bool as_json) {
  store::Database db(db_path);
  store::Migrate(db);
  store::RegistryStore registry(db);
  store::EventStore events(db);
  const auto counts = events.Counts();
  nlohmann::json j = {{"database", db_path},
                      {"assets", registry.AssetCount()},
                      {"technicians", registry.TechnicianCount()},
                      {"taps", counts.taps},
                      {"telemetry", counts.telemetry},
                      {"rejected", counts.rejected}};
  nlohmann::json by_reason = nlohmann::json::object();
  auto s = db.Prepare("SELECT reason, count(*) FROM rejected_messages GROUP BY reason ORDER BY reason");
  while (s.Step()) by_reason[s.Text(0)] = s.Int(1);
  j["rejected_by_reason"] = by_reason;
  if (as_json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "database     " << db_path << "\n"
            << "assets       " << j["assets"] << "\n"
            << "technicians  " << j["technicians"] << "\n"
            << "taps         " << counts.taps << "\n"
            << "telemetry    " << counts.telemetry << "\n"
            << "rejected     " << counts.rejected << "\n";
  for (const auto& [reason, n] : by_reason.items()) {
    std::cout << "  " << reason << std::string(24 - std::min<size_t>(22, reason.size()), ' ') << n
              << "\n";
  }
  return 0;
}

int ListRejected(const std::string& db_path, const std::string& site, int limit, bool as_json) {
  store::Database db(db_path);
  store::Migrate(db);
  auto s = db.Prepare(
      "SELECT received_at, coalesce(site, ''), topic, coalesce(msg_id, ''), reason, detail, "
      "payload_bytes, substr(payload, 1, 120), times_seen FROM rejected_messages "
      "WHERE ?1 = '' OR site = ?1 ORDER BY id DESC LIMIT ?2");
  s.Bind(1, site).Bind(2, static_cast<std::int64_t>(limit));
  nlohmann::json rows = nlohmann::json::array();
  while (s.Step()) {
    rows.push_back({{"received_at", core::FormatRfc3339(s.Int(0))},
                    {"site", s.Text(1)},
                    {"topic", s.Text(2)},
                    {"msg_id", s.Text(3)},
                    {"reason", s.Text(4)},
                    {"detail", s.Text(5)},
                    {"payload_bytes", s.Int(6)},
                    {"payload_start", s.Text(7)},
                    {"times_seen", s.Int(8)}});
  }
  if (as_json) {
    std::cout << rows.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  for (const auto& r : rows) {
    std::cout << r["received_at"].get<std::string>() << "  " << r["reason"].get<std::string>()
              << "  " << r["topic"].get<std::string>() << "  msg_id=" << r["msg_id"].get<std::string>()
              << "  (" << r["payload_bytes"] << " bytes, seen " << r["times_seen"] << "x)\n    "
              << r["detail"].get<std::string>()
              << "\n";
  }
  std::cout << rows.size() << " rejected message(s) shown (newest first)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fieldproof: administer a fieldproof gateway's database."};
  app.require_subcommand(1);
  app.fallthrough();  // --db may come before or after the subcommand.
  std::string db_path = "fieldproof.db";
  app.add_option("--db", db_path, "SQLite database file")->capture_default_str();

  auto* import = app.add_subcommand("import", "Import a registry CSV file (upsert: re-importing changes nothing)");
  import->require_subcommand(1);
  std::string assets_file, technicians_file;
  auto* import_assets = import->add_subcommand(
      "assets", "Assets CSV with header: " + std::string(codec::kAssetColumns));
  import_assets->add_option("file", assets_file, "CSV file")->required();
  auto* import_technicians = import->add_subcommand(
      "technicians", "Technicians CSV with header: " + std::string(codec::kTechnicianColumns) +
                         " (qualifications and sites separated by ';')");
  import_technicians->add_option("file", technicians_file, "CSV file")->required();

  bool as_json = false;
  auto* stats = app.add_subcommand("stats", "Count what the database holds");
  stats->add_flag("--json", as_json, "Print JSON");

  std::string site;
  int limit = 20;
  auto* rejected = app.add_subcommand("rejected", "List rejected messages with their reasons");
  rejected->add_option("--site", site, "Only this site");
  rejected->add_option("--limit", limit, "Most rows to show")->capture_default_str();
  rejected->add_flag("--json", as_json, "Print JSON");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*import_assets) {
      return ImportRegistry<core::Asset>(db_path, assets_file, "assets", codec::ParseAssetsCsv,
                                         [](store::RegistryStore& r, const auto& rows) {
                                           return r.ImportAssets(rows, NowMillis());
                                         });
    }
    if (*import_technicians) {
      return ImportRegistry<core::Technician>(
          db_path, technicians_file, "technicians", codec::ParseTechniciansCsv,
          [](store::RegistryStore& r, const auto& rows) {
            return r.ImportTechnicians(rows, NowMillis());
          });
    }
    if (*stats) return PrintStats(db_path, as_json);
    if (*rejected) return ListRejected(db_path, site, limit, as_json);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
