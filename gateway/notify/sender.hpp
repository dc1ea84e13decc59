#pragma once
// Delivering one event (libcurl): a webhook as a signed HTTP(S) POST, or an e-mail through
// the site's SMTP relay. Blocking, with timeouts; a delivery either succeeds or says why not.
#include <string>

#include "gateway/core/notification.hpp"

namespace fieldproof::notify {

struct SmtpRelay {
  std::string url;   // smtp://host:port (STARTTLS when the relay offers it) or smtps://host:port
  std::string from = "fieldproof@localhost";  // The sender's address.
};

struct SendResult {
  bool ok = false;
  std::string error;  // Why not, for the delivery log: "HTTP 503: ...", "connection refused", ...
};

// The headers a receiver checks (docs/notifications.md): X-Fieldproof-Signature is
// "sha256=" + HMAC-SHA256(secret, timestamp + "." + body) in hex; Idempotency-Key is the
// event's key, the same on every retry.
SendResult SendWebhook(const core::Subscription& subscription, const core::Event& event, std::int64_t delivery_id,
                       core::UnixMillis now);
SendResult SendEmail(const SmtpRelay& relay, const core::Subscription& subscription, const core::Event& event,
                     core::UnixMillis now);

// Initialises libcurl once per process; before any thread sends.
void InitialiseSending();

}  // namespace fieldproof::notify
