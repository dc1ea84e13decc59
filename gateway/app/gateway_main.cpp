// fieldproof-gateway: MQTT -> decode -> SQLite. Wiring only; see docs/architecture.md.
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <spdlog/spdlog.h>
#include <thread>

#include "gateway/core/topic.hpp"
#include "gateway/ingest/ingest_pipeline.hpp"
#include "gateway/mqtt/mqtt_source.hpp"
#include "gateway/app/device_accounts.hpp"
#include "gateway/app/gateway_metrics.hpp"
#include "gateway/app/master_key.hpp"
#include "gateway/app/process_limits.hpp"
#include "gateway/app/read_file.hpp"
#include "gateway/app/system_clock.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/store/checkpointer.hpp"
#include "gateway/store/fault_injection.hpp"
#include "gateway/store/integrity.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/billing/period_closer.hpp"
#include "gateway/http/api.hpp"
#include "gateway/http/http_server.hpp"
#include "gateway/notify/notifier.hpp"
#include "gateway/verify/alarm_worker.hpp"
#include "gateway/verify/verification_worker.hpp"

namespace {

using namespace fieldproof;
using app::NowMillis;

struct Options {
  std::string db_path = "fieldproof.db";
  std::string journal_dir;  // Default: <db>.journal
  bool journal_sync = false;
  mqtt_adapter::MqttConfig mqtt;
  ingest::IngestConfig ingest;
  int commit_delay_ms = static_cast<int>(ingest::IngestConfig{}.commit_delay.count());
  int wal_checkpoint_pages = 8000;
  store::RejectedRetention rejected;
  std::string master_key_file;  // Verification runs only when set.
  std::string asset_types_file;
  std::string verification_policy_file;  // Default: the documented limits.
  bool allow_legacy_tags = false;
  bool clock_correction = true;
  int stats_interval_s = 10;
  notify::SmtpRelay smtp;  // Notifications by e-mail go through it (--smtp-url).
  bool alarms = true;
  int close_invoices_day = 3;        // 0: no scheduled period close.
  http::ServerConfig http;
  bool http_enabled = true;
  int billing_check_interval_s = 3600;
  std::string devices_broker;     // Enrols handhelds when set (with broker_admin_file).
  std::string devices_url;        // Default: devices_broker.
  std::string broker_admin_file;
  std::string log_level = "info";
  store::IntegrityCheckMode integrity_check = store::IntegrityCheckMode::kQuick;
};

// The asset-type policies (dwell, checklist, closing times) of --asset-types; none without.
std::vector<core::AssetTypePolicy> LoadAssetTypes(const Options& o) {
  if (o.asset_types_file.empty()) return {};
  auto policies = codec::DecodeAssetTypePolicies(app::ReadFile(o.asset_types_file).value_or(""));
  if (!policies.ok()) {
    throw std::runtime_error(o.asset_types_file + ": " + policies.error().detail);
  }
  return std::move(policies).value();
}

// Verification needs the master key and the asset-type policies; both come from files
// the operator names, never from the database.
std::optional<verify::VerifierConfig> LoadVerifierConfig(
    const Options& o, const std::vector<core::AssetTypePolicy>& asset_types) {
  if (o.master_key_file.empty()) return std::nullopt;
  std::string error;
  const auto master_key = app::ReadMasterKey(o.master_key_file, &error);
  if (!master_key) throw std::runtime_error(error);
  verify::VerifierConfig config;
  config.master_key = *master_key;
  if (o.asset_types_file.empty()) {
    throw std::runtime_error("--asset-types is required with --master-key-file");
  }
  config.asset_types = asset_types;
  if (!o.verification_policy_file.empty()) {
    auto policy = codec::DecodeVerificationPolicy(app::ReadFile(o.verification_policy_file).value_or(""));
    if (!policy.ok()) throw std::runtime_error(o.verification_policy_file + ": " + policy.error().detail);
    config.policy = std::move(policy).value();
  }
  config.allow_legacy_tags = o.allow_legacy_tags;
  config.correct_device_clocks = o.clock_correction;
  return config;
}

// Fault injection for the reliability tests (store/fault_injection.hpp), from the environment.
std::unique_ptr<store::EventStore> EventStoreWithFaultsFromEnvironment(store::Database& db,
                                                                   store::RejectedRetention retention) {
  const char* full_flag = std::getenv("FIELDPROOF_FAULT_STORE_FULL");
  const char* delay_ms = std::getenv("FIELDPROOF_FAULT_STORE_DELAY_MS");
  const store::InjectedFaults faults{full_flag ? full_flag : "",
                                     std::chrono::milliseconds(delay_ms ? std::atoi(delay_ms) : 0)};
  if (faults.any()) {
    spdlog::warn("store: fault injection on (FIELDPROOF_FAULT_STORE_FULL={}, FIELDPROOF_FAULT_STORE_DELAY_MS={})",
                 faults.full_flag, faults.delay.count());
  }
  return store::MakeEventStore(db, retention, faults);
}

void LogStats(const ingest::IngestPipeline& pipeline, double seconds, const char* label) {
  const auto& m = pipeline.metrics();
  const auto batches = std::max<std::uint64_t>(1, m.batches);
  spdlog::info(
      "{}: received={} stored_taps={} stored_telemetry={} duplicates={} rejected={} "
      "queue={} batches={} avg_commit={}us max_commit={}us store_errors={} rate={:.0f} msg/s",
      label, m.received.load(), m.stored_taps.load(), m.stored_telemetry.load(),
      m.duplicates.load(), m.rejected.load(), pipeline.queue_depth(), m.batches.load(),
      m.commit_micros_total / batches, m.commit_micros_max.load(), m.store_errors.load(),
      seconds > 0 ? m.received / seconds : 0.0);
}

void ScheduleStats(boost::asio::steady_timer& timer, const ingest::IngestPipeline& pipeline,
                   std::chrono::seconds interval, std::chrono::steady_clock::time_point start) {
  timer.expires_after(interval);
  timer.async_wait([&timer, &pipeline, interval, start](boost::system::error_code ec) {
    if (ec) return;
    const std::chrono::duration<double> up = std::chrono::steady_clock::now() - start;
    LogStats(pipeline, up.count(), "stats");
    ScheduleStats(timer, pipeline, interval, start);
  });
}

void LogDescriptorLimit(rlim_t limit, const http::ServerConfig& http) {
  spdlog::info("gateway: up to {} open descriptors; HTTP connections at most {}", limit,
               http.max_connections);
  if (limit > 0 && static_cast<rlim_t>(http.max_connections) > limit / 2) {
    spdlog::warn("gateway: --http-max-connections {} is more than half the descriptor limit {}: "
                 "raise the limit (LimitNOFILE=, ulimit -n) or lower the connections "
                 "(docs/operations.md)",
                 http.max_connections, limit);
  }
}

void AddStoreOptions(CLI::App& app, Options& o) {
  app.add_option("--db", o.db_path, "SQLite database file")->capture_default_str();
  app.add_option("--journal-dir", o.journal_dir,
                 "Intake journal: each message is written here before the broker is answered "
                 "(default: <db>.journal)");
  app.add_flag("--journal-sync", o.journal_sync,
               "fdatasync each journal record: survives power loss, not just a crash (slower)");
  app.add_option("--commit-delay-ms", o.commit_delay_ms,
                 "A transaction waits this long after its first message for more: fewer, "
                 "larger commits at moderate rates, for at most this much added latency")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  app.add_option("--wal-checkpoint-pages", o.wal_checkpoint_pages,
                 "WAL pages (4 KiB) that start a checkpoint in the background: more means fewer "
                 "writes of pages changed again and again, and a larger -wal file")
      ->capture_default_str()
      ->check(CLI::Range(100, 1000000));
  app.add_option("--rejected-keep-days", o.rejected.keep_days,
                 "Rejected messages not seen for this many days are dropped, and only counted "
                 "(fieldproof stats)")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  app.add_option("--rejected-keep-rows", o.rejected.keep_rows,
                 "...and at most this many (up to 4 KiB of payload each); the oldest go first")
      ->check(CLI::Range(100, 100000000))
      ->capture_default_str();
  app.add_option("--integrity-check", o.integrity_check,
                 "Check the database before opening it: quick (PRAGMA quick_check, the "
                 "default), full (integrity_check: also matches every index to its table) or "
                 "off; a damaged file stops the gateway with exit status 2")
      ->transform(CLI::CheckedTransformer(store::kIntegrityCheckModes, CLI::ignore_case))
      ->option_text("quick|full|off");
}

void AddMqttOptions(CLI::App& app, Options& o) {
  app.add_option("--broker", o.mqtt.broker_uri, "MQTT broker URI")->capture_default_str();
  app.add_option("--client-id", o.mqtt.client_id,
                 "MQTT client id; keep it stable, the broker queues for it while we are away")
      ->capture_default_str();
  app.add_option("--tls-ca", o.mqtt.tls.ca_file,
                 "With an ssl:// broker: the CA the broker's certificate must chain to (PEM)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", o.mqtt.tls.cert_file,
                 "With an ssl:// broker: our client certificate (PEM; its CN is our ACL username)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", o.mqtt.tls.key_file, "With an ssl:// broker: the client certificate's key (PEM)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-notices-cert", o.mqtt.notices_tls.cert_file,
                 "With an ssl:// broker: the certificate of the connection that sends notices and "
                 "verdicts (CN <client id>-notices; default: <tls-cert stem>-notices.crt)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-notices-key", o.mqtt.notices_tls.key_file,
                 "Its key (both default, when neither is given, to the -notices files beside "
                 "--tls-cert and --tls-key)")
      ->check(CLI::ExistingFile);
  app.add_option("--max-payload-bytes", o.ingest.max_payload_bytes,
                 "Larger payloads are rejected as payload_too_large")
      ->capture_default_str();
  app.add_option("--max-in-flight", o.ingest.max_in_flight,
                 "Messages received but not committed before intake pauses")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-batch", o.ingest.max_batch, "Most messages per SQLite transaction")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

void AddVerifyOptions(CLI::App& app, Options& o) {
  app.add_option("--master-key-file", o.master_key_file,
                 "Site master key (32 hex digits) the tag keys derive from; enables verification")
      ->check(CLI::ExistingFile);
  app.add_option("--asset-types", o.asset_types_file,
                 "Asset-type policies: dwell, closing time, checklist (ops/asset-types.json)")
      ->check(CLI::ExistingFile);
  app.add_option("--verification-policy", o.verification_policy_file,
                 "Verification limits: clocks, delivery, pairing, travel per site "
                 "(ops/verification-policy.json; default: the documented values)")
      ->check(CLI::ExistingFile);
  app.add_flag("--allow-legacy-tags", o.allow_legacy_tags,
               "Accept plain-UID tags (evidence strength weak)");
  app.add_flag("--clock-correction,!--no-clock-correction", o.clock_correction,
               "Correct read times for each handheld's clock offset (off only for simulations "
               "faster than real time)")
      ->capture_default_str();
}

// Handhelds enrolled with a one-time code get accounts of their own on the broker's device
// listener (docs/handheld.md).
void AddDeviceOptions(CLI::App& app, Options& o) {
  auto* broker = app.add_option("--devices-broker", o.devices_broker,
                                "The broker's device listener, where its dynamic-security "
                                "plugin answers (e.g. ws://127.0.0.1:9001); enrols handhelds");
  auto* admin = app.add_option("--broker-admin-file", o.broker_admin_file,
                               "File (mode 600) holding the plugin's admin as username:password");
  broker->needs(admin);
  admin->needs(broker);
  app.add_option("--devices-url", o.devices_url,
                 "Where enrolled handhelds connect, as they see it (e.g. "
                 "wss://mqtt.airport.example:8884); default: --devices-broker");
}

void AddServiceOptions(CLI::App& app, Options& o) {
  app.add_option("--stats-interval", o.stats_interval_s, "Seconds between stats log lines (0: off)")
      ->capture_default_str();
  app.add_option("--close-invoices-day", o.close_invoices_day,
                 "Close the previous billing month for every contract from this day of the month "
                 "on (0: never; closing is also `fieldproof invoice close`)")
      ->check(CLI::Range(0, 28))
      ->capture_default_str();
  app.add_option("--billing-check-interval", o.billing_check_interval_s,
                 "Seconds between checks whether a billing month is due")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_flag("--alarms,!--no-alarms", o.alarms,
               "Judge telemetry for alarms (docs/alarms.md); off: telemetry is only stored")
      ->capture_default_str();
  app.add_option("--smtp-url", o.smtp.url,
                 "The site's SMTP relay for e-mail notifications: smtp://host:port (STARTTLS when offered) "
                 "or smtps://host:port (docs/notifications.md)");
  app.add_option("--smtp-from", o.smtp.from, "The sender address of e-mail notifications")
      ->capture_default_str();
  app.add_option("--http-address", o.http.address, "Address of the HTTP API")->capture_default_str();
  app.add_option("--http-port", o.http.port, "Port of the HTTP API (0: any free port, logged)")
      ->capture_default_str();
  app.add_option("--http-threads", o.http.threads,
                 "Threads answering API requests (health, metrics and static files have a "
                 "thread of their own)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--http-max-connections", o.http.max_connections,
                 "Open HTTP connections at most; more are closed at once")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--max-photo-bytes", o.http.max_upload_bytes,
                 "Largest photo a handheld may upload (PUT /api/v1/photos/...); larger get 413")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20))
      ->capture_default_str();
  app.add_option("--http-token-rate", o.http.per_token.per_second,
                 "API requests a second per token on average (0: no limit); more get 429")
      ->check(CLI::Range(0.0, 100000.0))
      ->capture_default_str();
  app.add_option("--http-token-burst", o.http.per_token.burst,
                 "API requests per token at once after a quiet spell")
      ->check(CLI::Range(1.0, 100000.0))
      ->capture_default_str();
  app.add_flag("--http,!--no-http", o.http_enabled, "Serve the HTTP API")->capture_default_str();
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
}

