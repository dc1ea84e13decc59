#pragma once
// The handheld's outbox: every message stays on the device until the broker has
// acknowledged it (QoS 1 PUBACK). When the link drops, what is unacknowledged is
// sent again, with the same bytes and msg_id, once the link is back. With a journal
// file (the device's own storage) the outbox also survives the app being killed:
// "+<seq> <topic> <payload>" when a message is queued, "-<seq>" when acknowledged;
// on start the unacknowledged ones are loaded and sent first.
#include <mqtt/async_client.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/mqtt/tls_options.hpp"

namespace fieldproof::sim {

class OutboxPublisher : public virtual mqtt::callback, public virtual mqtt::iaction_listener {
 public:
  // `journal` may be empty: then the outbox lives in memory only. `tls` is used with an
  // ssl:// broker URI.
  OutboxPublisher(const std::string& broker_uri, const std::string& client_id, std::size_t window,
                  const std::string& journal = "", const mqtt_adapter::TlsFiles& tls = {});

  // Connects, retrying until `timeout`; false when the broker never answered.
  bool Connect(std::chrono::seconds timeout);
  // Puts the message in the outbox; blocks while `window` messages await acknowledgement.
  void Send(const std::string& topic, const std::string& payload);
  // Drops the link abruptly and reconnects, like a handheld walking out of coverage.
  void DropConnection();
  // Waits until the broker has acknowledged everything; false on timeout.
  bool Flush(std::chrono::seconds timeout);
  void Disconnect();

  // QoS of what is sent from now on: 1 (the default) or 2 (exactly once to the broker; the
  // broker then bounds what it has in flight to the gateway, see docs/reliability.md).
  void set_qos(int qos) { qos_ = qos; }

  std::uint64_t resent() const;
  std::size_t recovered() const { return recovered_; }  // Loaded from the journal at start.

 private:
  struct Entry {
    mqtt::const_message_ptr message;
    bool in_flight = false;
  };

  void TakeUnsentLocked(std::vector<std::uint64_t>& seqs);
  void LoadJournal(const std::string& path);
  void PublishAll(const std::vector<std::uint64_t>& seqs);
  void connected(const std::string& cause) override;
  void connection_lost(const std::string& cause) override;
  void on_success(const mqtt::token& token) override;
  void on_failure(const mqtt::token& token) override;

  std::string broker_uri_;
  mqtt_adapter::TlsFiles tls_;  // For saying why a TLS connection fails.
  mqtt::connect_options options_;
  const std::size_t window_;
  int qos_ = 1;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, Entry> outbox_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t resent_ = 0;
  bool online_ = false;
  bool resend_due_ = false;
  std::ofstream journal_;
  std::size_t recovered_ = 0;  // Set on (re)connect; the next Send or Flush resends.
  // Last, so destroyed first: Paho's threads call back into the members above until the
  // client is gone (a late callback into a destroyed outbox corrupted the heap at exit).
  mqtt::async_client client_;
};

}  // namespace fieldproof::sim
