#include "gateway/http/api.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <span>

#include "gateway/codec/view_codec.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/http/static_assets.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/token_store.hpp"

namespace fieldproof::http {
namespace {

// The connection of this server thread.
store::Database& Connection(const std::string& path) {
  thread_local std::map<std::string, std::unique_ptr<store::Database>> connections;
  auto& db = connections[path];
  if (!db) db = std::make_unique<store::Database>(path);
  return *db;
}

const std::vector<Route>& AllRoutes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> all;
    for (auto part : {SiteRoutes, InspectionRoutes, InvoiceRoutes, OperatorRoutes, PhotoRoutes,
                      PlanRoutes, AlarmRoutes, HandheldRoutes}) {
      for (const Route& route : part()) all.push_back(route);
    }
    return all;
  }();
  return routes;
}

// `segments` below /api/v1 against a route's path; the {parameters} go to `args`.
bool Matches(std::string_view path, std::span<const std::string> segments,
             std::vector<std::string>& args) {
  args.clear();
  std::size_t i = 0;
  for (std::size_t start = 1; start <= path.size(); ++i) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view pattern = path.substr(start, end - start);
    if (i == segments.size()) return false;
    if (pattern.starts_with('{')) {
      args.push_back(segments[i]);
    } else if (pattern != segments[i]) {
      return false;
    }
    start = end + 1;
  }
  return i == segments.size();
}

Response Health(store::Database& db, const Request& request, const ApiOptions& options) {
  if (request.method() != bhttp::verb::get && request.method() != bhttp::verb::head) {
    Response res = Reply(bhttp::status::method_not_allowed,
                         codec::EncodeError("/healthz answers GET and HEAD"));
    res.set(bhttp::field::allow, "GET, HEAD");
    return res;
  }
  codec::Health health{"ok", store::SchemaVersion(db), ""};
  health.intake = options.intake_problem ? options.intake_problem() : "";
  if (health.intake.empty()) return JsonReply(codec::EncodeHealth(health));
  health.status = "intake_paused";
  return Reply(bhttp::status::service_unavailable, codec::EncodeHealth(health));
}

// The origin ("ws://host:port") of a URL, for the app's Content-Security-Policy.
std::string OriginOf(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  return std::string(url.substr(0, url.find('/', scheme_end + 3)));
}

// The dashboard and the handheld app: static files with no data in them, so no token; each
// page asks for its own. The app also talks to the broker's device listener.
Response StaticFile(const Request& request, const ApiOptions& options) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/") {
    Response res = Reply(bhttp::status::found, "", "text/plain");
    res.set(bhttp::field::location, "/dashboard/");
    return res;
  }
  const StaticAsset* asset = FindStaticAsset(path);
  if (!asset) Fail(bhttp::status::not_found, "no such file");
  Response res =
      Reply(bhttp::status::ok, std::string(asset->body), std::string(asset->content_type).c_str());
  res.set(bhttp::field::cache_control, "no-cache");
  // Inline style attributes colour the heat map; scripts stay same-origin only; blob: shows
  // the photos a handheld has taken but not yet sent.
  std::string connect = "'self'";
  if (const std::string devices = OriginOf(options.devices_url); !devices.empty()) connect += " " + devices;
  res.set("Content-Security-Policy",
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src " +
              connect + "; frame-ancestors 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  return res;
}

core::Principal Authenticate(store::Database& db, const Request& request) {
  const auto auth = request[bhttp::field::authorization];
  if (auth.size() <= 7 || auth.substr(0, 7) != "Bearer ") {
    Fail(bhttp::status::unauthorized, "an API token is needed: Authorization: Bearer <token>");
  }
  store::TokenStore tokens(db, crypto::Sha256Hex);
  auto principal = tokens.Find(std::string(auth.substr(7)));
  if (!principal) Fail(bhttp::status::unauthorized, "unknown or revoked token");
  return std::move(*principal);
}

Response Metrics(store::Database& db, const Request& request, const ApiOptions& options) {
  if (request.method() != bhttp::verb::get) {
    Fail(bhttp::status::method_not_allowed, "/metrics answers GET");
  }
  if (const auto principal = Authenticate(db, request);
      !principal.May(core::Capability::kOperate)) {
    Fail(bhttp::status::forbidden,
         "role " + std::string(core::ToString(principal.role)) + " may not do this");
  }
  return Reply(bhttp::status::ok, options.metrics ? options.metrics() : "",
               "text/plain; version=0.0.4");
}

// The route the path and method name: 404 for a path no route has, 405 (with Allow) for a
// method it does not answer; both before the token is looked at.
Response Dispatch(store::Database& db, const Request& request, const Target& target,
                  const ApiOptions& options) {
  const std::span<const std::string> below(target.segments.begin() + 2, target.segments.end());
  std::vector<std::string> args;
  std::string allowed;
  for (const auto& route : AllRoutes()) {
    if (!Matches(route.path, below, args)) continue;
    if (route.method == request.method()) {
      Call call(request, target, std::move(args), db, Authenticate(db, request), options);
      return route.handle(call);
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(bhttp::to_string(route.method));
  }
  if (allowed.empty()) Fail(bhttp::status::not_found, "no such resource");
  Response res = Reply(bhttp::status::method_not_allowed,
                       codec::EncodeError("this resource answers " + allowed));
  res.set(bhttp::field::allow, allowed);
  return res;
}

}  // namespace

Api::Api(ApiOptions options) : options_(std::move(options)) {}

bool Api::IsQuick(const Request& request) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  return path == "/healthz" || path == "/metrics" || path == "/" || path.starts_with("/dashboard") ||
         path.starts_with("/app");
}

Response Api::Handle(const Request& request) const {
  try {
    const auto target =
        ParseTarget(std::string_view(request.target().data(), request.target().size()));
    if (!target) Fail(bhttp::status::bad_request, "malformed request target");
    const auto& seg = target->segments;
    store::Database& db = Connection(options_.db_path);
    if (seg.size() == 1 && seg[0] == "healthz") return Health(db, request, options_);
    if (request.method() == bhttp::verb::get && (seg.empty() || seg[0] == "dashboard" || seg[0] == "app")) {
      return StaticFile(request, options_);
    }
    if (seg.size() == 1 && seg[0] == "metrics") return Metrics(db, request, options_);
    if (seg.size() < 2 || seg[0] != "api" || seg[1] != "v1") {
      Fail(bhttp::status::not_found, "no such resource");
    }
    if (seg.size() == 3 && seg[2] == "enrol") return Enrol(db, request, options_);
    return Dispatch(db, request, *target, options_);
  } catch (const HttpError& e) {
    Response res = Reply(e.status, codec::EncodeError(e.message));
    if (e.status == bhttp::status::unauthorized) res.set(bhttp::field::www_authenticate, "Bearer");
    return res;
  }
}

}  // namespace fieldproof::http
