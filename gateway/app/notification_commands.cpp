#include "gateway/app/notification_commands.hpp"

#include <iostream>

#include "gateway/app/read_file.hpp"
#include "gateway/app/system_clock.hpp"
#include "gateway/codec/notification_codec.hpp"
#include "gateway/core/text.hpp"
#include "gateway/crypto/random.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/notify_store.hpp"

namespace fieldproof::app {
namespace {

std::string Printable(const std::string& text) { return core::PrintableText(text); }

// A webhook's signing key: the file's first line, or a new random one.
std::optional<std::string> Secret(const std::string& file, std::string* error) {
  if (file.empty()) return crypto::RandomHex(24);
  auto text = ReadFile(file);
  if (!text) {
    *error = "cannot read " + file;
    return std::nullopt;
  }
  return text->substr(0, text->find_first_of("\r\n"));
}

}  // namespace

NotificationCommands::NotificationCommands(CLI::App& subscription, CLI::App& notification) {
  add_ = subscription.add_subcommand(
      "add", "Subscribe a webhook or an e-mail address to events: alarm_raised, work_order_opened, "
             "review_waiting, due_digest (a daily digest of what is due soon and overdue)");
  add_->add_option("--name", name_, "What it is for, e.g. \"FM control room\"")->required();
  auto* customer = add_->add_option("--customer", customer_, "Only this owner's assets");
  auto* every = add_->add_flag("--every-customer", every_customer_, "Every customer's assets (the maintenance company)");
  customer->excludes(every);
  add_->add_option("--site", site_, "Only this site (default: every site)");
  add_->add_option("--events", events_, "The events, comma-separated")->required()->delimiter(',');
  auto* webhook = add_->add_option("--webhook", webhook_, "Deliver by HTTP POST to this https:// (or http://) URL");
  auto* email = add_->add_option("--email", email_, "Deliver by e-mail to this address (the gateway's --smtp-url)");
  webhook->excludes(email);
  add_->add_option("--secret-file", secret_file_,
                   "Webhooks: the signing key (its first line); default: a new random key, printed once");
  add_->add_option("--digest-hour", digest_hour_, "The UTC hour the daily digest goes out")
      ->check(CLI::Range(0, 23))
      ->capture_default_str();

  list_ = subscription.add_subcommand("list", "The subscriptions (without their secrets)");
  list_->add_flag("--json", as_json_, "Print JSON");
  remove_ = subscription.add_subcommand("remove", "End a subscription; what it had not yet received is not sent");
  remove_->add_option("id", id_, "The subscription")->required();

  log_ = notification.add_subcommand("log", "The delivery log, newest first");
  log_->add_option("--status", status_, "pending, delivered or failed")
      ->check(CLI::IsMember({"pending", "delivered", "failed"}));
  log_->add_option("--limit", limit_, "How many")->check(CLI::Range(1, 500))->capture_default_str();
  log_->add_flag("--json", as_json_, "Print JSON");
  replay_ = notification.add_subcommand("replay", "Send a delivery again (failed or not), with its idempotency key");
  replay_->add_option("id", id_, "The delivery, from the log")->required();
}

std::optional<int> NotificationCommands::Run(const std::string& db_path) {
  if (*add_) return Add(db_path);
  if (*list_) return List(db_path);
  if (*remove_) return Remove(db_path);
  if (*log_) return Log(db_path);
  if (*replay_) return Replay(db_path);
  return std::nullopt;
}

int NotificationCommands::Add(const std::string& db_path) const {
  if (customer_.empty() && !every_customer_) {
    std::cerr << "error: say whose assets: --customer ID, or --every-customer for the maintenance company\n";
    return 2;
  }
  if (webhook_.empty() && email_.empty()) {
    std::cerr << "error: say where to: --webhook URL or --email ADDRESS\n";
    return 2;
  }
  core::Subscription sub;
  sub.name = name_;
  sub.customer = customer_;
  sub.site = site_;
  for (const auto& name : events_) {
    const auto kind = core::EventKindFromString(name);
    if (!kind) {
      std::cerr << "error: no event '" << Printable(name)
                << "' (alarm_raised, work_order_opened, review_waiting, due_digest)\n";
      return 2;
    }
    sub.events.push_back(*kind);
  }
  sub.channel = email_.empty() ? core::Channel::kWebhook : core::Channel::kEmail;
  sub.target = email_.empty() ? webhook_ : email_;
  sub.digest_hour_utc = digest_hour_;
  sub.created_at = NowMillis();
  const bool new_secret = secret_file_.empty() && sub.channel == core::Channel::kWebhook;
  if (sub.channel == core::Channel::kWebhook) {
    std::string error;
    const auto secret = Secret(secret_file_, &error);
    if (!secret) {
      std::cerr << "error: " << error << "\n";
      return 2;
    }
    sub.secret = *secret;
  }
  if (const auto problem = core::SubscriptionProblem(sub)) {
    std::cerr << "error: " << Printable(*problem) << "\n";
    return 2;
  }
  store::Database db(db_path);
  store::Migrate(db);
  sub.id = store::NotifyStore(db).AddSubscription(sub);
  std::cout << "subscription " << sub.id << " (" << Printable(sub.name) << ") added: " << events_.size()
            << " event(s) to " << Printable(sub.target) << "\n";
  if (new_secret) std::cout << "signing key (shown once; give it to the receiver): " << sub.secret << "\n";
  return 0;
}

int NotificationCommands::List(const std::string& db_path) const {
  store::Database db(db_path);
  store::Migrate(db);
  const auto subs = store::NotifyStore(db).Subscriptions();
  if (as_json_) {
    std::cout << codec::EncodeSubscriptions(subs);
    return 0;
  }
  for (const auto& s : subs) {
    std::string events;
    for (auto e : s.events) events += (events.empty() ? "" : ",") + std::string(core::ToString(e));
    std::cout << s.id << "  " << Printable(s.name) << "  " << (s.customer.empty() ? "every customer" : Printable(s.customer))
              << "  " << (s.site.empty() ? "every site" : Printable(s.site)) << "  " << events << "  -> "
              << Printable(s.target) << "\n";
  }
  std::cout << subs.size() << " subscription(s)\n";
  return 0;
}

int NotificationCommands::Remove(const std::string& db_path) const {
  store::Database db(db_path);
  store::Migrate(db);
  if (!store::NotifyStore(db).RemoveSubscription(id_, NowMillis())) {
    std::cerr << "error: no subscription " << id_ << "\n";
    return 1;
  }
  std::cout << "subscription " << id_ << " removed\n";
  return 0;
}

int NotificationCommands::Log(const std::string& db_path) const {
  store::Database db(db_path);
  store::Migrate(db);
  const auto page = store::NotifyStore(db).Log(status_, {limit_, 0});
  if (as_json_) {
    std::cout << codec::EncodeDeliveryPage(page);
    return 0;
  }
  for (const auto& d : page.items) {
    std::cout << d.id << "  " << d.status << "  " << d.event_key << "  -> " << Printable(d.subscription) << "  "
              << d.attempts << " attempt(s)";
    if (!d.last_error.empty()) std::cout << "  last error: " << Printable(d.last_error);
    std::cout << "\n";
  }
  std::cout << page.items.size() << " deliver" << (page.items.size() == 1 ? "y" : "ies") << (page.more ? " (more: --limit)" : "")
            << "\n";
  return 0;
}

int NotificationCommands::Replay(const std::string& db_path) const {
  store::Database db(db_path);
  store::Migrate(db);
  if (!store::NotifyStore(db).Replay(id_, NowMillis())) {
    std::cerr << "error: no delivery " << id_ << "\n";
    return 1;
  }
  std::cout << "delivery " << id_ << " queued again; the gateway sends it within a second\n";
  return 0;
}

}  // namespace fieldproof::app
