#include "firmware-sim/mqtt_publisher.hpp"

#include <cstdio>
#include <iostream>
#include <thread>

namespace fieldproof::sim {

OutboxPublisher::OutboxPublisher(const std::string& broker_uri, const std::string& client_id,
                                 std::size_t window, const std::string& journal,
                                 const mqtt_adapter::TlsFiles& tls)
    : broker_uri_(broker_uri),
      tls_(tls),
      window_(window),
      // Paho queues publishes while a (re)connect completes; room for a whole window.
      client_(broker_uri, client_id,
              mqtt::create_options(MQTTVERSION_3_1_1, static_cast<int>(window) * 2 + 16)) {
  options_ = mqtt::connect_options_builder()
                 .clean_session(true)  // The outbox, not the session, keeps what is unsent.
                 .keep_alive_interval(std::chrono::seconds(20))
                 .automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(8))
                 .max_inflight(65535)  // Our window is the limit; Paho must never refuse.

                 .finalize();
  if (auto ssl = mqtt_adapter::SslOptionsFor(broker_uri, tls)) options_.set_ssl(*ssl);
  client_.set_callback(*this);
  if (!journal.empty()) LoadJournal(journal);
}

void OutboxPublisher::LoadJournal(const std::string& path) {
  std::map<std::uint64_t, std::pair<std::string, std::string>> pending;
  {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      if (line.size() < 2) continue;
      const std::uint64_t seq = std::stoull(line.substr(1));
      if (line[0] == '-') {
        pending.erase(seq);
        continue;
      }
      const auto topic_at = line.find(' ');
      const auto payload_at = line.find(' ', topic_at + 1);
      if (line[0] != '+' || payload_at == std::string::npos) continue;  // A torn last line.
      pending[seq] = {line.substr(topic_at + 1, payload_at - topic_at - 1),
                      line.substr(payload_at + 1)};
    }
  }
  // Start a compact journal holding only what is still unacknowledged.
  const std::string fresh = path + ".new";
  {
    std::ofstream out(fresh, std::ios::trunc);
    for (const auto& [seq, message] : pending) {
      out << '+' << seq << ' ' << message.first << ' ' << message.second << '\n';
    }
  }
  std::rename(fresh.c_str(), path.c_str());
  for (auto& [seq, message] : pending) {
    outbox_[seq] = Entry{mqtt::make_message(message.first, message.second, qos_, false), false};
    next_seq_ = std::max(next_seq_, seq + 1);
  }
  recovered_ = pending.size();
  journal_.open(path, std::ios::app);
}

bool OutboxPublisher::Connect(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    try {
      client_.connect(options_)->wait();
      return true;
    } catch (const mqtt::exception& e) {
      if (std::chrono::steady_clock::now() > deadline) {
        std::cerr << "sim: cannot connect: " << e.what() << "\n";
        if (mqtt_adapter::IsTlsUri(broker_uri_)) {
          std::cerr << "sim: TLS: "
                    << mqtt_adapter::TlsHandshakeProblem(broker_uri_, tls_, std::chrono::seconds(5))
                    << " (" << mqtt_adapter::DescribeTlsFiles(tls_) << ")\n";
        }
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }
}

// Paho calls on_success holding its own lock, so nothing here calls into Paho while
// holding ours: entries are picked under our lock and published after releasing it.
void OutboxPublisher::Send(const std::string& topic, const std::string& payload) {
  std::vector<std::uint64_t> to_publish;
  {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return outbox_.size() < window_ || resend_due_; });
      if (resend_due_) {
        TakeUnsentLocked(to_publish);
        lock.unlock();
        PublishAll(to_publish);
        to_publish.clear();
        lock.lock();
        continue;
      }
      break;
    }
    const std::uint64_t seq = next_seq_++;
    outbox_[seq] = Entry{mqtt::make_message(topic, payload, qos_, false), online_};
    if (journal_.is_open()) journal_ << '+' << seq << ' ' << topic << ' ' << payload << std::endl;
    if (online_) to_publish.push_back(seq);
  }
  PublishAll(to_publish);
}

void OutboxPublisher::TakeUnsentLocked(std::vector<std::uint64_t>& seqs) {
  resend_due_ = false;
  for (auto& [seq, entry] : outbox_) {
    if (!entry.in_flight) {
      entry.in_flight = true;
      seqs.push_back(seq);
      ++resent_;
    }
  }
}

void OutboxPublisher::PublishAll(const std::vector<std::uint64_t>& seqs) {
  for (std::uint64_t seq : seqs) {
    mqtt::const_message_ptr message;
    {
      std::lock_guard lock(mutex_);
      auto it = outbox_.find(seq);
      if (it == outbox_.end()) continue;
      message = it->second.message;
    }
    try {
      client_.publish(message, reinterpret_cast<void*>(seq), *this);
    } catch (const mqtt::exception& e) {
      std::cerr << "sim: publish failed (" << e.what() << ", connected=" << client_.is_connected() << "); kept for resending\n";
      // Stays in the outbox; sent again after the next reconnect.
      std::lock_guard lock(mutex_);
      auto it = outbox_.find(seq);
      if (it != outbox_.end()) it->second.in_flight = false;
    }
  }
}

void OutboxPublisher::connected(const std::string&) {
  std::lock_guard lock(mutex_);
  online_ = true;
  resend_due_ = true;
  changed_.notify_all();
}

void OutboxPublisher::connection_lost(const std::string&) {
  std::lock_guard lock(mutex_);
  online_ = false;
  for (auto& [seq, entry] : outbox_) entry.in_flight = false;
}

void OutboxPublisher::on_success(const mqtt::token& token) {
  std::lock_guard lock(mutex_);
  const auto seq = reinterpret_cast<std::uint64_t>(token.get_user_context());
  if (outbox_.erase(seq) && journal_.is_open()) journal_ << '-' << seq << '\n';
  changed_.notify_all();
}

void OutboxPublisher::on_failure(const mqtt::token& token) {
  std::lock_guard lock(mutex_);
  auto it = outbox_.find(reinterpret_cast<std::uint64_t>(token.get_user_context()));
  if (it != outbox_.end()) it->second.in_flight = false;
}

void OutboxPublisher::DropConnection() {
  try {
    client_.disconnect(std::chrono::seconds(0))->wait();
  } catch (const mqtt::exception&) {
  }
  connection_lost("dropped on purpose");
  Connect(std::chrono::seconds(30));  // connected() marks the outbox for resending.
}

bool OutboxPublisher::Flush(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  while (!outbox_.empty()) {
    if (!changed_.wait_until(lock, deadline, [&] { return outbox_.empty() || resend_due_; })) {
      return false;
    }
    if (resend_due_) {
      std::vector<std::uint64_t> seqs;
      TakeUnsentLocked(seqs);
      lock.unlock();
      PublishAll(seqs);
      lock.lock();
    }
  }
  return true;
}

void OutboxPublisher::Disconnect() {
  try {
    client_.disconnect(std::chrono::seconds(5))->wait();
  } catch (const mqtt::exception& e) {
    std::cerr << "sim: disconnect: " << e.what() << "\n";
  }
}

std::uint64_t OutboxPublisher::resent() const {
  std::lock_guard lock(mutex_);
  return resent_;
}

}  // namespace fieldproof::sim
