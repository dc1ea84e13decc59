#pragma once
// The gateway's HTTP API (docs/api.md): JSON under /api/v1, /healthz, Prometheus /metrics.
// Every /api and /metrics request needs `Authorization: Bearer <token>`; the token's role
// decides what it may do and an owner's token sees only its customer's assets (with their
// inspections, records and coverage, even on a site other owners share) and invoices.
// Objects outside a principal's view answer 404, exactly as if they did not exist.
// Thread-safe: each server thread uses its own SQLite connection.
#include <functional>
#include <string>
#include <vector>

#include "gateway/core/inspection.hpp"

#include "gateway/http/http_server.hpp"

namespace fieldproof::http {

struct ApiOptions {
  std::string db_path;
  // Prometheus text for /metrics; the gateway's counters.
  std::function<std::string()> metrics;
  // Why intake is paused, empty while it flows; /healthz answers 503 with it.
  std::function<std::string()> intake_problem;
  // Opens a handheld's broker account (site, device id, password); throws saying why it
  // cannot. Unset: this gateway enrols no handhelds (POST /api/v1/enrol answers 503).
  std::function<void(const std::string&, const std::string&, const std::string&)>
      open_device_account;
  std::string devices_url;  // Where enrolled handhelds connect (their MQTT over WebSockets).
  // Each asset type's checklist and minimum stay, for the handhelds' site snapshot.
  std::vector<core::AssetTypePolicy> asset_types;
};

// Routes are one file per resource (site_routes.cpp, inspection_routes.cpp, ...; routes.hpp).
class Api {
 public:
  explicit Api(ApiOptions options);
  Response Handle(const Request& request) const;
  // Health, metrics and the dashboard's static files: answered without waiting behind the
  // API's queue (HttpServer's QuickFilter), so they stay fast under any API load.
  static bool IsQuick(const Request& request);

 private:
  ApiOptions options_;
};

}  // namespace fieldproof::http
