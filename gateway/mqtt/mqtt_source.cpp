#include "gateway/mqtt/mqtt_source.hpp"

#include <pthread.h>

#include <charconv>

#include <spdlog/spdlog.h>

namespace fieldproof::mqtt_adapter {
namespace {

// TLS identities: the notices connection's default, and both checked against the client
// ids before anything connects (a mismatch is a configuration error, said at start).
MqttConfig WithIdentities(MqttConfig config) {
  if (!IsTlsUri(config.broker_uri) || config.tls.cert_file.empty()) return config;
  if (!config.notices_tls.any()) config.notices_tls = SecondIdentity(config.tls, "notices");
  config.notices_tls.ca_file = config.tls.ca_file;  // One broker, one CA to trust.
  RequireClientIdIsCertificateName(config.client_id, config.tls);
  RequireClientIdIsCertificateName(config.client_id + "-notices", config.notices_tls);
  return config;
}

}  // namespace

MqttSource::MqttSource(MqttConfig config, OnMessage on_message)
    : config_(WithIdentities(std::move(config))),
      on_message_(std::move(on_message)),
      // No client persistence: the intake journal is ours, and what is not in it yet is
      // still the broker's.
      client_(config_.broker_uri, config_.client_id, mqtt::create_options(MQTTVERSION_3_1_1)),
      notice_client_(config_.broker_uri, config_.client_id + "-notices",
                     mqtt::create_options_builder()
                         .mqtt_version(MQTTVERSION_3_1_1)
                         .send_while_disconnected(true, true)
                         .max_buffered_messages(static_cast<int>(kMaxQueuedPublishes))
                         .finalize()) {
  options_ = mqtt::connect_options_builder()
                 .clean_session(false)  // The broker keeps our subscriptions and queues
                                        // messages while we are away.
                 .keep_alive_interval(config_.keep_alive)
                 .connect_timeout(std::chrono::seconds(10))
                 .finalize();
  notice_options_ = mqtt::connect_options_builder()
                        .clean_session(true)  // Nothing to keep: it only publishes.
                        .keep_alive_interval(config_.keep_alive)
                        .automatic_reconnect(config_.min_retry, config_.max_retry)
                        .connect_timeout(std::chrono::seconds(10))
                        .finalize();
  if (auto ssl = SslOptionsFor(config_.broker_uri, config_.tls)) {
    options_.set_ssl(*ssl);
    spdlog::info("mqtt: TLS to {} with {}", config_.broker_uri, DescribeTlsFiles(config_.tls));
  }
  if (auto ssl = SslOptionsFor(config_.broker_uri, NoticesTls())) notice_options_.set_ssl(*ssl);
  client_.set_callback(*this);
  notice_client_.set_connected_handler([this](const std::string&) {
    ++notice_connects_;
    WatchBrokerDrops();
  });
  notice_client_.set_message_callback(
      [this](mqtt::const_message_ptr message) { OnBrokerDrops(message->get_payload_str()); });
}

MqttSource::~MqttSource() { Stop(); }

void MqttSource::Start() {
  connector_ = std::thread([this] { ConnectLoop(); });
  publisher_ = std::thread([this] { PublishLoop(); });
}

void MqttSource::ConnectLoop() {
  pthread_setname_np(pthread_self(), "fp-mqtt-connect");
  // The notices connection reconnects by itself (Paho); its first connection, and every
  // connection of the intake, are ours to retry (the broker may start after the gateway).
  if (!ConnectWithRetry(notice_client_, notice_options_, NoticesTls())) return;
  std::optional<Loss> loss;
  for (std::chrono::seconds pause{0};; pause = config_.min_retry) {
    // After takeovers in a row, wait longer each time: two clients with one identity would
    // otherwise throw each other out as fast as they can connect.
    const int takeovers = std::min(consecutive_takeovers_, 5);
    if (!WaitUnlessStopped(std::min(pause * (1 << takeovers), config_.max_retry))) return;
    const mqtt::token_ptr connected = ConnectWithRetry(client_, options_, config_.tls);
    if (!connected) return;
    if (loss && LooksTakenOver(*loss)) ReportTakeover();
    CheckSession(connected->get_connect_response().is_session_present());
    const auto since = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    stop_requested_.wait(lock, [this] { return stopping_ || connection_lost_; });
    if (stopping_) return;
    connection_lost_ = false;
    if (std::chrono::steady_clock::now() - since > config_.keep_alive * 4) consecutive_takeovers_ = 0;
    loss = Loss{notice_client_.is_connected(), notice_connects_.load()};
  }
}

// mosquitto 2.0 closes the old connection of a client whose id connects again, and says
// nothing to it (MQTT 3.1.1 cannot; 2.0.11 sends no MQTT 5 reason either). What tells a
// takeover from an outage: the broker kept serving our notices connection all along, so it
// did not restart and the network held; and our intake was not stalled long enough for a
// keep-alive to expire (a full disk holding intake back).
bool MqttSource::LooksTakenOver(const Loss& loss) const {
  const bool broker_stayed_up = loss.notices_connected && notice_client_.is_connected() &&
                                notice_connects_ == loss.notice_connects;
  const auto since_stall = std::chrono::steady_clock::now().time_since_epoch() -
                           std::chrono::steady_clock::duration(last_stall_end_.load());
  return broker_stayed_up && since_stall > config_.keep_alive * 2;
}

void MqttSource::ReportTakeover() {
  ++session_takeovers_;
  ++consecutive_takeovers_;
  spdlog::error(
      "mqtt: the broker closed our intake connection while it kept the notices connection: most "
      "likely another client connected as {} (session taken over). A second gateway with this "
      "identity, or its key in other hands; messages may be lost (docs/security.md)",
      config_.client_id);
}

bool MqttSource::WaitUnlessStopped(std::chrono::seconds delay) {
  std::unique_lock lock(mutex_);
  return !stop_requested_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void MqttSource::CheckSession(bool present) {
  if (!present && (had_session_ || config_.expect_session)) {
    ++sessions_lost_;
    spdlog::error(
        "mqtt: the broker had no session for {}: what it queued for the gateway while we were "
        "away is lost. Either the broker lost its state (persistence off or its file gone), or "
        "another client connected as {} with a clean session (docs/security.md)",
        config_.client_id, config_.client_id);
  }
  had_session_ = true;
}

// Paho says only "TCP/TLS connect failure"; a handshake of our own says why, once per streak.
void MqttSource::ExplainTlsFailure(const std::string& client_id, const TlsFiles& tls) const {
  const std::string problem = TlsHandshakeProblem(config_.broker_uri, tls, std::chrono::seconds(5));
  if (problem.empty()) {
    spdlog::error("mqtt: TLS: the broker accepts the handshake but refused {} ({}): its log says "
                  "why (a revoked or unknown certificate, a client id not the certificate's CN)",
                  client_id, DescribeTlsFiles(tls));
  } else {
    spdlog::error("mqtt: TLS: {} ({})", problem, DescribeTlsFiles(tls));
  }
}

const TlsFiles& MqttSource::NoticesTls() const {
  return config_.notices_tls.any() ? config_.notices_tls : config_.tls;
}

mqtt::token_ptr MqttSource::ConnectWithRetry(mqtt::async_client& client,
                                             const mqtt::connect_options& options,
                                             const TlsFiles& tls) {
  auto delay = config_.min_retry;
  for (bool first = true; !stopping_; first = false) {
    try {
      mqtt::token_ptr token = client.connect(options);
      token->wait();
      return token;
    } catch (const mqtt::exception& e) {
      spdlog::warn("mqtt: {} cannot connect to {}: {}; retrying in {}s", client.get_client_id(),
                   config_.broker_uri, e.what(), delay.count());
      if (first && IsTlsUri(config_.broker_uri)) ExplainTlsFailure(client.get_client_id(), tls);
    }
    if (!WaitUnlessStopped(delay)) break;
    delay = std::min(delay * 2, config_.max_retry);
  }
  return nullptr;
}

void MqttSource::connected(const std::string&) {
  spdlog::info("mqtt: connected to {} as {}", config_.broker_uri, config_.client_id);
  // Subscribing again is harmless with a persistent session and needed without one.
  for (const auto& topic : config_.subscriptions) {
    try {
      client_.subscribe(topic, kIntakeQos);
      spdlog::info("mqtt: subscribed to {} (QoS {})", topic, kIntakeQos);
    } catch (const mqtt::exception& e) {
      spdlog::error("mqtt: subscribe {} failed: {}", topic, e.what());
    }
  }
}

void MqttSource::WatchBrokerDrops() {
  try {
    // Not waited for: this runs on Paho's callback thread. mosquitto publishes the count
    // every sys_interval seconds (10 by default; 0 turns $SYS off).
    notice_client_.subscribe(std::string(kBrokerDropsTopic), 0);
    spdlog::info("mqtt: watching the broker's dropped messages ({})", kBrokerDropsTopic);
  } catch (const mqtt::exception& e) {
    spdlog::warn("mqtt: cannot watch the broker's dropped messages ({}): {}", kBrokerDropsTopic, e.what());
  }
}

void MqttSource::OnBrokerDrops(const std::string& payload) {
  const auto count = ParseBrokerCount(payload);
  if (!count) {
    spdlog::warn("mqtt: {} is not a count: '{}'", kBrokerDropsTopic, payload.substr(0, 40));
    return;
  }
  if (const std::uint64_t fresh = drop_watch_.Observe(*count); fresh > 0) {
    broker_dropped_messages_ = drop_watch_.total();
    spdlog::error(
        "mqtt: the broker dropped {} message(s) ({} since it started, for any client). Readings "
        "that did not fit the gateway's queue while it was away are lost: raise "
        "max_queued_messages in mosquitto.conf (docs/operations.md)",
        fresh, *count);
  }
}

std::optional<std::uint64_t> ParseBrokerCount(std::string_view payload) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(payload.data(), payload.data() + payload.size(), value);
  if (error != std::errc() || end != payload.data() + payload.size() || payload.empty()) return std::nullopt;
  return value;
}

void MqttSource::connection_lost(const std::string& cause) {
  if (stopping_) return;
  spdlog::warn("mqtt: connection lost ({}); reconnecting", cause);
  {
    std::lock_guard lock(mutex_);
    connection_lost_ = true;
  }
  stop_requested_.notify_all();
}

void MqttSource::message_arrived(mqtt::const_message_ptr message) {
  // Returning lets Paho send the PUBACK; on_message_ returns once the journal has it.
  if (message->get_qos() == 0 && unprotected_deliveries_++ == 0) {
    spdlog::warn("mqtt: the broker delivers QoS 0 messages, which it does not keep until the "
                 "gateway has them; set `upgrade_outgoing_qos true` in mosquitto.conf "
                 "(docs/reliability.md)");
  }
  const auto start = std::chrono::steady_clock::now();
  on_message_(message->get_topic(), message->get_payload_str());
  // Held back longer than the keep-alive: the broker may drop us for it (not a takeover).
  if (const auto end = std::chrono::steady_clock::now(); end - start > config_.keep_alive) {
    last_stall_end_ = end.time_since_epoch().count();
  }
}

void MqttSource::Publish(std::string topic, std::string payload) {
  {
    std::lock_guard lock(mutex_);
    if (outgoing_.size() >= kMaxQueuedPublishes) {
      if (dropped_publishes_++ % 1000 == 0) {
        spdlog::warn("mqtt: publish queue full; dropped a message to {}", topic);
      }
      return;
    }
    outgoing_.emplace_back(std::move(topic), std::move(payload));
  }
  outgoing_ready_.notify_one();
}

void MqttSource::PublishLoop() {
  pthread_setname_np(pthread_self(), "fp-mqtt-publish");
  std::unique_lock lock(mutex_);
  while (true) {
    outgoing_ready_.wait(lock, [this] { return stopping_ || !outgoing_.empty(); });
    if (outgoing_.empty()) return;
    auto [topic, payload] = std::move(outgoing_.front());
    outgoing_.pop_front();
    lock.unlock();
    // Paho refuses while its own queue is full (the intake thread holds its lock under
    // backpressure); wait for it rather than drop the notice.
    for (auto wait = std::chrono::milliseconds(5);; wait = std::min(wait * 2, std::chrono::milliseconds(500))) {
      try {
        notice_client_.publish(topic, payload.data(), payload.size(), 1, false);
      } catch (const mqtt::exception& e) {
        if (e.get_return_code() == MQTTASYNC_MAX_BUFFERED_MESSAGES && !stopping_) {
          std::this_thread::sleep_for(wait);
          continue;
        }
        spdlog::warn("mqtt: cannot publish to {}: {}", topic, e.what());
      }
      break;
    }
    lock.lock();
  }
}

void MqttSource::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_.exchange(true)) return;
  }
  stop_requested_.notify_all();
  outgoing_ready_.notify_all();
  if (connector_.joinable()) connector_.join();
  spdlog::debug("mqtt: connector joined");
  if (publisher_.joinable()) publisher_.join();  // Sends what is queued first.
  spdlog::debug("mqtt: publisher joined");
  for (auto* client : {&client_, &notice_client_}) {
    try {
      // Bounded: Paho may reconnect during a slow disconnect and never complete its token.
      if (client->is_connected() &&
          !client->disconnect(std::chrono::seconds(5))->wait_for(std::chrono::seconds(10))) {
        spdlog::warn("mqtt: {} did not disconnect in 10 s; stopping anyway", client->get_client_id());
      }
    } catch (const mqtt::exception& e) {
      spdlog::warn("mqtt: disconnect {}: {}", client->get_client_id(), e.what());
    }
  }
}

}  // namespace fieldproof::mqtt_adapter
