#pragma once
// Connects to the broker with a persistent session (clean session off) and QoS 1
// subscriptions, reconnects with backoff, and hands each message to OnMessage on Paho's
// receive thread. It says loudly (an error and a counter) when the broker closes the intake
// connection because another client connected with our client id (a takeover), and when a
// reconnect finds no session where one should be: the messages queued for us are then gone
// (docs/security.md). Paho (C 1.3) sends the PUBACK only when that call has returned,
// so when OnMessage has made the message durable, a crash cannot lose it: the broker
// still owns every message it has no PUBACK for (docs/reliability.md).
// OnMessage may block to apply backpressure: Paho then stops reading the socket and the
// broker queues. Notices go out on a second connection ("<client id>-notices"), so a burst
// of notices never queues in front of the intake's acknowledgements.
#include <mqtt/async_client.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gateway/mqtt/broker_drops.hpp"
#include "gateway/mqtt/tls_options.hpp"

namespace fieldproof::mqtt_adapter {

struct MqttConfig {
  std::string broker_uri = "tcp://127.0.0.1:18830";
  std::string client_id = "fieldproof-gateway";
  std::vector<std::string> subscriptions;
  std::chrono::seconds keep_alive{30};
  std::chrono::seconds min_retry{1};
  std::chrono::seconds max_retry{30};
  TlsFiles tls;  // Used with an ssl:// broker URI.
  // The notices connection's own certificate and key (its CA is tls's); default:
  // SecondIdentity(tls, "notices").
  TlsFiles notices_tls;
  // The broker should still hold our session from an earlier run (we have stored messages):
  // a first connect without one is then a loss, not a fresh start.
  bool expect_session = false;
};

class MqttSource : public virtual mqtt::callback {
 public:
  using OnMessage = std::function<void(std::string topic, std::string payload)>;

  MqttSource(MqttConfig config, OnMessage on_message);
  ~MqttSource() override;

  // Returns at once; connects in the background, retrying until Stop().
  void Start();
  // Disconnects (waiting for in-flight callbacks to finish); no OnMessage after this returns.
  void Stop();
  // Best effort, QoS 1, never blocks: queued for a thread of its own, because Paho
  // holds its lock while OnMessage waits for admission, and the caller (the Asio
  // thread) must keep running to free that admission. When more than
  // kMaxQueuedPublishes wait, the newest is dropped and logged.
  void Publish(std::string topic, std::string payload);

  // Messages the broker delivered with QoS 0 (never acknowledged, so the broker kept no
  // copy): the broker is not set up with upgrade_outgoing_qos.
  std::uint64_t unprotected_deliveries() const { return unprotected_deliveries_; }
  // Messages the broker reports it dropped ($SYS, see broker_drops.hpp), since the gateway
  // started. Each increase is logged as an error.
  std::uint64_t broker_dropped_messages() const { return broker_dropped_messages_; }
  // Times the broker closed our intake connection while it kept the notices connection: most
  // likely for another client with our client id.
  std::uint64_t session_takeovers() const { return session_takeovers_; }
  // Connects that found no session where one should have been: its queued messages are lost.
  std::uint64_t sessions_lost() const { return sessions_lost_; }

 private:
  void connected(const std::string& cause) override;
  void connection_lost(const std::string& cause) override;
  void message_arrived(mqtt::const_message_ptr message) override;
  // What was true when the intake connection was lost.
  struct Loss {
    bool notices_connected;
    std::uint64_t notice_connects;
  };
  bool LooksTakenOver(const Loss& loss) const;
  void ReportTakeover();
  // Reconnects the intake connection itself (not Paho's automatic reconnect), to read the
  // session-present flag of every CONNACK.
  void ConnectLoop();
  void CheckSession(bool present);
  // Waits `delay` unless Stop() comes first; false when stopping.
  bool WaitUnlessStopped(std::chrono::seconds delay);
  // Connects `client`, retrying until Stop(); its token, or nullptr when stopped first.
  mqtt::token_ptr ConnectWithRetry(mqtt::async_client& client, const mqtt::connect_options& options,
                                   const TlsFiles& tls);
  void ExplainTlsFailure(const std::string& client_id, const TlsFiles& tls) const;
  const TlsFiles& NoticesTls() const;
  void PublishLoop();
  // On the notices connection, which keeps no session: $SYS is no intake.
  void WatchBrokerDrops();
  void OnBrokerDrops(const std::string& payload);

  static constexpr std::size_t kMaxQueuedPublishes = 10000;
  static constexpr int kIntakeQos = 1;

  MqttConfig config_;
  OnMessage on_message_;
  mqtt::async_client client_;
  mqtt::connect_options options_;
  mqtt::async_client notice_client_;  // Publishes only.
  mqtt::connect_options notice_options_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable stop_requested_;  // Also: the intake connection was lost.
  bool connection_lost_ = false;            // Guarded by mutex_.
  bool had_session_ = false;                // The connector thread only.
  int consecutive_takeovers_ = 0;           // The connector thread only.
  std::atomic<std::uint64_t> session_takeovers_{0};
  std::atomic<std::uint64_t> sessions_lost_{0};
  std::atomic<std::uint64_t> notice_connects_{0};
  // When OnMessage last returned after holding intake back longer than the keep-alive
  // (steady_clock ticks).
  std::atomic<std::chrono::steady_clock::rep> last_stall_end_{0};
  std::thread connector_;
  std::deque<std::pair<std::string, std::string>> outgoing_;
  std::condition_variable outgoing_ready_;
  std::atomic<std::uint64_t> dropped_publishes_{0};
  std::atomic<std::uint64_t> unprotected_deliveries_{0};
  BrokerDropWatch drop_watch_;  // Paho's notices callback thread only.
  std::atomic<std::uint64_t> broker_dropped_messages_{0};
  std::thread publisher_;
};

}  // namespace fieldproof::mqtt_adapter
