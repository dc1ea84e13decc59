// The HTTP API against a real gateway: tokens and roles, and tenant isolation on every
// endpoint — two facility owners, two sites, and neither sees anything of the other's:
// not in lists, not by guessing an id, not in exports, not in metrics. A third owner, a
// tenant, owns every other asset of FRA: owners sharing a site see only their own assets.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "gateway/crypto/sha256.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

class ApiTest : public SiteTest {
 protected:
  void SetUp() override {
    SiteTest::SetUp();
    ShareFraWithATenant();
    // A second customer's airport, on the same gateway.
    std::vector<std::string> muc = {
        "--seed",   "9", "--site",        "MUC", "--assets",       "200", "--buildings", "2",
        "--floors", "2", "--technicians", "4",   "--sensor-ratio", "0.3"};
    std::vector<std::string> generate = {FIELDPROOF_SIM_BIN, "generate", "--out", dir / "muc"};
    generate.insert(generate.end(), muc.begin(), muc.end());
    ASSERT_EQ(RunToCompletion(generate, dir).exit_code, 0);
    for (const char* what : {"assets", "technicians", "devices"}) {
      ASSERT_EQ(Cli({"import", what, dir / ("muc/" + std::string(what) + ".csv")}).exit_code, 0);
    }
    auto args = VerifyingGatewayArgs(dir);
    args.insert(args.end(), {"--devices-broker", devices_broker.devices_uri(),
                             "--broker-admin-file", devices_broker.admin_file()});
    gateway = std::make_unique<Gateway>(dir, broker, args);
    const auto fra_sent = RunSim(dir, broker, {"--messages", "800"});
    std::vector<std::string> sim = {FIELDPROOF_SIM_BIN, "run",      "--broker",   broker.uri(),
                                    "--master-key",     kMasterKey, "--messages", "800",
                                    "--client-id",      "sim-muc"};
    sim.insert(sim.end(), muc.begin(), muc.end());
    const RunResult muc_run = RunToCompletion(sim, dir);
    ASSERT_EQ(muc_run.exit_code, 0);
    const auto muc_sent = SimSummary(muc_run.out);
    auto sum = [&](const char* key) { return fra_sent[key].get<std::int64_t>() + muc_sent[key].get<std::int64_t>(); };
    WaitForRows(db, sum("taps"), sum("telemetry"), 0);
    ASSERT_TRUE(WaitForVerification(db));

    // Both customers have contracts and a closed month.
    std::ifstream in(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/contracts/OWN-FRA.json");
    std::stringstream text;
    text << in.rdbuf();
    std::string contract = text.str();
    std::ofstream(dir / "fra.json") << contract;
    for (auto [from, to] :
         std::vector<std::pair<std::string, std::string>>{{"C-FRA-2026-01", "C-MUC-2026-01"},
                                                          {"\"OWN-FRA\"", "\"OWN-MUC\""},
                                                          {"[\"FRA\"]", "[\"MUC\"]"}}) {
      contract.replace(contract.find(from), from.size(), to);
    }
    std::ofstream(dir / "muc.json") << contract;
    ASSERT_EQ(Cli({"contract", "import", dir / "fra.json"}).exit_code, 0);
    ASSERT_EQ(Cli({"contract", "import", dir / "muc.json"}).exit_code, 0);
    ASSERT_EQ(
        Cli({"invoice", "close", "--period", "2026-11", "--issue-date", "2026-12-01"}).exit_code,
        0);

    for (auto [name, role, customer] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"owner-fra", "owner", "OWN-FRA"},
             {"owner-muc", "owner", "OWN-MUC"},
             {"owner-tnt", "owner", "OWN-TNT"},
             {"billing", "billing", ""},
             {"supervisor", "supervisor", ""},
             {"admin", "admin", ""}}) {
      std::vector<std::string> args = {"token", "create", "--name", name, "--role", role};
      if (!customer.empty()) args.insert(args.end(), {"--customer", customer});
      const auto created = Cli(args);
      ASSERT_EQ(created.exit_code, 0) << created.out;
      tokens[name] = created.out.substr(0, created.out.find('\n'));
    }
    port = gateway->HttpPort();
  }
  void TearDown() override {
    if (gateway) {
      EXPECT_EQ(gateway->Stop(), 0);
    }
  }

  // The CAFM export again, every other shutter now the tenant's (OWN-TNT), imported again.
  void ShareFraWithATenant() {
    std::istringstream in(ReadText(dir / "site/assets.csv"));
    std::ofstream out(dir / "site/assets-shared.csv");
    int row = 0;
    for (std::string line; std::getline(in, line); ++row) {
      const auto owner = line.find(",OWN-FRA,");
      if (row % 2 == 0 && owner != std::string::npos) line.replace(owner, 9, ",OWN-TNT,");
      out << line << "\n";
    }
    out.close();
    ASSERT_EQ(Cli({"import", "assets", dir / "site/assets-shared.csv"}).exit_code, 0);
  }

  std::set<std::string> AssetsOf(const std::string& owner) {
    store::Database database(db);
    auto s = database.Prepare("SELECT asset_id FROM assets WHERE site = 'FRA' AND owner_id = ?");
    s.Bind(1, owner);
    std::set<std::string> ids;
    while (s.Step()) ids.insert(s.Text(0));
    return ids;
  }

  RunResult Cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunToCompletion(argv, dir);
  }
  HttpResult Get(const std::string& who, const std::string& target) {
    return HttpGet(port, target, tokens[who]);
  }
  nlohmann::json GetJson(const std::string& who, const std::string& target) {
    const auto r = Get(who, target);
    EXPECT_EQ(r.status, 200) << who << " " << target << ": " << r.body;
    return nlohmann::json::parse(r.body);
  }
  std::string OneOf(const std::string& sql) {
    store::Database database(db);
    auto s = database.Prepare(sql);
    EXPECT_TRUE(s.Step()) << sql;
    return s.Text(0);
  }

  // Handhelds enrol on a broker of their own here (the intake broker is SiteTest's).
  ScratchDir devices_dir;
  Broker devices_broker{devices_dir, {}, Broker::Devices::kWebSockets};
  std::unique_ptr<Gateway> gateway;
  std::map<std::string, std::string> tokens;
  int port = 0;
};

