#include "gateway/codec/notification_codec.hpp"

#include "gateway/codec/json_output.hpp"

namespace fieldproof::codec {
namespace {

using namespace json_output;

json CountsJson(const core::CoverageCounts& c) {
  return {{"assets", c.assets}, {"compliant", c.compliant}, {"due_soon", c.due_soon}, {"overdue", c.overdue},
          {"never_inspected", c.never_inspected}};
}

json DeliveryJson(const core::DeliveryRow& d) {
  return {{"id", d.id},
          {"subscription_id", d.subscription_id},
          {"subscription", d.subscription},
          {"event_key", d.event_key},
          {"event", d.event_kind},
          {"site", d.site},
          {"title", d.title},
          {"status", d.status},
          {"attempts", d.attempts},
          {"next_attempt_at", d.status == "pending" ? Time(d.next_attempt_at) : json(nullptr)},
          {"last_error", d.last_error.empty() ? json(nullptr) : json(d.last_error)},
          {"created_at", Time(d.created_at)},
          {"delivered_at", Time(d.delivered_at)}};
}

}  // namespace

std::string EncodeEventBody(const core::Event& e, std::string_view asset_id, core::UnixMillis occurred_at,
                            std::string_view data_json) {
  json data = json::parse(data_json, nullptr, /*allow_exceptions=*/false);
  return Dump({{"event", core::ToString(e.kind)},
               {"key", e.key},
               {"site", e.site.empty() ? json(nullptr) : json(e.site)},
               {"asset_id", asset_id.empty() ? json(nullptr) : json(asset_id)},
               {"occurred_at", Time(occurred_at)},
               {"title", e.title},
               {"data", data.is_discarded() ? json(nullptr) : data}});
}

std::string EncodeDigestData(std::span<const core::CoverageReport> reports, std::size_t overdue_limit) {
  json sites = json::array();
  for (const auto& r : reports) {
    json overdue = json::array();
    for (std::size_t i = 0; i < r.overdue.size() && i < overdue_limit; ++i) {
      const auto& o = r.overdue[i];
      overdue.push_back({{"asset_id", o.asset_id}, {"building", o.building}, {"floor", o.floor},
                         {"location", o.location}, {"due_at", Time(o.due_at)}, {"days_overdue", o.days_overdue}});
    }
    sites.push_back({{"site", r.site}, {"as_of", Time(r.as_of)}, {"counts", CountsJson(r.total)},
                     {"overdue_count", r.overdue.size()}, {"overdue", overdue}});
  }
  return Dump({{"sites", sites}});
}

std::string EmailText(const core::Event& e) {
  return e.title + "\r\n\r\n" + "fieldproof notification " + std::string(core::ToString(e.kind)) + " (" + e.key +
         ").\r\n\r\n" + e.body;
}

std::string EncodeDeliveryPage(const core::Page<core::DeliveryRow>& page) { return Dump(PageJson(page, DeliveryJson)); }

std::string EncodeDelivery(const core::DeliveryRow& delivery) { return Dump(DeliveryJson(delivery)); }

std::string EncodeSubscriptions(std::span<const core::Subscription> subscriptions) {
  return Dump({{"subscriptions", Array(subscriptions, [](const core::Subscription& s) {
                  json events = json::array();
                  for (auto e : s.events) events.push_back(core::ToString(e));
                  return json{{"id", s.id},
                              {"name", s.name},
                              {"customer", s.customer.empty() ? json(nullptr) : json(s.customer)},
                              {"site", s.site.empty() ? json(nullptr) : json(s.site)},
                              {"events", events},
                              {"channel", s.channel == core::Channel::kEmail ? "email" : "webhook"},
                              {"target", s.target},
                              {"digest_hour_utc", s.digest_hour_utc},
                              {"created_at", Time(s.created_at)}};
                })}});
}

}  // namespace fieldproof::codec
