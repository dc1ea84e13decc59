#pragma once
// The handhelds' side of follow-up work: listens to the gateway's verdicts for the site and
// remembers the work orders it opened, per asset, so a technician can come back and name
// the work order on the repair visit (the real handheld app shows them as a task list).
#include <mqtt/async_client.h>

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "gateway/mqtt/tls_options.hpp"

namespace fieldproof::sim {

class VerdictInbox {
 public:
  VerdictInbox(const std::string& broker_uri, const std::string& client_id, const std::string& site,
               const mqtt_adapter::TlsFiles& tls = {});
  ~VerdictInbox();

  // Connects and subscribes in the background (and again after any reconnect), so
  // publishing never waits for it: repairs are best effort.
  void Start();
  // The oldest work order not yet taken for `asset_id`. Any thread.
  std::optional<std::string> TakeWorkOrder(const std::string& asset_id);
  std::size_t learnt() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<std::string>> open_;  // Asset -> work orders.
  std::size_t learnt_ = 0;
  std::string topic_;
  // Last, so destroyed first: Paho's threads call back into the members above until the
  // client is gone.
  mqtt::async_client client_;
  mqtt::connect_options options_;
};

}  // namespace fieldproof::sim
