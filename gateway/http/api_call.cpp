#include "gateway/http/api_call.hpp"

#include <charconv>
#include <chrono>

#include "gateway/core/local_time.hpp"
#include "gateway/store/site_queries.hpp"

namespace fieldproof::http {

void Fail(bhttp::status status, std::string message) {
  throw HttpError{status, std::move(message)};
}

void Refuse(const core::Refusal& refusal) {
  switch (refusal.kind) {
    case core::RefusalKind::kNotFound: Fail(bhttp::status::not_found, refusal.detail);
    case core::RefusalKind::kConflict: Fail(bhttp::status::conflict, refusal.detail);
    case core::RefusalKind::kInvalid: Fail(bhttp::status::unprocessable_entity, refusal.detail);
    case core::RefusalKind::kForbidden: Fail(bhttp::status::forbidden, refusal.detail);
  }
  Fail(bhttp::status::internal_server_error, refusal.detail);
}

Response Reply(bhttp::status status, std::string body, const char* type) {
  Response res{status, 11};
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

Response JsonReply(std::string body) { return Reply(bhttp::status::ok, std::move(body)); }

core::UnixMillis Now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Call::Require(core::Capability capability) const {
  if (!principal.May(capability)) {
    Fail(bhttp::status::forbidden,
         "role " + std::string(core::ToString(principal.role)) + " may not do this");
  }
}

std::string Call::Owner() const {
  return principal.role == core::Role::kOwner ? principal.customer_id : std::string();
}

const std::string& Call::VisibleSite(const std::string& site) {
  if (!store::SiteVisible(db, site, Owner())) Fail(bhttp::status::not_found, "no site " + site);
  return site;
}

std::string Call::Param(const std::string& key) const {
  const auto it = target.query.find(key);
  return it == target.query.end() ? std::string() : it->second;
}

std::int64_t Call::IntParam(const std::string& key, std::int64_t fallback, std::int64_t min,
                            std::int64_t max) const {
  const auto it = target.query.find(key);
  if (it == target.query.end()) return fallback;
  try {
    std::size_t used = 0;
    const std::int64_t v = std::stoll(it->second, &used);
    if (used != it->second.size() || v < min || v > max) throw std::out_of_range(key);
    return v;
  } catch (const std::exception&) {
    Fail(bhttp::status::bad_request, key + " must be a whole number from " + std::to_string(min) +
                                         " to " + std::to_string(max));
  }
}

std::optional<std::int64_t> Call::IntArg(std::size_t index) const {
  const std::string& text = args.at(index);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<core::UnixMillis> Call::DayParam(const std::string& key, bool end) const {
  const std::string day = Param(key);
  if (day.empty()) return std::nullopt;
  const auto last = core::EndOfDayUtc(day);
  if (!last) Fail(bhttp::status::bad_request, key + " must be a date YYYY-MM-DD");
  return end ? *last : *last - core::kDay + 1;
}

core::PageRequest Call::PageParams() const {
  constexpr std::int64_t kMaxPage = 500;
  return {IntParam("limit", 100, 1, kMaxPage), IntParam("offset", 0, 0, INT64_MAX / 2)};
}

}  // namespace fieldproof::http
