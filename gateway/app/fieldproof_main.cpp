// fieldproof: the operator's command line. Wiring and printing only.
#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gateway/app/backup_commands.hpp"
#include "gateway/app/billing_commands.hpp"
#include "gateway/app/coverage_command.hpp"
#include "gateway/app/device_commands.hpp"
#include "gateway/app/master_key.hpp"
#include "gateway/app/notification_commands.hpp"
#include "gateway/app/plan_commands.hpp"
#include "gateway/store/alarm_store.hpp"
#include "gateway/store/history_import.hpp"
#include "gateway/store/work_orders.hpp"
#include "gateway/app/tag_commands.hpp"
#include "gateway/app/technician_commands.hpp"
#include "gateway/app/token_commands.hpp"
#include "gateway/codec/registry_csv.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/core/text.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/crypto/sun_message.hpp"
#include "gateway/store/record_chain.hpp"
#include "gateway/verify/review.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/app/process_limits.hpp"
#include "gateway/app/read_file.hpp"
#include "gateway/app/system_clock.hpp"
#include "gateway/store/inspection_queries.hpp"
#include "gateway/store/integrity.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"

namespace {

using namespace fieldproof;
using app::NowMillis;
using app::ReadFile;
using core::PrintableText;  // For text that came from outside: files, payloads, the database.

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
    std::cerr << file << ": " << PrintableText(parsed.fatal) << "\n";
    return 2;
  }
  store::Database db(db_path);
  store::Migrate(db);
  store::ImportReport report = import(db, parsed.rows);
  auto errors = parsed.errors;
  errors.insert(errors.end(), report.errors.begin(), report.errors.end());
  std::sort(errors.begin(), errors.end(), [](auto& a, auto& b) { return a.line < b.line; });
  for (const auto& column : parsed.ignored_columns) {
    std::cerr << file << ": note: column '" << PrintableText(column) << "' is not used\n";
  }
  for (const auto& e : errors) {
    std::cerr << file << ":" << e.line << ": " << PrintableText(e.reason) << "\n";
  }
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
  const auto by_reason = events.RejectedByReason();
  const codec::DatabaseStats stats{db_path,
                                   registry.AssetCount(),
                                   registry.TechnicianCount(),
                                   registry.DeviceCount(),
                                   counts.taps,
                                   counts.telemetry,
                                   counts.rejected,
                                   {by_reason.begin(), by_reason.end()},
                                   store::CountInspectionsByVerdict(db),
                                   store::CountActiveAlarmsByKind(db),
                                   store::CountOpenWorkOrders(db),
                                   store::CountOpenReviews(db)};
  if (as_json) {
    std::cout << codec::EncodeDatabaseStats(stats);
    return 0;
  }
  std::cout << "database     " << PrintableText(db_path) << "\n"
            << "assets       " << stats.assets << "\n"
            << "technicians  " << stats.technicians << "\n"
            << "devices      " << stats.devices << "\n"
            << "taps         " << stats.taps << "\n"
            << "telemetry    " << stats.telemetry << "\n"
            << "rejected     " << stats.rejected << "\n";
  auto print_counts = [](const std::vector<std::pair<std::string, std::int64_t>>& counts) {
    for (const auto& [name, n] : counts) {
      std::cout << "  " << PrintableText(name)
                << std::string(24 - std::min<size_t>(22, name.size()), ' ') << n << "\n";
    }
  };
  print_counts(stats.rejected_by_reason);
  std::cout << "inspections\n";
  print_counts(stats.inspections_by_verdict);
  std::cout << "open reviews " << stats.open_reviews << "\n"
            << "work orders  " << stats.open_work_orders << " open\n"
            << "alarms       (active)\n";
  print_counts(stats.active_alarms_by_kind);
  return 0;
}