TEST_F(ApiTest, OwnersSeeOnlyTheirOwnSitesOnEveryEndpoint) {
  const std::string muc_inspection = OneOf("SELECT id FROM inspections WHERE site = 'MUC' LIMIT 1");
  const std::string fra_inspection = OneOf(
      "SELECT i.id FROM inspections i JOIN assets a ON a.site = i.site AND a.asset_id = i.asset_id "
      "WHERE a.owner_id = 'OWN-FRA' LIMIT 1");
  const std::string muc_invoice =
      OneOf("SELECT number FROM invoices WHERE customer_id = 'OWN-MUC'");
  const std::string fra_invoice =
      OneOf("SELECT number FROM invoices WHERE customer_id = 'OWN-FRA'");

  // Lists hold only the owner's own.
  const auto sites = GetJson("owner-fra", "/api/v1/sites");
  ASSERT_EQ(sites["items"].size(), 1u);
  EXPECT_EQ(sites["items"][0]["site"], "FRA");
  const auto invoices = GetJson("owner-fra", "/api/v1/invoices");
  ASSERT_EQ(invoices["items"].size(), 1u);
  EXPECT_EQ(invoices["items"][0]["number"], fra_invoice);
  EXPECT_EQ(GetJson("owner-fra", "/api/v1/invoices?customer=OWN-MUC")["items"][0]["number"],
            fra_invoice)
      << "an owner cannot widen the filter";

  // Their own objects are there ...
  EXPECT_EQ(Get("owner-fra", "/api/v1/sites/FRA/coverage").status, 200);
  EXPECT_EQ(GetJson("owner-fra", "/api/v1/assets?site=FRA&limit=5")["items"].size(), 5u);
  EXPECT_GT(GetJson("owner-fra", "/api/v1/inspections?site=FRA")["items"].size(), 0u);
  const auto inspection = GetJson("owner-fra", "/api/v1/inspections/" + fra_inspection);
  EXPECT_EQ(inspection["site"], "FRA");
  ASSERT_EQ(inspection["taps"].size(), 2u);
  for (const auto& tap : inspection["taps"]) {
    // The accelerated simulator's gateway runs without clock correction.
    EXPECT_EQ(tap["timing"], "plausible") << tap.dump();
    EXPECT_EQ(tap["timing_detail"], "read before it was sent; device clock not checked") << tap.dump();
    EXPECT_EQ(tap["clock_offset_ms"], 0) << tap.dump();
  }
  EXPECT_EQ(Get("owner-fra", "/api/v1/invoices/" + fra_invoice).status, 200);
  EXPECT_EQ(Get("owner-fra", "/api/v1/invoices/" + fra_invoice + "?format=ubl").content_type,
            "application/xml");

  // ... and the other customer's answer exactly as if they did not exist.
  for (const std::string& target : std::vector<std::string>{
           "/api/v1/sites/MUC/coverage", "/api/v1/assets?site=MUC", "/api/v1/inspections?site=MUC",
           "/api/v1/inspections/" + muc_inspection, "/api/v1/invoices/" + muc_invoice,
           "/api/v1/invoices/" + muc_invoice + "?format=ubl", "/api/v1/sites/NOWHERE/coverage",
           "/api/v1/inspections/999999999"}) {
    const auto r = Get("owner-fra", target);
    EXPECT_EQ(r.status, 404) << target << ": " << r.body;
    EXPECT_EQ(r.body.find("MUC-"), std::string::npos) << target;
  }
  // The same the other way round.
  EXPECT_EQ(Get("owner-muc", "/api/v1/inspections/" + fra_inspection).status, 404);
  EXPECT_EQ(Get("owner-muc", "/api/v1/invoices/" + fra_invoice).status, 404);
  EXPECT_EQ(GetJson("owner-muc", "/api/v1/sites")["items"][0]["site"], "MUC");

  // Records and the ERP export: the owner's own only, whatever the filter says.
  EXPECT_GT(GetJson("owner-fra", "/api/v1/records?site=FRA&limit=3")["items"].size(), 0u);
  EXPECT_EQ(Get("owner-fra", "/api/v1/records?site=MUC").status, 404);
  for (const std::string target : {"/api/v1/exports/2026-11.csv", "/api/v1/exports/2026-11.csv?customer=OWN-MUC",
                                   "/api/v1/exports/2026-11.json"}) {
    const auto r = Get("owner-fra", target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_NE(r.body.find(fra_invoice), std::string::npos) << target;
    EXPECT_EQ(r.body.find(muc_invoice), std::string::npos) << target;
    EXPECT_EQ(r.body.find("OWN-MUC"), std::string::npos) << target;
  }
  const auto both = Get("billing", "/api/v1/exports/2026-11.csv");
  EXPECT_NE(both.body.find(muc_invoice), std::string::npos);

  // Operator data, reviews and metrics are not for owners at all.
  EXPECT_EQ(Get("owner-fra", "/api/v1/reviews").status, 403);
  EXPECT_EQ(HttpPost(port, "/api/v1/reviews", tokens["owner-fra"], R"({"inspection_id":1,"decision":"verified","reason":"x"})").status, 403);
  EXPECT_EQ(Get("owner-fra", "/api/v1/rejected").status, 403);
  EXPECT_EQ(Get("owner-fra", "/metrics").status, 403);
}

TEST_F(ApiTest, OwnersSharingASiteSeeOnlyTheirOwnAssets) {
  const std::set<std::string> fra = AssetsOf("OWN-FRA");
  const std::set<std::string> tenant = AssetsOf("OWN-TNT");
  ASSERT_GT(fra.size(), 100u);
  ASSERT_GT(tenant.size(), 100u);
  const std::string inspection_of =
      "SELECT i.id FROM inspections i JOIN assets a ON a.site = i.site AND a.asset_id = "
      "i.asset_id WHERE a.owner_id = '";
  const std::map<std::string, std::string> an_inspection = {
      {"owner-fra", OneOf(inspection_of + "OWN-FRA' LIMIT 1")},
      {"owner-tnt", OneOf(inspection_of + "OWN-TNT' LIMIT 1")}};
  // An asset of each owner that has an inspection and a record: a filter for it finds some.
  const std::string with_record =
      "SELECT m.asset_id FROM maintenance_records m JOIN assets a ON a.site = m.site AND "
      "a.asset_id = m.asset_id WHERE a.owner_id = '";
  const std::map<std::string, std::string> an_asset_with_records = {
      {"owner-fra", OneOf(with_record + "OWN-FRA' LIMIT 1")},
      {"owner-tnt", OneOf(with_record + "OWN-TNT' LIMIT 1")}};

  for (const auto& [who, own, other] : std::vector<std::tuple<std::string, std::set<std::string>, std::string>>{
           {"owner-fra", fra, "owner-tnt"}, {"owner-tnt", tenant, "owner-fra"}}) {
    SCOPED_TRACE(who);
    const auto sites = GetJson(who, "/api/v1/sites")["items"];
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0]["assets"], own.size());
    EXPECT_EQ(GetJson(who, "/api/v1/sites/FRA/coverage")["total"]["assets"], own.size());
    const auto assets = GetJson(who, "/api/v1/assets?site=FRA&limit=500")["items"];
    for (const auto& a : assets) EXPECT_TRUE(own.contains(a["asset_id"].get<std::string>())) << a;
    EXPECT_EQ(assets.size(), own.size());
    const auto inspections = GetJson(who, "/api/v1/inspections?site=FRA&limit=500")["items"];
    EXPECT_GT(inspections.size(), 0u);
    for (const auto& i : inspections) EXPECT_TRUE(own.contains(i["asset_id"].get<std::string>())) << i;
    const auto records = GetJson(who, "/api/v1/records?site=FRA&limit=500")["items"];
    EXPECT_GT(records.size(), 0u);
    for (const auto& r : records) EXPECT_TRUE(own.contains(r["asset_id"].get<std::string>())) << r;

    // The other owner's objects, asked for by id or by filter, do not exist.
    EXPECT_EQ(Get(who, "/api/v1/inspections/" + an_inspection.at(other)).status, 404);
    EXPECT_EQ(Get(who, "/api/v1/inspections/" + an_inspection.at(who)).status, 200);
    const std::string& others_asset = an_asset_with_records.at(other);
    EXPECT_GT(GetJson(other, "/api/v1/records?site=FRA&asset=" + others_asset)["items"].size(), 0u);
    EXPECT_EQ(GetJson(who, "/api/v1/inspections?site=FRA&asset=" + others_asset)["items"].size(), 0u);
    EXPECT_EQ(GetJson(who, "/api/v1/records?site=FRA&asset=" + others_asset)["items"].size(), 0u);
  }
  // Roles that see every customer see both owners' assets.
  EXPECT_EQ(GetJson("supervisor", "/api/v1/sites/FRA/coverage")["total"]["assets"], fra.size() + tenant.size());
}

