#include "firmware-sim/verdict_inbox.hpp"

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"

namespace fieldproof::sim {

VerdictInbox::VerdictInbox(const std::string& broker_uri, const std::string& client_id,
                           const std::string& site, const mqtt_adapter::TlsFiles& tls)
    : topic_(core::TapTopic(site, "+") + "/verdict"),
      client_(broker_uri, client_id),
      options_(mqtt::connect_options_builder()
                   .clean_session(true)
                   .automatic_reconnect(std::chrono::milliseconds(200), std::chrono::seconds(5))
                   .finalize()) {
  // Its TLS errors are the publisher's too, which reports them.
  if (auto ssl = mqtt_adapter::SslOptionsFor(broker_uri, tls)) options_.set_ssl(*ssl);
  // Runs on Paho's thread: decode and remember, nothing else.
  client_.set_message_callback([this](mqtt::const_message_ptr message) {
    const auto notice = codec::DecodeVerdictNotice(message->get_payload_str());
    if (!notice.ok() || !notice.value().asset_id || notice.value().work_orders_opened.empty())
      return;
    std::lock_guard lock(mutex_);
    for (const auto& id : notice.value().work_orders_opened) {
      open_[*notice.value().asset_id].push_back(id);
      ++learnt_;
    }
  });
}

VerdictInbox::~VerdictInbox() {
  try {
    // Waited for: no message callback may run once the members start to go.
    if (client_.is_connected()) client_.disconnect(0)->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
    // Shutting down: nothing left to learn.
  }
}

void VerdictInbox::Start() {
  // No wait on tokens here: the subscription is made from Paho's own connected callback.
  client_.set_connected_handler([this](const std::string&) { client_.subscribe(topic_, 1); });
  try {
    client_.connect(options_);
  } catch (const mqtt::exception&) {
    // Best effort: without verdicts technicians simply do not come back for repairs.
  }
}

std::optional<std::string> VerdictInbox::TakeWorkOrder(const std::string& asset_id) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(asset_id);
  if (it == open_.end() || it->second.empty()) return std::nullopt;
  std::string id = std::move(it->second.front());
  it->second.pop_front();
  if (it->second.empty()) open_.erase(it);
  return id;
}

std::size_t VerdictInbox::learnt() const {
  std::lock_guard lock(mutex_);
  return learnt_;
}

}  // namespace fieldproof::sim