int ListRejected(const std::string& db_path, const std::string& site, int limit, bool as_json) {
  store::Database db(db_path);
  store::Migrate(db);
  const auto rows = store::ListRejected(db, site, {limit, 0}).items;
  if (as_json) {
    std::cout << codec::EncodeRejectedArray(rows);
    return 0;
  }
  // Topic, message id, detail (which quotes field names) and payload come from the sender;
  // the JSON form escapes them itself.
  for (const auto& r : rows) {
    std::cout << core::FormatRfc3339(r.received_at) << "  " << PrintableText(r.reason) << "  "
              << PrintableText(r.topic) << "  msg_id=" << PrintableText(r.msg_id) << "  ("
              << r.payload_bytes << " bytes, seen " << r.times_seen << "x)\n    "
              << PrintableText(r.detail) << "\n    payload: " << PrintableText(r.payload_start)
              << "\n";
  }
  std::cout << rows.size() << " rejected message(s) shown (newest first)\n";
  return 0;
}

std::optional<crypto::Key128> ParseKey(const std::string& hex) {
  crypto::Key128 key{};
  if (hex.size() != 32 || !crypto::HexDecodeInto(hex, key)) return std::nullopt;
  return key;
}

struct TagVerifyOptions {
  std::string input;
  std::string meta_key, file_key;   // Explicit keys...
  std::string master_key_file, site;  // ...or derived from the site master key.
};

// Prints one JSON object. Exit: 0 valid, 1 not valid, 2 unusable input.
int VerifyTag(const TagVerifyOptions& o) {
  auto fail_input = [](const std::string& why) {
    std::cout << codec::EncodeTagCheck({false, "", 0, "", why});
    return 2;
  };
  std::optional<crypto::Key128> meta, file, master;
  if (!o.master_key_file.empty()) {
    std::string error;
    master = app::ReadMasterKey(o.master_key_file, &error);
    if (!master) return fail_input(error);
    if (o.site.empty()) return fail_input("--site is required with --master-key-file");
    meta = crypto::SiteMetaReadKey(*master, o.site);
  } else {
    meta = ParseKey(o.meta_key);
    file = ParseKey(o.file_key);
    if (!meta || !file) return fail_input("--meta-key and --file-key must be 32 hex digits each");
  }
  std::string error;
  const auto parts = crypto::ParseSunUrl(o.input, &error);
  if (!parts) return fail_input("not a SUN message: " + error);
  const crypto::SunVerification result =
      master ? crypto::VerifySun(*parts, *meta,
                                 [&](std::span<const std::uint8_t, 7> uid) {
                                   return std::optional(crypto::TagFileReadKey(*master, uid));
                                 })
             : crypto::VerifySun(*parts, *meta, *file);
  codec::TagCheck check{result.valid, "", 0, "", result.reason};
  if (result.valid) {
    check = {true, crypto::HexEncode(result.uid), result.read_counter,
             result.file_data ? crypto::HexEncode(*result.file_data) : "", ""};
  }
  std::cout << codec::EncodeTagCheck(check);
  return result.valid ? 0 : 1;
}

