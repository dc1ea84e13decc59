#include "gateway/http/api.hpp"

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "gateway/billing/invoice_ledger.hpp"
#include "gateway/codec/billing_codec.hpp"
#include "gateway/codec/coverage_codec.hpp"
#include "gateway/core/local_time.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/export/csv_export.hpp"
#include "gateway/export/ubl_writer.hpp"
#include "gateway/http/dashboard_assets.hpp"
#include "gateway/http/target.hpp"
#include "gateway/store/coverage_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/owner_filter.hpp"
#include "gateway/store/token_store.hpp"
#include "gateway/verify/review.hpp"

namespace fieldproof::http {
namespace {

namespace bhttp = boost::beast::http;
using json = nlohmann::ordered_json;
using core::Capability;

constexpr std::int64_t kMaxPage = 500;

core::UnixMillis Now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Response Reply(bhttp::status status, std::string body, const char* type = "application/json") {
  Response res{status, 11};
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

// Error messages echo the request's ids and parameters, which may not be valid UTF-8:
// such bytes become U+FFFD instead of an exception (a client must not cause a 500).
std::string Dump(const json& body, int indent) {
  return body.dump(indent, ' ', false, json::error_handler_t::replace) + "\n";
}

Response Json(const json& body) { return Reply(bhttp::status::ok, Dump(body, 2)); }

Response Error(bhttp::status status, const std::string& message) {
  return Reply(status, Dump(json{{"error", message}}, -1));
}

// Thrown by the request helpers; becomes an error response.
struct HttpError {
  bhttp::status status;
  std::string message;
};

[[noreturn]] void Fail(bhttp::status status, std::string message) {
  throw HttpError{status, std::move(message)};
}

// A person's command refused by the core: each kind has its status.
[[noreturn]] void Refuse(const core::Refusal& refusal) {
  switch (refusal.kind) {
    case core::RefusalKind::kNotFound: Fail(bhttp::status::not_found, refusal.detail);
    case core::RefusalKind::kConflict: Fail(bhttp::status::conflict, refusal.detail);
    case core::RefusalKind::kInvalid: Fail(bhttp::status::unprocessable_entity, refusal.detail);
    case core::RefusalKind::kForbidden: Fail(bhttp::status::forbidden, refusal.detail);
  }
  Fail(bhttp::status::internal_server_error, refusal.detail);
}

// The connection of this server thread.
store::Database& Connection(const std::string& path) {
  thread_local std::map<std::string, std::unique_ptr<store::Database>> connections;
  auto& db = connections[path];
  if (!db) db = std::make_unique<store::Database>(path);
  return *db;
}

std::int64_t IntParam(const Target& t, const std::string& key, std::int64_t fallback,
                      std::int64_t min, std::int64_t max) {
  const auto it = t.query.find(key);
  if (it == t.query.end()) return fallback;
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

// ?limit= (1 to 500, default 100) and ?offset= of a paged list.
std::pair<std::int64_t, std::int64_t> PageParams(const Target& t) {
  return {IntParam(t, "limit", 100, 1, kMaxPage), IntParam(t, "offset", 0, 0, INT64_MAX / 2)};
}

std::string Param(const Target& t, const std::string& key) {
  const auto it = t.query.find(key);
  return it == t.query.end() ? std::string() : it->second;
}

// A request with its principal and connection.
class Call {
 public:
  Call(const Request& request, const Target& target, store::Database& db, core::Principal principal)
      : request(request), target(target), db(db), principal(std::move(principal)) {}

  void Require(Capability capability) const {
    if (!principal.May(capability)) {
      Fail(bhttp::status::forbidden,
           "role " + std::string(core::ToString(principal.role)) + " may not do this");
    }
  }

  // The customer whose assets an owner sees; empty for every other role (they see all).
  // Visibility follows the asset's owner, never the site alone: owners share sites.
  std::string Owner() const {
    return principal.role == core::Role::kOwner ? principal.customer_id : std::string();
  }

  // A site is visible when it has assets, for an owner assets of the owner's customer.
  bool Sees(const std::string& site) {
    auto s =
        db.Prepare("SELECT 1 FROM assets WHERE site = ?1 AND (?2 = '' OR owner_id = ?2) LIMIT 1");
    s.Bind(1, site).Bind(2, Owner());
    const bool seen = s.Step();
    s.Reset();
    return seen;
  }

  // An inspection or record is visible with its asset; one without a registered asset
  // (an unknown tag) only to roles that see every customer.
  bool SeesAsset(const std::string& site, const std::string& asset_id) {
    if (Owner().empty()) return true;
    auto s = db.Prepare("SELECT 1 FROM assets WHERE site = ?1 AND asset_id = ?2 AND owner_id = ?3");
    s.Bind(1, site).Bind(2, asset_id).Bind(3, Owner());
    const bool seen = s.Step();
    s.Reset();
    return seen;
  }

  // Every visible site, walking the assets' primary key from one site to the next.
  std::vector<std::string> Sites() {
    std::vector<std::string> sites;
    auto next = db.Prepare("SELECT site FROM assets WHERE site > ? ORDER BY site LIMIT 1");
    for (std::string after;;) {
      next.Bind(1, after);
      if (!next.Step()) break;
      after = next.Text(0);
      next.Reset();
      if (Sees(after)) sites.push_back(after);
    }
    return sites;
  }

  // The site named in the request, if visible; else 404 as if it did not exist.
  std::string Site(const std::string& site) {
    if (!Sees(site)) Fail(bhttp::status::not_found, "no site " + site);
    return site;
  }

  const Request& request;
  const Target& target;
  store::Database& db;
  core::Principal principal;
};

json Page(json items, std::int64_t limit, std::int64_t offset) {
  const bool more = static_cast<std::int64_t>(items.size()) > limit;
  if (more) items.erase(items.size() - 1);
  return {{"items", std::move(items)},
          {"limit", limit},
          {"offset", offset},
          {"next_offset", more ? json(offset + limit) : json(nullptr)}};
}

Response Sites(Call& c) {
  c.Require(Capability::kReadSites);
  json sites = json::array();
  auto s = c.db.Prepare("SELECT count(*) FROM assets WHERE site = ?1 AND (?2 = '' OR owner_id = ?2)");
  for (const auto& site : c.Sites()) {
    s.Bind(1, site).Bind(2, c.Owner());
    s.Step();
    sites.push_back({{"site", site}, {"assets", s.Int(0)}});
    s.Reset();
  }
  return Json({{"items", sites}});
}

Response Coverage(Call& c, const std::string& site) {
  c.Require(Capability::kReadSites);
  c.Site(site);
  core::UnixMillis as_of = Now();
  const std::string day = Param(c.target, "as_of");
  if (!day.empty()) {
    const auto end = core::EndOfDayUtc(day);
    if (!end) Fail(bhttp::status::bad_request, "as_of must be a date YYYY-MM-DD");
    as_of = *end;
  }
  const auto report = core::BuildCoverageReport(store::LoadCoverageInputs(
      c.db, {site, as_of, IntParam(c.target, "due_soon_days", 30, 0, 365), 12, 30, c.Owner()}));
  return Reply(
      bhttp::status::ok,
      codec::EncodeCoverageReport(
          report, static_cast<std::size_t>(IntParam(c.target, "overdue_limit", 100, 1, 100000))));
}

Response Assets(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string& site = c.Site(Param(c.target, "site"));
  const auto [limit, offset] = PageParams(c.target);
  auto s = c.db.Prepare(
      "SELECT asset_id, building, floor, location, asset_type, interval_days, sensor_equipped, "
      "(SELECT max(ended_at) FROM maintenance_records m WHERE m.site = a.site AND m.asset_id = "
      "a.asset_id "
      " AND m.verdict IN ('verified', 'verified_with_defects')) "
      "FROM assets a WHERE site = ?1 AND (?2 = '' OR building = ?2) AND (?3 < 0 OR floor = ?3) "
      "AND (?6 = '' OR owner_id = ?6) "
      "ORDER BY building, floor, asset_id LIMIT ?4 OFFSET ?5");
  s.Bind(1, site)
      .Bind(2, Param(c.target, "building"))
      .Bind(3, IntParam(c.target, "floor", -1, -100, 1000));
  s.Bind(4, limit + 1).Bind(5, offset).Bind(6, c.Owner());
  json items = json::array();
  while (s.Step()) {
    items.push_back(
        {{"site", site},
         {"asset_id", s.Text(0)},
         {"building", s.Text(1)},
         {"floor", s.Int(2)},
         {"location", s.Text(3)},
         {"asset_type", s.Text(4)},
         {"interval_days", s.Int(5)},
         {"sensor_equipped", s.Int(6) != 0},
         {"last_verified", s.IsNull(7) ? json(nullptr) : json(core::FormatRfc3339(s.Int(7)))}});
  }
  return Json(Page(std::move(items), limit, offset));
}

json InspectionJson(store::Statement& s) {
  return {{"id", s.Int(0)},
          {"site", s.Text(1)},
          {"asset_id", s.IsNull(2) ? json(nullptr) : json(s.Text(2))},
          {"technician_id", s.Text(3)},
          {"device_id", s.Text(4)},
          {"started_at", core::FormatRfc3339(s.Int(5))},
          {"ended_at", core::FormatRfc3339(s.Int(6))},
          {"verdict", s.Text(7)},
          {"strength", s.Text(8)}};
}

constexpr const char* kInspectionColumns =
    "i.id, i.site, i.asset_id, i.technician_id, i.device_id, i.started_at, i.ended_at, "
    "coalesce(r.decision, i.verdict), i.strength";

Response Inspections(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string& site = c.Site(Param(c.target, "site"));
  const auto [limit, offset] = PageParams(c.target);
  auto bound = [&](const char* key, core::UnixMillis fallback) {
    const std::string text = Param(c.target, key);
    if (text.empty()) return fallback;
    const auto t = core::ParseRfc3339(text);
    if (!t) Fail(bhttp::status::bad_request, std::string(key) + " must be an RFC 3339 time");
    return *t;
  };
  auto s = c.db.Prepare(
      std::string("SELECT ") + kInspectionColumns +
      " FROM inspections i LEFT JOIN reviews r ON r.inspection_id = i.id "
      "WHERE i.site = ?1 AND i.ended_at >= ?2 AND i.ended_at < ?3 "
      "AND (?4 = '' OR coalesce(r.decision, i.verdict) = ?4) AND (?5 = '' OR i.asset_id = ?5) "
      "AND " + store::OwnedBy("i", 8) + " ORDER BY i.ended_at DESC, i.id DESC LIMIT ?6 OFFSET ?7");
  s.Bind(1, site).Bind(2, bound("from", 0)).Bind(3, bound("to", INT64_MAX));
  s.Bind(4, Param(c.target, "verdict"))
      .Bind(5, Param(c.target, "asset"))
      .Bind(6, limit + 1)
      .Bind(7, offset)
      .Bind(8, c.Owner());
  json items = json::array();
  while (s.Step()) items.push_back(InspectionJson(s));
  return Json(Page(std::move(items), limit, offset));
}

Response Inspection(Call& c, const std::string& id_text) {
  c.Require(Capability::kReadSites);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size())
    Fail(bhttp::status::not_found, "no inspection " + id_text);
  auto s = c.db.Prepare(std::string("SELECT ") + kInspectionColumns +
                        ", i.start_tap_id, i.end_tap_id FROM inspections i LEFT JOIN reviews r ON "
                        "r.inspection_id = i.id "
                        "WHERE i.id = ?");
  s.Bind(1, id);
  if (!s.Step() || !c.Sees(s.Text(1)) || !c.SeesAsset(s.Text(1), s.IsNull(2) ? "" : s.Text(2)))
    Fail(bhttp::status::not_found, "no inspection " + id_text);
  json j = InspectionJson(s);
  const std::int64_t taps[] = {s.Int(9), s.Int(10)};
  s.Reset();
  json checks = json::array();
  auto cs = c.db.Prepare(
      "SELECT name, status, detail FROM inspection_checks WHERE inspection_id = ? ORDER BY seq");
  cs.Bind(1, id);
  while (cs.Step())
    checks.push_back({{"name", cs.Text(0)}, {"status", cs.Text(1)}, {"detail", cs.Text(2)}});
  j["checks"] = std::move(checks);
  json evidence = json::array();
  auto ev = c.db.Prepare(
      "SELECT e.tap_id, e.kind, t.msg_id, e.tag_uid, e.read_counter, e.read_at, e.authentic, "
      "e.tag_detail, "
      "e.freshness, e.freshness_detail, e.timing, e.timing_detail, e.clock_offset_ms "
      "FROM tap_evidence e JOIN taps t ON t.id = e.tap_id WHERE "
      "e.tap_id IN (?, ?) "
      "ORDER BY e.tap_id");
  ev.Bind(1, taps[0]).Bind(2, taps[1]);
  while (ev.Step()) {
    evidence.push_back({{"tap_id", ev.Int(0)},
                        {"kind", ev.Text(1)},
                        {"msg_id", ev.Text(2)},
                        {"tag_uid", ev.IsNull(3) ? json(nullptr) : json(ev.Text(3))},
                        {"read_counter", ev.IsNull(4) ? json(nullptr) : json(ev.Int(4))},
                        {"read_at", core::FormatRfc3339(ev.Int(5))},
                        {"authentic", ev.Int(6) != 0},
                        {"tag_detail", ev.Text(7)},
                        {"freshness", ev.Text(8)},
                        {"freshness_detail", ev.Text(9)},
                        {"timing", ev.Text(10)},
                        {"timing_detail", ev.Text(11)},
                        {"clock_offset_ms", ev.Int(12)}});
  }
  j["taps"] = std::move(evidence);
  // By inspection id alone: with the site too, SQLite would walk the site's whole chain in
  // seq order instead of using the index.
  auto rec = c.db.Prepare(
      "SELECT seq, kind, hash FROM maintenance_records WHERE inspection_id = ? ORDER BY seq");
  rec.Bind(1, id);
  json records = json::array();
  while (rec.Step())
    records.push_back({{"seq", rec.Int(0)}, {"kind", rec.Text(1)}, {"hash", rec.Text(2)}});
  j["maintenance_records"] = std::move(records);
  return Json(j);
}

Response Invoices(Call& c) {
  c.Require(Capability::kReadInvoices);
  billing::InvoiceLedger ledger(c.db);
  const std::string customer = c.principal.role == core::Role::kOwner ? c.principal.customer_id
                                                                      : Param(c.target, "customer");
  json items = json::array();
  for (const auto& i : ledger.List(Param(c.target, "period"), customer)) {
    items.push_back({{"number", i.number},
                     {"type", core::ToString(i.type)},
                     {"customer_id", i.customer_id},
                     {"period", i.period},
                     {"issue_date", i.issue_date},
                     {"currency", i.currency},
                     {"total", core::FormatAmount(i.total)},
                     {"lines", i.lines},
                     {"preceding_invoice", i.preceding_number}});
  }
  return Json({{"items", items}});
}

Response Invoice(Call& c, const std::string& number) {
  c.Require(Capability::kReadInvoices);
  billing::InvoiceLedger ledger(c.db);
  const auto inv = ledger.Get(number);
  if (!inv || !c.principal.SeesCustomer(inv->customer_id))
    Fail(bhttp::status::not_found, "no invoice " + number);
  if (Param(c.target, "format") == "ubl")
    return Reply(bhttp::status::ok, exporter::WriteUbl(*inv), "application/xml");
  return Reply(bhttp::status::ok, codec::EncodeInvoice(*inv) + "\n");
}

Response Records(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string site = c.Site(Param(c.target, "site"));
  const auto [limit, offset] = PageParams(c.target);
  auto s = c.db.Prepare(
      "SELECT seq, kind, inspection_id, asset_id, technician_id, started_at, ended_at, verdict, "
      "next_due_at, work_order_id, reviewer, reason, prev_hash, hash FROM maintenance_records m "
      "WHERE site = ?1 AND (?2 = '' OR asset_id = ?2) AND " + store::OwnedBy("m", 5) +
      " ORDER BY seq DESC LIMIT ?3 OFFSET ?4");
  s.Bind(1, site).Bind(2, Param(c.target, "asset")).Bind(3, limit + 1).Bind(4, offset);
  s.Bind(5, c.Owner());
  json items = json::array();
  while (s.Step()) {
    items.push_back(
        {{"site", site},
         {"seq", s.Int(0)},
         {"kind", s.Text(1)},
         {"inspection_id", s.Int(2)},
         {"asset_id", s.Text(3)},
         {"technician_id", s.Text(4)},
         {"started_at", core::FormatRfc3339(s.Int(5))},
         {"ended_at", core::FormatRfc3339(s.Int(6))},
         {"verdict", s.Text(7)},
         {"next_due_at", s.IsNull(8) ? json(nullptr) : json(core::FormatRfc3339(s.Int(8)))},
         {"work_order_id", s.Text(9)},
         {"reviewer", s.Text(10)},
         {"reason", s.Text(11)},
         {"prev_hash", s.Text(12)},
         {"hash", s.Text(13)}});
  }
  return Json(Page(std::move(items), limit, offset));
}

// A period's invoices and credit notes as the ERP export (docs/billing.md), an owner's own only.
Response Export(Call& c, const std::string& file) {
  c.Require(Capability::kReadInvoices);
  const auto dot = file.rfind('.');
  const std::string format = dot == std::string::npos ? "" : file.substr(dot + 1);
  const auto period = core::ParsePeriod(file.substr(0, dot));
  if (!period || (format != "csv" && format != "json")) {
    Fail(bhttp::status::not_found, "exports are /api/v1/exports/YYYY-MM.csv or .json");
  }
  billing::InvoiceLedger ledger(c.db);
  std::vector<core::Invoice> documents;
  const std::string customer = Param(c.target, "customer");
  for (auto& d : ledger.DocumentsOf(*period)) {
    if (c.principal.SeesCustomer(d.customer_id) &&
        (customer.empty() || c.principal.role == core::Role::kOwner || d.customer_id == customer)) {
      documents.push_back(std::move(d));
    }
  }
  if (format == "csv")
    return Reply(bhttp::status::ok, exporter::WriteInvoiceCsv(documents),
                 "text/csv; charset=utf-8");
  return Reply(bhttp::status::ok, codec::EncodeInvoiceExport(core::ToString(*period), documents));
}

// Inspections that need a person's decision.
Response OpenReviews(Call& c) {
  c.Require(Capability::kReview);
  auto s = c.db.Prepare(
      std::string("SELECT ") + kInspectionColumns +
      " FROM inspections i LEFT JOIN reviews r ON r.inspection_id = i.id "
      "WHERE i.verdict = 'needs_review' AND r.inspection_id IS NULL AND (?1 = '' OR i.site = ?1) "
      "ORDER BY i.ended_at LIMIT 500");
  s.Bind(1, Param(c.target, "site"));
  json items = json::array();
  while (s.Step()) items.push_back(InspectionJson(s));
  return Json({{"items", items}});
}

// {"inspection_id": N, "decision": "verified" | "rejected", "reason": "..."}; the token's name
// is the reviewer of record.
Response Review(Call& c) {
  c.Require(Capability::kReview);
  const auto body = nlohmann::json::parse(c.request.body(), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("inspection_id") ||
      !body["inspection_id"].is_number_integer() || !body.contains("decision") ||
      !body["decision"].is_string() || !body.contains("reason") || !body["reason"].is_string()) {
    Fail(
        bhttp::status::bad_request,
        R"(body must be {"inspection_id": N, "decision": "verified"|"rejected", "reason": "..."})");
  }
  const std::string decision = body["decision"];
  if (decision != "verified" && decision != "rejected")
    Fail(bhttp::status::bad_request, "decision must be verified or rejected");
  const std::int64_t id = body["inspection_id"];
  auto site = c.db.Prepare("SELECT site FROM inspections WHERE id = ?");
  site.Bind(1, id);
  if (!site.Step() || !c.Sees(site.Text(0)))
    Fail(bhttp::status::not_found, "no inspection " + std::to_string(id));
  site.Reset();
  const auto record = verify::ResolveReview(
      c.db, {id, decision == "verified", body["reason"].get<std::string>(), c.principal.name},
      Now());
  if (!record.ok()) Refuse(record.error());
  return Json({{"inspection_id", id},
               {"decision", decision},
               {"reviewer", c.principal.name},
               {"maintenance_record",
                {{"site", record.value().site},
                 {"seq", record.value().seq},
                 {"hash", record.value().hash}}}});
}

Response Rejected(Call& c) {
  c.Require(Capability::kOperate);
  const auto [limit, offset] = PageParams(c.target);
  auto s = c.db.Prepare(
      "SELECT id, coalesce(site, ''), topic, reason, detail, times_seen, received_at FROM "
      "rejected_messages "
      "WHERE ?1 = '' OR site = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  s.Bind(1, Param(c.target, "site")).Bind(2, limit + 1).Bind(3, offset);
  json items = json::array();
  while (s.Step()) {
    items.push_back({{"id", s.Int(0)},
                     {"site", s.Text(1)},
                     {"topic", s.Text(2)},
                     {"reason", s.Text(3)},
                     {"detail", s.Text(4)},
                     {"times_seen", s.Int(5)},
                     {"received_at", core::FormatRfc3339(s.Int(6))}});
  }
  return Json(Page(std::move(items), limit, offset));
}

}  // namespace

Api::Api(ApiOptions options) : options_(std::move(options)) {}

bool Api::IsQuick(const Request& request) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  return path == "/healthz" || path == "/metrics" || path == "/" || path.starts_with("/dashboard");
}

Response Api::Handle(const Request& request) const {
  try {
    const auto target =
        ParseTarget(std::string_view(request.target().data(), request.target().size()));
    if (!target) Fail(bhttp::status::bad_request, "malformed request target");
    const auto& seg = target->segments;
    store::Database& db = Connection(options_.db_path);
    if (seg.size() == 1 && seg[0] == "healthz") {
      if (request.method() != bhttp::verb::get && request.method() != bhttp::verb::head) {
        Response res = Error(bhttp::status::method_not_allowed, "/healthz answers GET and HEAD");
        res.set(bhttp::field::allow, "GET, HEAD");
        return res;
      }
      db.QueryInt("SELECT count(*) FROM sqlite_master");
      json health = {{"status", "ok"}, {"schema_version", db.QueryInt("PRAGMA user_version")}};
      const std::string problem = options_.intake_problem ? options_.intake_problem() : "";
      if (problem.empty()) return Json(health);
      health["status"] = "intake_paused";
      health["intake"] = problem;
      return Reply(bhttp::status::service_unavailable, Dump(health, 2));
    }
    // The dashboard: static files with no data in them, so no token; the page asks for one.
    if (request.method() == bhttp::verb::get && (seg.empty() || seg[0] == "dashboard")) {
      if (seg.empty()) {
        Response res = Reply(bhttp::status::found, "", "text/plain");
        res.set(bhttp::field::location, "/dashboard/");
        return res;
      }
      const std::string_view path(request.target().data(), request.target().size());
      const StaticAsset* asset = FindDashboardAsset(path.substr(0, path.find('?')));
      if (!asset) Fail(bhttp::status::not_found, "no such file");
      Response res = Reply(bhttp::status::ok, std::string(asset->body),
                           std::string(asset->content_type).c_str());
      res.set(bhttp::field::cache_control, "no-cache");
      // Inline style attributes colour the heat map; scripts stay same-origin only.
      res.set("Content-Security-Policy",
              "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
      res.set("X-Content-Type-Options", "nosniff");
      return res;
    }
    const bool api = seg.size() >= 2 && seg[0] == "api" && seg[1] == "v1";
    const bool metrics = seg.size() == 1 && seg[0] == "metrics";
    if (!api && !metrics) Fail(bhttp::status::not_found, "no such resource");
    const bool post_review =
        request.method() == bhttp::verb::post && seg.size() == 3 && seg[2] == "reviews";
    if (request.method() != bhttp::verb::get && !post_review) {
      Fail(bhttp::status::method_not_allowed, "only GET here (and POST /api/v1/reviews)");
    }

    const auto auth = request[bhttp::field::authorization];
    if (auth.size() <= 7 || auth.substr(0, 7) != "Bearer ") {
      Fail(bhttp::status::unauthorized, "an API token is needed: Authorization: Bearer <token>");
    }
    store::TokenStore tokens(db, crypto::Sha256Hex);
    auto principal = tokens.Find(std::string(auth.substr(7)));
    if (!principal) Fail(bhttp::status::unauthorized, "unknown or revoked token");
    Call call(request, *target, db, std::move(*principal));

    if (metrics) {
      call.Require(Capability::kOperate);
      return Reply(bhttp::status::ok, options_.metrics ? options_.metrics() : "",
                   "text/plain; version=0.0.4");
    }
    const std::vector<std::string> path(seg.begin() + 2, seg.end());
    if (path == std::vector<std::string>{"me"}) {
      return Json({{"name", call.principal.name},
                   {"role", core::ToString(call.principal.role)},
                   {"customer_id", call.principal.customer_id}});
    }
    if (path == std::vector<std::string>{"sites"}) return Sites(call);
    if (path.size() == 3 && path[0] == "sites" && path[2] == "coverage")
      return Coverage(call, path[1]);
    if (path == std::vector<std::string>{"assets"}) return Assets(call);
    if (path == std::vector<std::string>{"inspections"}) return Inspections(call);
    if (path.size() == 2 && path[0] == "inspections") return Inspection(call, path[1]);
    if (path == std::vector<std::string>{"invoices"}) return Invoices(call);
    if (path.size() == 2 && path[0] == "invoices") return Invoice(call, path[1]);
    if (path == std::vector<std::string>{"rejected"}) return Rejected(call);
    if (path == std::vector<std::string>{"records"}) return Records(call);
    if (path.size() == 2 && path[0] == "exports") return Export(call, path[1]);
    if (path == std::vector<std::string>{"reviews"})
      return post_review ? Review(call) : OpenReviews(call);
    Fail(bhttp::status::not_found, "no such resource");
  } catch (const HttpError& e) {
    Response res = Error(e.status, e.message);
    if (e.status == bhttp::status::unauthorized) res.set(bhttp::field::www_authenticate, "Bearer");
    return res;
  }
}

}  // namespace fieldproof::http