// Refuses a damaged file (null), takes others' access away, migrates with progress.
std::unique_ptr<store::Database> OpenStore(const Options& o) {
  if (auto damage = store::FindDamage(o.db_path, o.integrity_check)) {
    spdlog::critical("gateway: {}", *damage);
    return nullptr;
  }
  auto db = std::make_unique<store::Database>(o.db_path);
  for (const std::string& file : {o.db_path, o.db_path + "-wal", o.db_path + "-shm"}) {
    if (const auto old = app::TakeAwayOthersAccess(file)) {
      spdlog::warn("store: {} was open to every user (mode {}); others' access removed", file,
                   app::OctalMode(*old));
    }
  }
  if (const int version = store::SchemaVersion(*db);
      version > 0 && version < store::LatestSchemaVersion()) {
    // A migration may read much of a large database; say why the start is slow.
    spdlog::info("store: upgrading {} from schema version {} to {}", o.db_path, version,
                 store::LatestSchemaVersion());
    if (const std::string note = store::SlowUpgradeNote(*db, version); !note.empty()) {
      spdlog::info("store: {}", note);
    }
  }
  const store::ProgressReporter still_going(*db, std::chrono::seconds(10), [&](std::chrono::seconds elapsed) {
    spdlog::info("store: still upgrading {} ({} s so far)", o.db_path, elapsed.count());
  });
  store::Migrate(*db);
  return db;
}

