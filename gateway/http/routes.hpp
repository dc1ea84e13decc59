#pragma once
// The API's routes: each resource's file lists its own (method, path, handler); Api::Handle
// finds the one a request names. A path segment written "{name}" matches any one segment
// and is handed to the handler in Call::args.
#include <string_view>
#include <vector>

#include "gateway/http/api_call.hpp"

namespace fieldproof::http {

struct Route {
  bhttp::verb method;
  std::string_view path;  // Below /api/v1, e.g. "/inspections/{id}".
  Response (*handle)(Call& call);
};

std::vector<Route> SiteRoutes();        // sites, coverage, assets, records
std::vector<Route> InspectionRoutes();  // inspections, reviews
std::vector<Route> InvoiceRoutes();     // invoices, exports
std::vector<Route> OperatorRoutes();    // me, rejected
std::vector<Route> PhotoRoutes();       // photos
std::vector<Route> PlanRoutes();        // floor plans and maps
std::vector<Route> AlarmRoutes();       // alarms from telemetry
std::vector<Route> HandheldRoutes();    // handheld/snapshot

// POST /api/v1/enrol, the one route without a bearer token (enrol_route.cpp).
Response Enrol(store::Database& db, const Request& request, const ApiOptions& options);

}  // namespace fieldproof::http
