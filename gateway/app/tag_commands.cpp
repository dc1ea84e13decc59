#include "gateway/app/tag_commands.hpp"

#include <iostream>

#include "gateway/app/master_key.hpp"
#include "gateway/app/read_file.hpp"
#include "gateway/app/system_clock.hpp"
#include "gateway/codec/registry_csv.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/core/identifiers.hpp"
#include "gateway/core/text.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/sun_message.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/tag_store.hpp"

namespace fieldproof::app {
namespace {

// The UID and counter a SUN read proves, or why it proves nothing.
struct ProvedRead {
  std::string uid;
  std::uint32_t counter = 0;
  std::string problem;
};

ProvedRead ProveRead(const std::string& url, const crypto::Key128& master, const std::string& site) {
  std::string error;
  const auto parts = crypto::ParseSunUrl(url, &error);
  if (!parts) return {"", 0, "not a SUN message: " + error};
  const auto result = crypto::VerifySun(*parts, crypto::SiteMetaReadKey(master, site),
                                        [&](std::span<const std::uint8_t, 7> uid) {
                                          return std::optional(crypto::TagFileReadKey(master, uid));
                                        });
  if (!result.valid) return {"", 0, "the read proves no tag of this site: " + result.reason};
  return {crypto::HexEncode(result.uid), result.read_counter, ""};
}

std::string Printable(const std::string& text) { return core::PrintableText(text); }

}  // namespace

TagCommands::TagCommands(CLI::App& tag) {
  install_ = tag.add_subcommand(
      "install",
      "Install a tag on an asset, proved by a SUN read of the new tag (its URL as the tag "
      "produced it); with --replace the asset's old tag is retired for good");
  install_->add_option("asset_id", asset_id_, "The asset")->required();
  install_->add_option("--site", site_, "The asset's site")->required();
  install_->add_option("--url", url_, "A SUN URL the new tag produced, e.g. read with a phone")->required();
  install_->add_option("--master-key-file", master_key_file_, "The site master key (mode 600)")->required();
  install_->add_option("--by", by_, "Who installed it (kept in the tag history)")->required();
  install_->add_flag("--replace", replace_, "Retire the asset's current tag");
  install_->add_option("--reason", reason_, "Why the old tag is replaced, e.g. \"damaged\"");

  history_ = tag.add_subcommand("history", "Every tag an asset has carried");
  history_->add_option("asset_id", asset_id_, "The asset")->required();
  history_->add_option("--site", site_, "The asset's site")->required();
  history_->add_flag("--json", as_json_, "Print JSON");

  import_ = tag.add_subcommand(
      "import-supplied",
      "Import a tag supplier's UID list (CSV with a column 'uid'); once any list is imported, "
      "only listed tags may be installed");
  import_->add_option("file", file_, "CSV file")->required();
  import_->add_option("--batch", batch_, "The delivery, e.g. the supplier's order number")->required();
  import_->add_option("--by", by_, "Who imported it")->required();
}

std::optional<int> TagCommands::Run(const std::string& db_path) {
  if (*install_) return Install(db_path);
  if (*history_) return History(db_path);
  if (*import_) return ImportSupplied(db_path);
  return std::nullopt;
}

int TagCommands::Install(const std::string& db_path) const {
  std::string error;
  const auto master = ReadMasterKey(master_key_file_, &error);
  if (!master) {
    std::cerr << "error: " << error << "\n";
    return 2;
  }
  const ProvedRead read = ProveRead(url_, *master, site_);
  if (!read.problem.empty()) {
    std::cerr << "error: " << Printable(read.problem) << "\n";
    return 1;
  }
  store::Database db(db_path);
  store::Migrate(db);
  store::RegistryStore registry(db);
  if (!registry.FindAsset(site_, asset_id_)) {
    std::cerr << "error: no asset " << Printable(asset_id_) << " at site " << Printable(site_) << "\n";
    return 1;
  }
  // The handheld app shows the asset the URL names: it must be this one.
  const std::string named(core::EntityIdInTagUrl(url_));
  if (!named.empty() && named != asset_id_ && registry.FindAsset(site_, named)) {
    std::cerr << "error: the tag's URL names asset " << named << ", not " << asset_id_ << "\n";
    return 1;
  }
  store::TagStore tags(db);
  core::TagInstall facts = tags.InstallFacts(site_, asset_id_, read.uid);
  facts.replace = replace_;
  facts.reason = reason_;
  if (const auto refusal = core::RefuseTagInstall(facts)) {
    std::cerr << "error: " << Printable(refusal->detail) << "\n";
    return 1;
  }
  const std::string proof = "SUN read, counter " + std::to_string(read.counter);
  tags.Install(site_, {asset_id_, read.uid, NowMillis(), by_, proof, std::nullopt, "", ""}, reason_);
  std::cout << "tag " << read.uid << " installed on " << asset_id_ << " by " << Printable(by_)
            << " (" << proof << ")";
  if (!facts.current_uid.empty()) std::cout << "; tag " << facts.current_uid << " retired";
  std::cout << "\n";
  if (named != asset_id_) {
    std::cerr << "note: the tag's URL does not end in /" << asset_id_
              << ": the handheld app cannot show the asset before the gateway has verified it\n";
  }
  return 0;
}

int TagCommands::History(const std::string& db_path) const {
  store::Database db(db_path);
  store::Migrate(db);
  const auto history = store::TagStore(db).History(site_, asset_id_);
  if (as_json_) {
    std::cout << codec::EncodeTagHistory(site_, asset_id_, history) << "\n";
    return 0;
  }
  for (const auto& t : history) {
    std::cout << t.tag_uid << "  installed " << core::FormatRfc3339(t.installed_at) << " by "
              << Printable(t.installed_by) << " (" << Printable(t.proof) << ")";
    if (t.retired_at) {
      std::cout << "\n                retired " << core::FormatRfc3339(*t.retired_at) << " by "
                << Printable(t.retired_by) << ": " << Printable(t.retired_reason);
    }
    std::cout << "\n";
  }
  std::cout << history.size() << " tag(s) on " << Printable(asset_id_) << "\n";
  return 0;
}

int TagCommands::ImportSupplied(const std::string& db_path) const {
  const auto text = ReadFile(file_);
  if (!text) {
    std::cerr << "error: cannot read " << file_ << "\n";
    return 2;
  }
  const auto parsed = codec::ParseSuppliedTagsCsv(*text);
  if (!parsed.fatal.empty()) {
    std::cerr << file_ << ": " << Printable(parsed.fatal) << "\n";
    return 2;
  }
  for (const auto& column : parsed.ignored_columns) {
    std::cerr << file_ << ": note: column '" << Printable(column) << "' is not used\n";
  }
  for (const auto& e : parsed.errors) std::cerr << file_ << ":" << e.line << ": " << Printable(e.reason) << "\n";
  store::Database db(db_path);
  store::Migrate(db);
  const auto report = store::TagStore(db).ImportSupplied(parsed.rows, batch_, by_, NowMillis());
  std::cout << "imported supplied tags from " << file_ << " (batch " << Printable(batch_) << "): "
            << report.inserted << " new, " << report.unchanged << " listed before, "
            << parsed.errors.size() << " rejected\n";
  return parsed.errors.empty() ? 0 : 1;
}

}  // namespace fieldproof::app
