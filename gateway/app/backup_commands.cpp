#include "gateway/app/backup_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>

#include "gateway/store/backup.hpp"
#include "gateway/store/migrations.hpp"

namespace fieldproof::app {
namespace {

// Progress for copies of more than a few steps, one line per tenth, on stderr so that the
// summary on stdout stays machine-readable.
std::function<void(std::int64_t, std::int64_t)> ProgressPrinter(const char* what,
                                                                 int pages_per_step) {
  return [what, pages_per_step, next_tenth = 1](std::int64_t copied, std::int64_t total) mutable {
    if (total <= 4LL * pages_per_step) return;
    while (next_tenth <= 10 && copied * 10 >= total * next_tenth) {
      std::cerr << what << ": " << next_tenth * 10 << "% (" << copied << " of " << total
                << " pages)\n";
      ++next_tenth;
    }
  };
}

void PrintSummary(const store::CopySummary& s, int pages_per_step) {
  char size[64];
  std::snprintf(size, sizeof size, "%.1f MiB", static_cast<double>(s.bytes) / (1024.0 * 1024.0));
  std::cout << "  schema version  " << s.schema_version << "\n"
            << "  pages           " << s.pages << " x " << s.page_size << " bytes (" << size
            << ")\n";
  for (const auto& [table, rows] : s.rows) {
    const std::string label = table == "maintenance_records" ? "records" : table;
    std::cout << "  " << label << std::string(16 - std::min<size_t>(15, label.size()), ' ')
              << rows << "\n";
  }
  std::cout << "  check           " << s.integrity << " (" << s.check_ms / 1000.0 << " s)\n"
            << "  elapsed         " << s.elapsed_ms / 1000.0 << " s (" << s.steps
            << " steps of up to " << pages_per_step << " pages, " << s.busy_retries
            << " busy retries)\n";
}

}  // namespace

BackupCommands::BackupCommands(CLI::App& app) {
  backup_ = app.add_subcommand(
      "backup",
      "Copy the database (--db) to a file while the gateway keeps running: SQLite's online "
      "backup API, one consistent snapshot, copied in steps that leave the gateway's writer "
      "its turn; written under a temporary name, checked with PRAGMA integrity_check, then "
      "renamed into place. Exit 0 written, 1 refused, 2 failed");
  backup_->add_option("--to", to_, "The backup file to write")->required();
  backup_->add_flag("--force", force_, "Replace the file if it exists");
  backup_->add_option("--pages-per-step", pages_per_step_, "Pages copied per step")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  backup_->add_option("--pause-ms", pause_ms_, "Pause between steps, in milliseconds")
      ->capture_default_str()
      ->check(CLI::Range(0, 10'000));

  restore_ = app.add_subcommand(
      "restore",
      "Put a backup in place of the database (--db): refuses a backup that fails PRAGMA "
      "integrity_check or is newer than this build, and a database that is in use (stop the "
      "gateway first). Copies with SQLite's backup API into a new WAL-mode file, renamed into "
      "place; a replaced database is moved aside with its -wal, never deleted. Exit 0 "
      "restored, 1 refused, 2 failed");
  restore_->add_option("--from", from_, "The backup file")->required()->check(CLI::ExistingFile);
  restore_->add_flag("--force", force_,
                     "Replace an existing database (moved aside to <db>.replaced-<UTC time>)");
}

std::optional<int> BackupCommands::Run(const std::string& db_path) {
  if (!*backup_ && !*restore_) return std::nullopt;
  store::CopyOptions options;
  options.replace = force_;
  options.pages_per_step = pages_per_step_;
  // Nothing else may use the database during a restore: no one to pause for.
  options.pause_between_steps = std::chrono::milliseconds(*backup_ ? pause_ms_ : 0);
  const char* what = *backup_ ? "backup" : "restore";
  options.progress = ProgressPrinter(what, pages_per_step_);

  const store::CopyOutcome outcome = *backup_ ? store::BackupDatabase(db_path, to_, options)
                                              : store::RestoreDatabase(from_, db_path, options);
  if (!outcome.ok()) {
    std::cerr << what << " refused: " << outcome.refused << "\n";
    return 1;
  }
  if (*backup_) {
    std::cout << "backup of " << db_path << " written to " << to_ << "\n";
    PrintSummary(outcome.summary, pages_per_step_);
    return 0;
  }
  std::cout << "restored " << from_ << " to " << db_path << "\n";
  PrintSummary(outcome.summary, pages_per_step_);
  if (!outcome.summary.moved_aside.empty()) {
    std::cout << "  replaced file   moved to " << outcome.summary.moved_aside << "\n";
  }
  if (outcome.summary.schema_version < store::LatestSchemaVersion()) {
    std::cout << "  note            the gateway migrates it to schema version "
              << store::LatestSchemaVersion() << " when it starts\n";
  }
  return 0;
}

}  // namespace fieldproof::app