std::unique_ptr<verify::VerificationWorker> StartVerifier(
    const Options& o, const std::vector<core::AssetTypePolicy>& asset_types, store::Database& db,
    ingest::IngestPipeline& pipeline, mqtt_adapter::MqttSource& mqtt) {
  auto config = LoadVerifierConfig(o, asset_types);
  if (!config) {
    spdlog::warn("verify: off (no --master-key-file): taps are stored but not assessed");
    return nullptr;
  }
  auto verifier = std::make_unique<verify::VerificationWorker>(
      db, std::move(*config),
      [&mqtt](std::string topic, std::string payload) { mqtt.Publish(std::move(topic), std::move(payload)); },
      NowMillis);
  pipeline.SetOnTapsStored([worker = verifier.get()] { worker->Wake(); });
  spdlog::info("verify: on (legacy tags {}, clock correction {}, limits from {})",
               o.allow_legacy_tags ? "allowed" : "refused", o.clock_correction ? "on" : "off",
               o.verification_policy_file.empty() ? "the defaults" : o.verification_policy_file);
  return verifier;
}

// Alarms are judged whatever else is on: thresholds from --asset-types, else the defaults.
std::unique_ptr<verify::AlarmWorker> StartAlarms(const Options& o, store::Database& db) {
  if (!o.alarms) {
    spdlog::info("alarms: off (--no-alarms): telemetry is stored, not judged");
    return nullptr;
  }
  std::map<std::string, core::AlarmPolicy> policies;
  if (!o.asset_types_file.empty()) {
    auto decoded = codec::DecodeAlarmPolicies(app::ReadFile(o.asset_types_file).value_or(""));
    if (!decoded.ok()) throw std::runtime_error(o.asset_types_file + ": " + decoded.error().detail);
    policies = std::move(decoded).value();
  }
  spdlog::info("alarms: on (thresholds from {})", o.asset_types_file.empty() ? "the defaults" : o.asset_types_file);
  return std::make_unique<verify::AlarmWorker>(db, std::move(policies), NowMillis);
}