TEST_F(ApiTest, RolesTokensAndErrors) {
  EXPECT_EQ(HttpGet(port, "/healthz").status, 200);
  EXPECT_EQ(HttpGet(port, "/api/v1/sites").status, 401);
  EXPECT_EQ(HttpGet(port, "/api/v1/sites", "fp_0000").status, 401);
  EXPECT_EQ(GetJson("admin", "/api/v1/me")["role"], "admin");

  EXPECT_EQ(GetJson("billing", "/api/v1/invoices")["items"].size(), 2u);
  EXPECT_EQ(Get("supervisor", "/api/v1/invoices").status, 403);
  EXPECT_EQ(GetJson("supervisor", "/api/v1/sites")["items"].size(), 2u);
  EXPECT_EQ(Get("admin", "/api/v1/rejected").status, 200);
  const auto metrics = Get("admin", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  const std::string received = "\nfieldproof_messages_received_total ";
  const auto at = metrics.body.find(received);
  ASSERT_NE(at, std::string::npos) << metrics.body;
  EXPECT_GE(std::stoll(metrics.body.substr(at + received.size())), 1600) << "both sites' messages";
  EXPECT_NE(metrics.body.find("fieldproof_verdicts_total{verdict=\"verified\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("fieldproof_messages_rejected_total{reason=\"malformed_json\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("fieldproof_commit_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE fieldproof_commit_seconds histogram"), std::string::npos);

  EXPECT_EQ(Get("admin", "/api/v1/assets?site=FRA&limit=0").status, 400);
  EXPECT_EQ(Get("admin", "/api/v1/inspections?site=FRA&from=yesterday").status, 400);
  EXPECT_EQ(Get("admin", "/api/v1/nothing").status, 404);
  const auto wrong_method = HttpRequest(port, "DELETE", "/api/v1/reviews", tokens["admin"]);
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_NE(wrong_method.body.find("this resource answers GET, POST"), std::string::npos)
      << wrong_method.body;

  // Paging: two pages of two, no overlap.
  const auto first = GetJson("admin", "/api/v1/assets?site=FRA&limit=2");
  const auto second = GetJson("admin", "/api/v1/assets?site=FRA&limit=2&offset=2");
  EXPECT_EQ(first["next_offset"], 2);
  EXPECT_NE(first["items"][1]["asset_id"], second["items"][0]["asset_id"]);

  // A supervisor resolves an inspection that needs review; the token's name is the reviewer.
  std::int64_t doubtful = 0;
  {
    store::Database database(db);
    database.Exec(
        "INSERT INTO inspections (site, asset_id, technician_id, device_id, start_tap_id, end_tap_id, started_at, "
        "ended_at, verdict, strength, assessed_at) SELECT site, asset_id, technician_id, device_id, start_tap_id, "
        "-1, started_at, ended_at, 'needs_review', strength, assessed_at FROM inspections WHERE site = 'FRA' LIMIT 1");
    doubtful = database.QueryInt("SELECT max(id) FROM inspections");
  }
  const auto open = GetJson("supervisor", "/api/v1/reviews?site=FRA");
  ASSERT_EQ(open["items"].size(), 1u);
  EXPECT_EQ(open["items"][0]["id"], doubtful);
  const std::string decision = R"({"inspection_id":)" + std::to_string(doubtful) +
                               R"(,"decision":"verified","reason":"test witnessed by the fire officer"})";
  EXPECT_EQ(HttpPost(port, "/api/v1/reviews", tokens["supervisor"], "{}").status, 400);
  const std::string no_reason = R"({"inspection_id":)" + std::to_string(doubtful) +
                                R"(,"decision":"verified","reason":""})";
  EXPECT_EQ(HttpPost(port, "/api/v1/reviews", tokens["supervisor"], no_reason).status, 422)
      << "refused as invalid by the review rule";
  const auto reviewed = HttpPost(port, "/api/v1/reviews", tokens["supervisor"], decision);
  ASSERT_EQ(reviewed.status, 200) << reviewed.body;
  EXPECT_EQ(nlohmann::json::parse(reviewed.body)["reviewer"], "supervisor");
  EXPECT_EQ(HttpPost(port, "/api/v1/reviews", tokens["supervisor"], decision).status, 409) << "once only";
  EXPECT_EQ(GetJson("admin", "/api/v1/inspections/" + std::to_string(doubtful))["verdict"], "verified");
  EXPECT_EQ(GetJson("supervisor", "/api/v1/reviews?site=FRA")["items"].size(), 0u);

  ASSERT_EQ(Cli({"token", "revoke", "--name", "owner-fra"}).exit_code, 0);
  EXPECT_EQ(Get("owner-fra", "/api/v1/sites").status, 401);
  store::Database database(db);
  EXPECT_EQ(database.QueryInt("SELECT count(*) FROM api_tokens WHERE token_hash LIKE 'fp_%'"), 0)
      << "tokens are stored hashed";
}

// Every operation of docs/openapi.yaml answers as it says, for every role: the answers are
// recorded and checked with Ajv against the description (tests/schema/
// validate_api_responses.mjs), which also fails an operation that nothing here called.
// The asset page (issue 21): an asset's schedule, inspections, records, work orders, tags
// and sensor readings in one answer, for its owner only; and the search that finds it.
TEST_F(ApiTest, TheAssetPageTellsAnAssetsStoryToItsOwnerOnly) {
  const std::string asset = OneOf(
      "SELECT a.asset_id FROM assets a JOIN maintenance_records m ON m.site = a.site AND "
      "m.asset_id = a.asset_id WHERE a.site = 'FRA' AND a.owner_id = 'OWN-FRA' AND a.sensor_equipped "
      "GROUP BY a.asset_id ORDER BY count(*) DESC LIMIT 1");
  const auto page = GetJson("owner-fra", "/api/v1/assets/" + asset + "?site=FRA");
  EXPECT_EQ(page["asset_id"], asset);
  EXPECT_EQ(page["owner_id"], "OWN-FRA");
  EXPECT_TRUE(page["schedule"]["state"] == "compliant" || page["schedule"]["state"] == "due_soon") << page["schedule"];
  EXPECT_FALSE(page["inspections"]["items"].empty());
  EXPECT_FALSE(page["records"]["items"].empty());
  EXPECT_EQ(page["records"]["items"][0]["asset_id"], asset);
  EXPECT_EQ(page["tags"].size(), 1u);
  EXPECT_FALSE(page["telemetry"]["closing_ms"].empty()) << "a sensor's closing times over the last 90 days";
  EXPECT_GT(page["telemetry"]["closing_ms"][0]["value"].get<int>(), 0);
  const auto window = GetJson("owner-fra", "/api/v1/assets/" + asset + "?site=FRA&from=2020-01-01&to=2020-01-31");
  EXPECT_TRUE(window["telemetry"]["closing_ms"].empty()) << "a window without readings";
  EXPECT_EQ(Get("owner-fra", "/api/v1/assets/" + asset + "?site=FRA&from=yesterday").status, 400);
  EXPECT_EQ(Get("owner-tnt", "/api/v1/assets/" + asset + "?site=FRA").status, 404) << "another owner's asset";
  EXPECT_EQ(Get("owner-fra", "/api/v1/assets/NO-SUCH-ASSET?site=FRA").status, 404);

  const std::string tag = OneOf("SELECT tag_uid FROM assets WHERE site = 'FRA' AND asset_id = '" + asset + "'");
  for (const std::string& query : {asset, asset.substr(0, asset.size() - 1), tag}) {
    const auto found = GetJson("owner-fra", "/api/v1/assets?site=FRA&q=" + query);
    bool listed = false;
    for (const auto& item : found["items"]) listed = listed || item["asset_id"] == asset;
    EXPECT_TRUE(listed) << "q=" << query;
  }
  EXPECT_TRUE(GetJson("owner-fra", "/api/v1/assets?site=FRA&q=%25")["items"].empty()) << "% is no wildcard";

  // The work orders of the site, as far as the owner sees them.
  const auto own = AssetsOf("OWN-FRA");
  const auto orders = GetJson("owner-fra", "/api/v1/work-orders?site=FRA&limit=500");
  std::int64_t expected = 0;
  {
    store::Database database(db);
    expected = database.QueryInt(
        "SELECT count(*) FROM work_orders w JOIN assets a ON a.site = w.site AND a.asset_id = w.asset_id "
        "WHERE w.site = 'FRA' AND a.owner_id = 'OWN-FRA'");
  }
  ASSERT_GT(expected, 0) << "the simulated technicians found defects";
  EXPECT_EQ(static_cast<std::int64_t>(orders["items"].size()), expected);
  for (const auto& order : orders["items"]) EXPECT_TRUE(own.contains(order["asset_id"].get<std::string>())) << order;
  EXPECT_GE(GetJson("admin", "/api/v1/work-orders?site=FRA&limit=500")["items"].size(), orders["items"].size());
  EXPECT_EQ(Get("owner-fra", "/api/v1/work-orders?site=FRA&status=closed").status, 400);
}

TEST_F(ApiTest, FloorMapsShowEachOwnerItsOwnAssets) {
  const auto all = GetJson("admin", "/api/v1/plans?site=FRA")["plans"];
  ASSERT_EQ(all.size(), 6u) << "2 buildings, 3 floors (SiteArgs)";
  const auto own = AssetsOf("OWN-FRA");
  const auto map = GetJson("owner-fra", "/api/v1/plans/T1/0?site=FRA");
  const auto whole = GetJson("admin", "/api/v1/plans/T1/0?site=FRA");
  const auto tenant = GetJson("owner-tnt", "/api/v1/plans/T1/0?site=FRA");
  EXPECT_EQ(map["plan"]["building"], "T1");
  EXPECT_EQ(whole["markers"].size(), all[0]["assets"].get<std::size_t>());
  EXPECT_EQ(map["markers"].size() + tenant["markers"].size(), whole["markers"].size()) << "the floor is shared";
  EXPECT_FALSE(map["markers"].empty());
  std::int64_t counted = 0;
  for (const auto& [state, n] : map["counts"].items()) counted += n.get<std::int64_t>();
  EXPECT_EQ(counted, static_cast<std::int64_t>(map["markers"].size() + map["off_plan"].size()));
  for (const auto& m : map["markers"]) {
    EXPECT_TRUE(own.contains(m["asset_id"].get<std::string>())) << m;
    const std::string expected = m["open_alarms"] > 0 ? "alarm"
                                 : m["open_work_orders"] > 0 ? "open_defect"
                                                             : m["schedule"].get<std::string>();
    EXPECT_EQ(m["state"], expected) << m;
  }

  const auto image = Get("owner-fra", "/api/v1/plans/T1/0/image?site=FRA");
  EXPECT_EQ(image.status, 200);
  EXPECT_EQ(image.content_type, "image/svg+xml");
  EXPECT_TRUE(image.body.starts_with("<svg")) << image.body.substr(0, 80);
  EXPECT_EQ(Get("owner-muc", "/api/v1/plans?site=FRA").status, 404) << "another customer's site";
  EXPECT_EQ(Get("owner-muc", "/api/v1/plans/T1/0/image?site=FRA").status, 404);
  EXPECT_TRUE(GetJson("owner-muc", "/api/v1/plans?site=MUC")["plans"].empty()) << "MUC has no plans";
  for (const std::string target : {"/api/v1/plans/T1/99?site=FRA", "/api/v1/plans/T1/x?site=FRA",
                                   "/api/v1/plans/T7/0/image?site=FRA"}) {
    const auto missing = Get("owner-fra", target);
    EXPECT_EQ(missing.status, 404) << target;
  }
  EXPECT_NE(Get("owner-fra", "/api/v1/plans/T1/99?site=FRA").body.find("fieldproof plan import"), std::string::npos);
  EXPECT_EQ(Get("owner-fra", "/api/v1/plans/T1/0?site=FRA&as_of=soon").status, 400);
}

TEST_F(ApiTest, ResponsesMatchTheOpenApiDescription) {
#ifndef FIELDPROOF_API_CHECK_NODE
  GTEST_SKIP() << "needs node and `npm ci` in tests/schema (ops/test.sh does both)";
#else
  const auto captures = dir / "api-responses";
  std::filesystem::create_directories(captures);
  int recorded = 0;
  auto call = [&](std::string_view method, const std::string& who, const std::string& target,
                  const std::string& body = "") {
    const auto r = HttpRequest(port, method, target, who.empty() ? "" : tokens[who], body);
    std::ofstream(captures + "/" + std::to_string(++recorded) + ".json")
        << nlohmann::json{{"method", method}, {"target", target}, {"status", r.status},
                          {"content_type", r.content_type}, {"body", r.body}}
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
  };
  const std::string inspection = OneOf(
      "SELECT i.id FROM inspections i JOIN maintenance_records m ON m.inspection_id = i.id "
      "JOIN assets a ON a.site = i.site AND a.asset_id = i.asset_id "
      "WHERE i.site = 'FRA' AND a.owner_id = 'OWN-FRA' LIMIT 1");
  const std::string invoice = OneOf("SELECT number FROM invoices WHERE customer_id = 'OWN-FRA'");
  call("GET", "", "/healthz");
  call("HEAD", "", "/healthz");
  call("GET", "admin", "/metrics");
  const std::string owned = OneOf("SELECT asset_id FROM assets WHERE site = 'FRA' AND owner_id = 'OWN-FRA' LIMIT 1");
  for (const std::string who : {"owner-fra", "owner-tnt", "admin"}) {
    call("GET", who, "/api/v1/assets/" + owned + "/tags?site=FRA");
    call("GET", who, "/api/v1/assets/" + owned + "?site=FRA");
    call("GET", who, "/api/v1/work-orders?site=FRA&limit=5");
    call("GET", who, "/api/v1/assets?site=FRA&q=" + owned.substr(0, 8));
    call("GET", who, "/api/v1/me");
    call("GET", who, "/api/v1/sites");
    call("GET", who, "/api/v1/sites/FRA/coverage");
    call("GET", who, "/api/v1/assets?site=FRA&limit=3");
    call("GET", who, "/api/v1/assets?site=FRA&floor=1&building=T1");
    call("GET", who, "/api/v1/inspections?site=FRA&limit=3");
    call("GET", who, "/api/v1/inspections/" + inspection);
    call("GET", who, "/api/v1/records?site=FRA&limit=3");
    call("GET", who, "/api/v1/plans?site=FRA");
    call("GET", who, "/api/v1/plans/T1/0?site=FRA");
    call("GET", who, "/api/v1/plans/T1/0/image?site=FRA");
  }
  for (const std::string who : {"owner-fra", "billing"}) {
    call("GET", who, "/api/v1/invoices");
    call("GET", who, "/api/v1/invoices/" + invoice);
    call("GET", who, "/api/v1/invoices/" + invoice + "?format=ubl");
    call("GET", who, "/api/v1/exports/2026-11.csv");
    call("GET", who, "/api/v1/exports/2026-11.json");
  }
  call("GET", "admin", "/api/v1/rejected?limit=5");
  // A subscription hears of the alarm below (NotificationTest delivers them).
  ASSERT_EQ(Cli({"subscription", "add", "--name", "fm", "--customer", "OWN-FRA", "--events", "alarm_raised",
                 "--email", "fm@airport.example"}).exit_code, 0);
  {  // An alarm with its evidence, as the alarm worker writes one (AlarmTest plays them through mosquitto).
    store::Database database(db);
    database.Exec("INSERT INTO alarms (site, asset_id, kind, raised_at, detail, evidence) VALUES ('FRA', '" + owned +
                  "', 'battery_low', 1762063200000, 'battery at 12 %, below 20 %', "
                  "'[{\"msg_id\":\"m-1\",\"at\":1762063200000,\"what\":\"battery 12 %\"},"
                  "{\"msg_id\":\"\",\"at\":1762063200000,\"what\":\"an aggregate\"}]')");
  }
  const std::string alarm = OneOf("SELECT id FROM alarms LIMIT 1");
  call("GET", "owner-fra", "/api/v1/alarms?site=FRA&status=active");
  call("GET", "owner-fra", "/api/v1/alarms/" + alarm);
  EXPECT_EQ(call("POST", "supervisor", "/api/v1/alarms/" + alarm + "/acknowledge", "{}").status, 200);
  EXPECT_EQ(call("POST", "supervisor", "/api/v1/alarms/" + alarm + "/acknowledge", "{}").status, 409);
  EXPECT_EQ(call("POST", "supervisor", "/api/v1/alarms/" + alarm + "/close", R"({"reason": "replaced"})").status, 200);
  call("GET", "admin", "/api/v1/alarms?site=FRA");
  ASSERT_TRUE(WaitUntil([&] { return store::Database(db).QueryInt("SELECT count(*) FROM deliveries") > 0; },
                        std::chrono::seconds(30)));
  call("GET", "admin", "/api/v1/notifications");
  EXPECT_EQ(call("GET", "owner-fra", "/api/v1/notifications").status, 403);
  EXPECT_EQ(call("POST", "admin", "/api/v1/notifications/" +
                                      OneOf("SELECT id FROM deliveries LIMIT 1") + "/replay", "").status, 200);
  // A handheld's photo: uploaded with a device token, read back by an operator.
  tokens["HH-0101"] = Cli({"token", "create", "--name", "HH-0101", "--role", "device"}).out;
  tokens["HH-0101"].erase(tokens["HH-0101"].find('\n'));
  const std::string png("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01", 20);
  const std::string photo = "/api/v1/photos/" + crypto::Sha256Hex(png);
  EXPECT_EQ(call("PUT", "HH-0101", photo, png).status, 201);
  EXPECT_EQ(call("GET", "admin", photo).status, 200);
  call("GET", "HH-0101", "/api/v1/me");
  // A handheld's enrolment: the code works once.
  const std::string handheld = OneOf("SELECT device_id FROM devices WHERE site = 'FRA' LIMIT 1");
  const auto printed = Cli({"device", "enrol", handheld, "--site", "FRA"});
  std::smatch code;
  ASSERT_TRUE(std::regex_search(printed.out, code, std::regex("[A-Z2-7]{4}(-[A-Z2-7]{4}){3}")))
      << printed.out;
  const std::string enrol = R"({"code": ")" + code.str() + R"("})";
  const auto enrolled = call("POST", "", "/api/v1/enrol", enrol);
  EXPECT_EQ(enrolled.status, 200);
  EXPECT_EQ(call("POST", "", "/api/v1/enrol", enrol).status, 404);
  // The enrolled handheld's copy of its site.
  tokens[handheld] = nlohmann::json::parse(enrolled.body)["api_token"];
  const auto snapshot = call("GET", handheld, "/api/v1/handheld/snapshot?site=FRA");
  EXPECT_EQ(snapshot.status, 200);
  EXPECT_EQ(nlohmann::json::parse(snapshot.body)["assets"].size(), 300u);
  EXPECT_EQ(call("GET", handheld, "/api/v1/handheld/snapshot?site=BER").status, 404)
      << "a handheld gets the sites it is registered at";
  // A technician signs in on it with a PIN.
  const std::string technician = OneOf("SELECT technician_id FROM technicians WHERE site = 'FRA' LIMIT 1");
  ASSERT_EQ(RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "technician", "set-pin", technician, "--site", "FRA"},
                            dir, "8642\n")
                .exit_code,
            0);
  const auto sign_in = [&](const std::string& pin) {
    return call("POST", handheld, "/api/v1/handheld/sign-in",
                R"({"site": "FRA", "technician_id": ")" + technician + R"(", "pin": ")" + pin + R"("})");
  };
  EXPECT_EQ(sign_in("8642").status, 200);
  for (int wrong = 0; wrong < 5; ++wrong) EXPECT_EQ(sign_in("1111").status, 403);
  const auto locked = sign_in("8642");
  EXPECT_EQ(locked.status, 429) << "five wrong PINs in a row lock the sign-in, the right PIN too";
  EXPECT_NE(locked.body.find("locked until"), std::string::npos) << locked.body;
  // A review: the queue, the decision, and the refusals around it.
  {
    store::Database database(db);
    database.Exec(
        "UPDATE inspections SET verdict = 'needs_review' WHERE id = (SELECT max(id) FROM "
        "inspections WHERE site = 'FRA' AND verdict = 'rejected')");
  }
  const auto queue = nlohmann::json::parse(call("GET", "supervisor", "/api/v1/reviews").body);
  ASSERT_FALSE(queue["items"].empty());
  const std::string decision = R"({"inspection_id":)" + queue["items"][0]["id"].dump() +
                               R"(,"decision":"rejected","reason":"no functional test")";
  EXPECT_EQ(call("POST", "supervisor", "/api/v1/reviews", decision + "}").status, 200);
  EXPECT_EQ(call("POST", "supervisor", "/api/v1/reviews", decision + "}").status, 409);
  EXPECT_EQ(call("POST", "supervisor", "/api/v1/reviews", "[1]").status, 400);
  // Refusals each operation describes.
  EXPECT_EQ(call("GET", "", "/api/v1/sites").status, 401);
  EXPECT_EQ(call("GET", "owner-fra", "/api/v1/rejected").status, 403);
  EXPECT_EQ(call("GET", "owner-muc", "/api/v1/inspections/" + inspection).status, 404);
  EXPECT_EQ(call("GET", "owner-muc", "/api/v1/assets?site=FRA").status, 404);
  EXPECT_EQ(call("GET", "admin", "/api/v1/records?site=FRA&limit=0").status, 400);
  EXPECT_EQ(call("GET", "owner-fra", "/api/v1/invoices/NO-SUCH").status, 404);

  const std::string source = FIELDPROOF_SOURCE_DIR;
  const auto check = RunToCompletion({FIELDPROOF_API_CHECK_NODE,
                                      source + "/tests/schema/validate_api_responses.mjs",
                                      source + "/docs/openapi.yaml", captures},
                                     dir);
  EXPECT_EQ(check.exit_code, 0) << check.out;
#endif
}

}  // namespace
}  // namespace fieldproof::testing
