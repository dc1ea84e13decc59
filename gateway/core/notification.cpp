#include "gateway/core/notification.hpp"

#include <algorithm>
#include <array>

namespace fieldproof::core {
namespace {

constexpr std::array<std::string_view, 4> kKindNames = {"alarm_raised", "work_order_opened", "review_waiting",
                                                        "due_digest"};

bool IsEmailAddress(std::string_view text) {
  const auto at = text.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < text.size() && text.find('@', at + 1) == std::string_view::npos &&
         text.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos && text.substr(at).find('.') != std::string_view::npos;
}

}  // namespace

std::string_view ToString(EventKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

std::optional<EventKind> EventKindFromString(std::string_view text) {
  const auto it = std::find(kKindNames.begin(), kKindNames.end(), text);
  if (it == kKindNames.end()) return std::nullopt;
  return static_cast<EventKind>(it - kKindNames.begin());
}

std::optional<std::string> SubscriptionProblem(const Subscription& s) {
  if (s.name.empty()) return "a subscription needs a name";
  if (s.events.empty()) return "a subscription needs at least one event (alarm_raised, work_order_opened, review_waiting, due_digest)";
  if (s.digest_hour_utc < 0 || s.digest_hour_utc > 23) return "the digest hour is 0 to 23 (UTC)";
  if (s.target.find_first_of(" \t\r\n") != std::string::npos) return "the target must not contain spaces or line breaks";
  if (s.channel == Channel::kEmail) {
    if (!IsEmailAddress(s.target)) return "'" + s.target + "' is not an e-mail address";
    return std::nullopt;
  }
  const bool https = s.target.starts_with("https://"), http = s.target.starts_with("http://");
  if (!https && !http) return "a webhook URL must start with https:// or http://, not '" + s.target + "'";
  if (s.target.size() <= (https ? 8u : 7u)) return "the webhook URL '" + s.target + "' names no host";
  if (s.secret.size() < 16) return "a webhook needs a secret of at least 16 characters to sign with";
  return std::nullopt;
}

bool Wants(const Subscription& s, const Event& e) {
  if (std::find(s.events.begin(), s.events.end(), e.kind) == s.events.end()) return false;
  if (!s.site.empty() && s.site != e.site) return false;
  return s.customer.empty() || s.customer == e.customer;
}

std::optional<UnixMillis> NextAttempt(int attempts, UnixMillis now) {
  if (attempts >= kMaxDeliveryAttempts) return std::nullopt;
  UnixMillis pause = 10 * kSecond;
  for (int i = 1; i < attempts && pause < kHour; ++i) pause *= 3;
  return now + std::min(pause, kHour);
}

}  // namespace fieldproof::core