// `served_by` is set once the server exists: /metrics may be asked on its thread before.
std::unique_ptr<http::HttpServer> StartHttp(const Options& o,
                                            std::vector<core::AssetTypePolicy> asset_types,
                                            const ingest::IngestPipeline& pipeline,
                                            const verify::VerificationWorker* verifier,
                                            const verify::AlarmWorker* alarms,
                                            const notify::Notifier* notifier,
                                            const mqtt_adapter::MqttSource& mqtt,
                                            std::atomic<const http::HttpServer*>& served_by) {
  if (!o.http_enabled) return nullptr;
  http::ApiOptions options{o.db_path,
                           [&pipeline, verifier, alarms, notifier, &mqtt, &served_by] {
                             return codec::EncodePrometheusText(app::GatewayMetrics(
                                 pipeline, verifier, alarms, notifier, mqtt, served_by.load()));
                           },
                           [&pipeline] { return pipeline.IntakeProblem(); },
                           {},
                           o.devices_url.empty() ? o.devices_broker : o.devices_url,
                           std::move(asset_types)};
  if (!o.devices_broker.empty()) {
    auto accounts = std::make_shared<const app::DeviceAccounts>(
        app::DeviceAccounts::ConfigFrom(o.devices_broker, o.broker_admin_file));
    options.open_device_account = [accounts](const std::string& site, const std::string& device_id,
                                             const std::string& password) {
      accounts->Open({site, device_id, password});
    };
    spdlog::info("http: enrols handhelds on {}", o.devices_broker);
  }
  http::Api api(std::move(options));
  auto server = std::make_unique<http::HttpServer>(
      o.http, [api = std::move(api)](const http::Request& request) { return api.Handle(request); },
      http::Api::IsQuick);
  served_by = server.get();
  spdlog::info("http: listening on {}:{}", o.http.address, server->port());
  return server;
}

