// GET /api/v1/alarms, /alarms/{id}; POST /alarms/{id}/acknowledge and /alarms/{id}/close:
// alarms from telemetry (docs/alarms.md). Everyone who reads a site sees its alarms as far as
// they see its assets; supervisors and admins acknowledge and close them.
#include "gateway/codec/alarm_codec.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/alarm_store.hpp"

namespace fieldproof::http {
namespace {

using core::Capability;

core::AlarmRecord VisibleAlarm(Call& c) {
  const auto id = c.IntArg(0);
  auto alarm = id ? store::AlarmStore(c.db).Find(*id, c.Owner()) : std::nullopt;
  if (!alarm) Fail(bhttp::status::not_found, "no alarm " + c.args.at(0));
  c.VisibleSite(alarm->site);
  return std::move(*alarm);
}

Response Alarms(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string status = c.Param("status");
  if (!status.empty() && status != "active" && !core::AlarmStatusFromString(status)) {
    Fail(bhttp::status::bad_request, "status must be open, acknowledged, closed or active");
  }
  const store::AlarmFilter filter{c.VisibleSite(c.Param("site")), status, c.Param("asset"), c.Owner()};
  return JsonReply(codec::EncodeAlarmPage(store::AlarmStore(c.db).List(filter, c.PageParams())));
}

Response Alarm(Call& c) {
  c.Require(Capability::kReadSites);
  return JsonReply(codec::EncodeAlarm(VisibleAlarm(c)));
}

// Acknowledging says someone has taken it on; it stays on the map until closed.
Response Acknowledge(Call& c) {
  c.Require(Capability::kReview);
  const core::AlarmRecord alarm = VisibleAlarm(c);
  if (const auto refusal = core::RefuseAlarmAction(alarm, /*close=*/false, "")) Refuse(*refusal);
  store::AlarmStore alarms(c.db);
  alarms.Acknowledge(alarm.id, c.principal.name, Now());
  return JsonReply(codec::EncodeAlarm(*alarms.Find(alarm.id, "")));
}

Response Close(Call& c) {
  c.Require(Capability::kReview);
  std::string error;
  const auto reason = codec::DecodeCloseAlarm(c.request.body(), &error);
  if (!reason) Fail(bhttp::status::bad_request, error);
  const core::AlarmRecord alarm = VisibleAlarm(c);
  if (const auto refusal = core::RefuseAlarmAction(alarm, /*close=*/true, *reason)) Refuse(*refusal);
  store::AlarmStore alarms(c.db);
  alarms.Close(alarm.id, c.principal.name, *reason, Now());
  return JsonReply(codec::EncodeAlarm(*alarms.Find(alarm.id, "")));
}

}  // namespace

std::vector<Route> AlarmRoutes() {
  return {{bhttp::verb::get, "/alarms", Alarms},
          {bhttp::verb::get, "/alarms/{id}", Alarm},
          {bhttp::verb::post, "/alarms/{id}/acknowledge", Acknowledge},
          {bhttp::verb::post, "/alarms/{id}/close", Close}};
}

}  // namespace fieldproof::http
