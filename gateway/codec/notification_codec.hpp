#pragma once
// What a notification carries (docs/notifications.md): the JSON a webhook receives, the
// e-mail's text, and the delivery log's and subscriptions' JSON.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gateway/core/coverage.hpp"
#include "gateway/core/notification.hpp"
#include "gateway/core/views.hpp"

namespace fieldproof::codec {

// {"event", "key", "site", "asset_id", "occurred_at", "title", "data"}; `data` is a JSON
// document of the API's (an alarm, a work order, an inspection) or the digest's.
std::string EncodeEventBody(const core::Event& event, std::string_view asset_id, core::UnixMillis occurred_at,
                            std::string_view data_json);
// A digest's data: the counts and the most overdue assets of each of the customer's sites.
std::string EncodeDigestData(std::span<const core::CoverageReport> reports, std::size_t overdue_limit);

// The e-mail: a plain-text body with the title and the event's JSON, for people and filters.
std::string EmailText(const core::Event& event);

std::string EncodeDeliveryPage(const core::Page<core::DeliveryRow>& page);
std::string EncodeDelivery(const core::DeliveryRow& delivery);
// Subscriptions without their secrets.
std::string EncodeSubscriptions(std::span<const core::Subscription> subscriptions);

}  // namespace fieldproof::codec