void LogVerdicts(const verify::VerificationWorker& verifier) {
  const auto& v = verifier.metrics();
  spdlog::info("verify: taps={} verified={} verified_with_defects={} needs_review={} rejected={}",
               v.taps_assessed.load(), v.verdicts[0].load(), v.verdicts[1].load(), v.verdicts[2].load(),
               v.verdicts[3].load());
}

// Intake, verification, billing and the API until SIGINT or SIGTERM; then each drains in
// turn, so that everything the broker delivered is committed and assessed.
int Run(Options& o) {
  const std::unique_ptr<store::Database> db = OpenStore(o);
  if (!db) return 2;
  // Intake and verification share `db`; the WAL goes back into the database beside them.
  store::Checkpointer checkpointer(*db, o.wal_checkpoint_pages);
  const std::unique_ptr<store::EventStore> event_store = EventStoreWithFaultsFromEnvironment(*db, o.rejected);
  spdlog::info("store: {} (schema version {})", o.db_path, store::LatestSchemaVersion());
  const std::uint64_t committed = event_store->CommittedJournalSeq();
  o.mqtt.expect_session = committed > 0;  // Messages came before: the broker has our session.
  ingest::IntakeJournal journal(o.journal_dir.empty() ? o.db_path + ".journal" : o.journal_dir, committed,
                                {.sync = o.journal_sync});
  spdlog::info("journal: {} (committed up to seq {}{})", journal.dir().string(), committed,
               o.journal_sync ? ", fdatasync per record" : "");

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  mqtt_adapter::MqttSource* source = nullptr;  // The pipeline answers senders through it.
  o.ingest.commit_delay = std::chrono::milliseconds(o.commit_delay_ms);
  ingest::IngestPipeline pipeline(
      io, *event_store, o.ingest,
      [&source](std::string topic, std::string payload) { source->Publish(std::move(topic), std::move(payload)); },
      NowMillis, &journal);
  mqtt_adapter::MqttSource mqtt(o.mqtt, [&pipeline](std::string topic, std::string payload) {
    pipeline.Deliver(std::move(topic), std::move(payload));
  });
  source = &mqtt;
  // Read once: the verifier judges by them, the handhelds' snapshot shows their checklists.
  const auto asset_types = LoadAssetTypes(o);
  const std::unique_ptr<verify::VerificationWorker> verifier =
      StartVerifier(o, asset_types, *db, pipeline, mqtt);
  const std::unique_ptr<verify::AlarmWorker> alarms = StartAlarms(o, *db);
  notify::Notifier notifier(o.db_path, o.smtp, NowMillis);
  spdlog::info("notify: on (e-mail {})", o.smtp.url.empty() ? "off: no --smtp-url" : "through " + o.smtp.url);
  std::unique_ptr<billing::PeriodCloser> period_closer;
  if (o.close_invoices_day > 0) {
    period_closer = std::make_unique<billing::PeriodCloser>(
        o.db_path, o.close_invoices_day, std::chrono::seconds(o.billing_check_interval_s), NowMillis);
    spdlog::info("billing: the previous month is closed from day {} of each month", o.close_invoices_day);
  }
  std::atomic<const http::HttpServer*> served_by{nullptr};
  const std::unique_ptr<http::HttpServer> http_server =
      StartHttp(o, asset_types, pipeline, verifier.get(), alarms.get(), &notifier, mqtt, served_by);

  std::promise<int> stop;
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&stop](boost::system::error_code ec, int signal) {
    if (!ec) stop.set_value(signal);
  });
  const auto start = std::chrono::steady_clock::now();
  boost::asio::steady_timer stats_timer(io);
  if (o.stats_interval_s > 0) ScheduleStats(stats_timer, pipeline, std::chrono::seconds(o.stats_interval_s), start);
  std::thread io_thread([&io] {
    pthread_setname_np(pthread_self(), "fp-io");
    io.run();
  });

  if (const std::size_t replayed = pipeline.ReplayJournal(); replayed > 0) {
    spdlog::info("journal: {} message(s) handed on again", replayed);
  }
  mqtt.Start();
  spdlog::info("gateway: listening on {} for {}", o.mqtt.broker_uri, core::kIngestSubscription);
  spdlog::info("gateway: signal {} received; draining", stop.get_future().get());

  mqtt.Stop();  // No more deliveries.
  spdlog::debug("gateway: mqtt stopped");
  pipeline.Close();  // Everything delivered is now committed.
  spdlog::debug("gateway: pipeline drained");
  if (verifier) {
    verifier->Stop();  // Assesses what was committed.
    LogVerdicts(*verifier);
  }
  if (alarms) {
    alarms->Stop();  // Reads what was committed.
    spdlog::info("alarms: {} readings, {} raised, {} cleared", alarms->metrics().readings.load(),
                 alarms->metrics().raised.load(), alarms->metrics().cleared.load());
  }
  notifier.Stop();
  if (http_server) http_server->Stop();
  if (period_closer) period_closer->Stop();
  boost::asio::post(io, [&] { stats_timer.cancel(); });
  work.reset();
  io_thread.join();
  const std::chrono::duration<double> up = std::chrono::steady_clock::now() - start;
  LogStats(pipeline, up.count(), "final");
  spdlog::info("checkpoints: {} completed, {} frames copied with the writers held, longest hold {} us",
               checkpointer.checkpoints(), checkpointer.frames_copied_held(), checkpointer.longest_hold().count());
  spdlog::info("gateway: stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"fieldproof-gateway: receives taps and telemetry over MQTT, checks them and "
               "stores them in SQLite.\nOptions may also come from a config file "
               "(key = value lines, see ops/gateway.conf); flags override it."};
  app.set_config("--config", "", "Read options from this file");
  app.allow_config_extras(CLI::config_extras_mode::error);  // A misspelt key is an error, not a default.
  AddStoreOptions(app, o);
  AddMqttOptions(app, o);
  AddVerifyOptions(app, o);
  AddServiceOptions(app, o);
  AddDeviceOptions(app, o);
  CLI11_PARSE(app, argc, argv);
  app::RestrictNewFiles();

  spdlog::set_level(spdlog::level::from_str(o.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  o.mqtt.subscriptions = {std::string(core::kIngestSubscription)};
  LogDescriptorLimit(app::RaiseDescriptorLimit(), o.http);
  try {
    return Run(o);
  } catch (const std::exception& e) {
    spdlog::critical("gateway: {}", e.what());
    return 1;
  }
}