// Exit 0 when every site's chain is intact, 1 when any record was altered, removed or
// inserted, or a verified inspection has no record.
int VerifyChains(const std::string& db_path, const std::string& only_site) {
  store::Database db(db_path);
  store::Migrate(db);
  store::RecordChain chain(db, crypto::Sha256Hex);
  std::vector<std::string> sites = only_site.empty() ? chain.Sites() : std::vector{only_site};
  int broken = 0;
  for (const std::string& site : sites) {
    const auto records = chain.Load(site);
    auto problems = core::VerifyChain(records, crypto::Sha256Hex);
    // A removed last record leaves no gap; the inspections it attested still point to it.
    for (const std::int64_t id : store::UnrecordedVerifiedInspections(db, site)) {
      problems.push_back(
          {0, "verified inspection " + std::to_string(id) + " has no maintenance record (removed)"});
    }
    if (problems.empty()) {
      std::cout << site << ": " << records.size() << " records, chain intact, head "
                << (records.empty() ? std::string(core::kGenesisHash) : records.back().hash) << "\n";
    } else {
      ++broken;
      for (const auto& p : problems) std::cout << site << ": BROKEN: " << p.what << "\n";
    }
  }
  if (sites.empty()) std::cout << "no maintenance records yet\n";
  return broken == 0 ? 0 : 1;
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
  std::string devices_file;
  auto* import_devices = import->add_subcommand(
      "devices", "Handhelds CSV with header: " + std::string(codec::kDeviceColumns) +
                     " (the company whose technicians may use the handheld)");
  import_devices->add_option("file", devices_file, "CSV file")->required();
  std::string history_file, history_site;
  auto* import_history = import->add_subcommand(
      "history", "Inspections from before fieldproof (the previous contractor's or CAFM's records), CSV with "
                 "header: " + std::string(codec::kHistoryColumns) +
                 ". Each becomes a hash-chained record of kind \"imported\": the schedule counts it, billing never does");
  import_history->add_option("file", history_file, "CSV file")->required();
  import_history->add_option("--site", history_site, "The assets' site")->required();

  bool as_json = false;
  auto* stats = app.add_subcommand("stats", "Count what the database holds");
  stats->add_flag("--json", as_json, "Print JSON");

  std::string site;
  int limit = 20;
  auto* rejected = app.add_subcommand("rejected", "List rejected messages with their reasons");
  rejected->add_option("--site", site, "Only this site");
  rejected->add_option("--limit", limit, "Most rows to show")->capture_default_str();
  rejected->add_flag("--json", as_json, "Print JSON");

  TagVerifyOptions tag_options;
  auto* tag = app.add_subcommand("tag", "NFC tag tools");
  tag->require_subcommand(1);
  auto* tag_verify = tag->add_subcommand(
      "verify",
      "Check an NTAG 424 DNA SUN message (AN12196). Prints JSON {valid, uid, counter, file_data | "
      "reason}; exit 0 valid, 1 not valid, 2 unusable input");
  tag_verify->add_option("url", tag_options.input,
                         "The URL or query string as the tag produced it (picc_data/e, enc, "
                         "cmac/c; or uid, ctr, cmac)")
      ->required();
  auto* meta_key = tag_verify->add_option("--meta-key", tag_options.meta_key,
                                          "SDM meta-read key, 32 hex digits");
  auto* file_key = tag_verify->add_option("--file-key", tag_options.file_key,
                                          "SDM file-read key, 32 hex digits");
  auto* master_key = tag_verify->add_option(
      "--master-key-file", tag_options.master_key_file,
      "Derive both keys from the site master key in this file (with --site)");
  tag_verify->add_option("--site", tag_options.site, "Site code, with --master-key-file");
  master_key->excludes(meta_key)->excludes(file_key);
  app::TagCommands tag_commands(*tag);
  auto* plan = app.add_subcommand("plan", "Floor plans and where assets are on them");
  plan->require_subcommand(1);
  app::PlanCommands plan_commands(*plan);
  auto* subscription = app.add_subcommand("subscription", "Who is notified of what, by webhook or e-mail");
  subscription->require_subcommand(1);
  auto* notification = app.add_subcommand("notification", "The notifications' delivery log");
  notification->require_subcommand(1);
  app::NotificationCommands notification_commands(*subscription, *notification);

  std::string chain_site;
  auto* verify_chain = app.add_subcommand(
      "verify-chain", "Check that no maintenance record was edited, removed or inserted "
                      "(exit 0 intact, 1 broken)");
  verify_chain->add_option("--site", chain_site, "Only this site (default: every site)");

  verify::ReviewDecision review_decision;
  std::string decision;
  auto* review = app.add_subcommand(
      "review", "Resolve an inspection that needs review; the decision becomes a chained record");
  review->add_option("--inspection", review_decision.inspection_id, "Inspection id")->required();
  review->add_option("--decision", decision, "verified or rejected")
      ->required()
      ->check(CLI::IsMember({"verified", "rejected"}));
  review->add_option("--reason", review_decision.reason, "Why (kept in the record)")->required();
  review->add_option("--reviewer", review_decision.reviewer, "Who decides")->required();

  app::BillingCommands billing(app);
  app::CoverageCommand coverage(app);
  app::TokenCommands tokens(app);
  app::DeviceCommands devices(app);
  app::TechnicianCommands technicians(app);
  app::BackupCommands backups(app);

  CLI11_PARSE(app, argc, argv);
  app::RestrictNewFiles();  // The database, backups and exports are not for every user.
  try {
    if (auto code = billing.Run(db_path)) return *code;
    if (auto code = coverage.Run(db_path)) return *code;
    if (auto code = tokens.Run(db_path)) return *code;
    if (auto code = devices.Run(db_path)) return *code;
    if (auto code = technicians.Run(db_path)) return *code;
    if (auto code = backups.Run(db_path)) return *code;
    if (*verify_chain) return VerifyChains(db_path, chain_site);
    if (*review) {
      review_decision.verified = decision == "verified";
      store::Database db(db_path);
      store::Migrate(db);
      auto record = verify::ResolveReview(db, review_decision, NowMillis());
      if (!record.ok()) {
        std::cerr << "error: " << PrintableText(record.error().detail) << "\n";
        return 1;
      }
      std::cout << "inspection " << review_decision.inspection_id << " " << decision
                << "; maintenance record " << record.value().site << "#" << record.value().seq
                << " " << record.value().hash << "\n";
      return 0;
    }
    if (*tag_verify) return VerifyTag(tag_options);
    if (auto code = tag_commands.Run(db_path)) return *code;
    if (auto code = plan_commands.Run(db_path)) return *code;
    if (auto code = notification_commands.Run(db_path)) return *code;
    if (*import_assets) {
      return ImportRegistry<core::Asset>(db_path, assets_file, "assets", codec::ParseAssetsCsv,
                                         [](store::Database& db, const auto& rows) {
                                           return store::RegistryStore(db).ImportAssets(rows, NowMillis());
                                         });
    }
    if (*import_technicians) {
      return ImportRegistry<core::Technician>(
          db_path, technicians_file, "technicians", codec::ParseTechniciansCsv,
          [](store::Database& db, const auto& rows) {
            return store::RegistryStore(db).ImportTechnicians(rows, NowMillis());
          });
    }
    if (*import_devices) {
      return ImportRegistry<core::Device>(db_path, devices_file, "devices", codec::ParseDevicesCsv,
                                          [](store::Database& db, const auto& rows) {
                                            return store::RegistryStore(db).ImportDevices(rows, NowMillis());
                                          });
    }
    if (*import_history) {
      return ImportRegistry<core::PastInspection>(
          db_path, history_file, "past inspections", codec::ParseHistoryCsv, [&](store::Database& db, const auto& rows) {
            return store::ImportHistory(db, history_site, rows, codec::EncodeImportEvidence(history_file),
                                        crypto::Sha256Hex, NowMillis());
          });
    }
    if (*stats) return PrintStats(db_path, as_json);
    if (*rejected) return ListRejected(db_path, site, limit, as_json);
  } catch (const std::exception& e) {
    // Damage met on the way gets the gateway's advice: which file, what SQLite said, restore.
    const auto* store_error = dynamic_cast<const store::StoreError*>(&e);
    if (store_error && store::IsDamage(store_error->code())) {
      store::IntegrityReport report;
      report.ok = false;
      report.findings = {e.what()};
      std::cerr << "error: " << store::DamageAdvice(db_path, report) << "\n";
      return 2;
    }
    std::cerr << "error: " << PrintableText(e.what()) << "\n";
    return 2;
  }
  return 0;
}
