#!/usr/bin/env node
// The dashboard in Debian's Chromium, driven by playwright-core:
//   node dashboard.test.mjs BASE_URL TOKEN SCREENSHOT.png SUPERVISOR_TOKEN COVERAGE.html
// Opens the page, signs in with the token, checks that the numbers shown are the API's,
// clicks through to an inspection and its evidence and across a floor map, downloads nothing
// from elsewhere, and keeps screenshots; then checks the HTML coverage report's floor maps. Prints one line per check and ends with "N passed, N failed".
import { checks, launch } from "./support.mjs";

const [base, token, screenshot, supervisorToken, reportFile] = process.argv.slice(2);
const { check, finish } = checks();

const api = async (path) => (await fetch(base + path, { headers: { Authorization: "Bearer " + token } })).json();

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("blob:" + base)) foreign.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await page.goto(base + "/");
  check("the root leads to the sign-in form", await page.isVisible("#signin-form"));
  await page.fill("#token", "fp_wrong");
  await page.click("#signin-form button");
  await page.waitForSelector("#signin-error:not(:empty)");
  check("a wrong token is refused", (await page.textContent("#signin-error")).includes("not accepted"));

  await page.fill("#token", token);
  await page.click("#signin-form button");
  await page.waitForSelector("#covered");
  const sites = await api("/api/v1/sites");
  const coverage = await api(`/api/v1/sites/${sites.items[0].site}/coverage`);
  const shown = {
    covered: await page.textContent("#covered"),
    assets: await page.textContent("#count-assets"),
    compliant: await page.textContent("#count-compliant"),
    overdue: await page.textContent("#count-overdue"),
    never: await page.textContent("#count-never"),
  };
  check("share covered is the API's", shown.covered === `${coverage.total.percent_covered} % covered`, JSON.stringify(shown));
  check("asset count is the API's", Number(shown.assets) === coverage.total.assets, shown.assets);
  check("compliant count is the API's", Number(shown.compliant) === coverage.total.compliant, shown.compliant);
  check("overdue count is the API's", Number(shown.overdue) === coverage.total.overdue, shown.overdue);
  check("never-inspected count is the API's", Number(shown.never) === coverage.total.never_inspected, shown.never);
  check("a heat-map cell per building and floor", (await page.$$(".grid .cell")).length === coverage.by_floor.length);
  const colour = await page.$eval(".grid .cell", (cell) => getComputedStyle(cell).backgroundColor);
  check("heat-map cells are coloured", colour !== "rgba(0, 0, 0, 0)", colour);
  check("a bar per month of the trend", (await page.$$("#trend rect")).length === coverage.trend.length);
  await page.screenshot({ path: screenshot, fullPage: false });
  await page.click("#language");
  await page.waitForSelector("#covered");
  check("in German, on a click", (await page.textContent("#covered")) === `${coverage.total.percent_covered} % abgedeckt` &&
        (await page.textContent("nav [data-view=invoices]")) === "Rechnungen", await page.textContent("#covered"));
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-de.png"), fullPage: false });
  await page.click("#language");
  await page.waitForFunction(() => document.getElementById("covered")?.textContent.endsWith("covered"));

  await page.click("nav [data-view=inspections]");
  await page.waitForSelector("#inspections [data-inspection]");
  // The first listed inspection with a photo (the simulated handhelds photograph a visit in ten).
  let first = null;
  let inspection = null;
  for (const id of await page.$$eval("#inspections [data-inspection]", (links) => links.map((a) => a.dataset.inspection))) {
    inspection = await api(`/api/v1/inspections/${id}`);
    first = id;
    if (inspection.photos.length > 0) break;
  }
  await page.click(`[data-inspection="${first}"]`);
  await page.waitForSelector("#inspection-title");
  check("the inspection opens with its verdict",
        (await page.textContent("#inspection-title")) === `Inspection ${first}: ${inspection.verdict}`);
  check("every check of the evidence is listed",
        (await page.$$("#checks tr")).length === inspection.checks.length + 1);
  check("an inspection with photos", inspection.photos.length > 0, first);
  await page.waitForFunction((n) => [...document.querySelectorAll("#photos img")].filter((i) => i.complete && i.naturalWidth > 0).length === n,
                             inspection.photos.length);
  check("shows each photo, decoded", (await page.$$eval("#photos img", (imgs) => imgs.map((i) => i.naturalWidth))).every((w) => w === 80));
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-inspection.png"), fullPage: true });

  // The asset page of a sensor-equipped asset that was inspected, found by searching.
  const assets = await api(`/api/v1/assets?site=${sites.items[0].site}&limit=500`);
  const sensored = assets.items.find((a) => a.sensor_equipped && a.last_verified);
  await page.fill("#search", sensored.asset_id.slice(0, -1));
  await page.click("#search-form button");
  await page.waitForSelector(`#found [data-asset="${sensored.asset_id}"]`);
  check("the search finds an asset by the start of its id", true);
  await page.click(`#found [data-asset="${sensored.asset_id}"]`);
  await page.waitForSelector("#asset-title");
  const assetPage = await api(`/api/v1/assets/${sensored.asset_id}?site=${sites.items[0].site}`);
  check("the asset page shows the API's schedule state",
        (await page.getAttribute("#asset-state", "class")) === `state ${assetPage.schedule.state}`);
  check("its inspections and records", (await page.$$("#asset-inspections tr")).length === assetPage.inspections.items.length + 1 &&
        (await page.$$("#asset-records tr")).length === assetPage.records.items.length + 1);
  check("a chart per sensor series", (await page.$$("[data-series] svg.chart")).length ===
        ["closing_ms", "motor_current_ma", "battery_percent"].filter((k) => assetPage.telemetry[k].length).length &&
        assetPage.telemetry.closing_ms.length > 0);
  await page.waitForSelector("#asset-map circle");
  check("the asset page shows its place on the plan",
        Number(await page.getAttribute("#asset-map circle", "cx")) === assetPage.x_m &&
        Number(await page.getAttribute("#asset-map circle", "cy")) === assetPage.y_m);
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-asset.png"), fullPage: true });

  await page.click("nav [data-view=invoices]");
  await page.waitForSelector("#invoices");
  const invoices = await api("/api/v1/invoices");
  check("the invoices are listed", (await page.$$("#invoices tr")).length === invoices.items.length + 1);
  if (invoices.items.length > 0) {
    const [download] = await Promise.all([page.waitForEvent("download"),
      page.click(`[data-number="${invoices.items[0].number}"][data-format="ubl"]`)]);
    check("an invoice downloads as UBL", download.suggestedFilename() === `${invoices.items[0].number}.xml`);
  }
  // The asset list, one building and floor at a time.
  await page.click("nav [data-view=assets]");
  await page.waitForSelector("#assets");
  const floor = coverage.by_floor[0];
  await page.selectOption("#asset-building", floor.building);
  await page.selectOption("#asset-floor", String(floor.floor));
  await page.waitForFunction((n) => document.querySelectorAll("#assets tr").length === n + 1, floor.assets);
  check("the asset list of a building and floor has the coverage's count", true);

  // Work orders, as the owner sees them; no review queue for an owner.
  await page.click("nav [data-view=work-orders]");
  await page.waitForSelector("#open-work-orders");
  const open = await api(`/api/v1/work-orders?site=${sites.items[0].site}&status=open&limit=200`);
  check("the open work orders are the API's", (await page.$$("#open-work-orders tr")).length === open.items.length + 1);
  check("an owner sees no review queue", await page.isHidden("nav [data-view=reviews]"));

  // Alarms from the sensors: the API's, each with the readings it rests on.
  await page.click("nav [data-view=alarms]");
  await page.waitForSelector("#active-alarms");
  const activeAlarms = await api(`/api/v1/alarms?site=${sites.items[0].site}&status=active&limit=500`);
  check("the active alarms are the API's", activeAlarms.items.length > 0 &&
        (await page.$$("#active-alarms tr[data-alarm]")).length === activeAlarms.items.length, String(activeAlarms.items.length));
  check("each alarm shows its evidence", (await page.$$("#active-alarms tr[data-alarm] details")).length === activeAlarms.items.length);
  check("an owner may not act on alarms", (await page.$$("#active-alarms [data-acknowledge]")).length === 0);
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-alarms.png"), fullPage: false });

  // The floor map: the API's markers, counted by state, each where the registry puts it.
  const site = sites.items[0].site;
  const plans = (await api(`/api/v1/plans?site=${site}`)).plans;
  const plan = plans.reduce((a, b) => (b.assets > a.assets ? b : a));
  const map = await api(`/api/v1/plans/${plan.building}/${plan.floor}?site=${site}`);
  await page.click("nav [data-view=map]");
  await page.waitForSelector("#floor-map circle");
  await page.selectOption("#plan-select", `${plan.building}/${plan.floor}`);
  await page.waitForFunction((n) => document.querySelectorAll("#floor-map circle").length === n, map.markers.length);
  check("a marker per asset of the floor", map.markers.length === plan.assets && map.off_plan.length === 0, `${map.markers.length} ${plan.assets}`);
  const states = ["alarm", "open_defect", "overdue", "never_inspected", "due_soon", "compliant"];
  const shownCounts = Object.fromEntries(await Promise.all(states.map(async (s) => [s, Number(await page.textContent(`[data-count="${s}"]`))])));
  const drawn = Object.fromEntries(await Promise.all(states.map(async (s) => [s, (await page.$$(`#floor-map circle[data-state="${s}"]`)).length])));
  check("the legend's counts are the API's", states.every((s) => shownCounts[s] === map.counts[s]), JSON.stringify(shownCounts));
  check("as many markers of each state", states.every((s) => drawn[s] === map.counts[s]), JSON.stringify(drawn));
  check("markers sit at the registry's positions", await page.$$eval("#floor-map circle", (cs, ms) =>
    cs.every((c, i) => Number(c.getAttribute("cx")) === ms[i].x_m && Number(c.getAttribute("cy")) === ms[i].y_m), map.markers));
  await page.waitForFunction(() => { const i = document.querySelector("#floor-map image"); return i && i.getBBox().width > 0; });
  check("the plan is drawn from a blob: URL", (await page.getAttribute("#floor-map image", "href")).startsWith("blob:"));
  const before = (await page.getAttribute("#floor-map", "viewBox")).split(" ").map(Number);
  await page.click("#zoom-in");
  const zoomed = (await page.getAttribute("#floor-map", "viewBox")).split(" ").map(Number);
  check("zooming in shows less of the floor", Math.abs(zoomed[2] - before[2] / 2) < 1e-6, zoomed.join(" "));
  await page.click("#zoom-reset");
  const common = states.reduce((a, b) => (map.counts[b] > map.counts[a] ? b : a));
  await page.uncheck(`[data-filter="${common}"]`);
  check("a filter hides that state's markers", await page.$eval(`#floor-map circle[data-state="${common}"]`, (c) => getComputedStyle(c).display === "none"));
  await page.check(`[data-filter="${common}"]`);
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-map.png"), fullPage: false });
  const target = map.markers.find((m) => m.state !== "compliant") || map.markers[0];
  await page.click(`#floor-map circle[data-asset="${target.asset_id}"]`, { force: true });
  await page.waitForSelector("#asset-title");
  check("a click on a marker opens that asset's page", (await page.textContent("#asset-title")) === `Asset ${target.asset_id}`);

  // A supervisor resolves an inspection awaiting review, with a reason.
  await page.click("#signout");
  await page.fill("#token", supervisorToken);
  await page.click("#signin-form button");
  await page.waitForSelector("nav [data-view=reviews]:not([hidden])");
  await page.click("nav [data-view=reviews]");
  await page.waitForSelector("#reviews [data-decide]");
  const id = await page.getAttribute("#reviews [data-decide]", "data-decide");
  await page.click(`[data-decide="${id}"][data-decision="verified"]`);
  check("a decision needs a reason", (await page.textContent("#review-result")).includes("reason"));
  await page.fill(`[data-reason="${id}"]`, "functional test seen on site");
  await page.click(`[data-decide="${id}"][data-decision="verified"]`);
  await page.waitForFunction(() => document.getElementById("review-result")?.textContent.includes("record"));
  check("the supervisor's decision is recorded", (await page.textContent("#review-result")).startsWith(`Inspection ${id}: verified`));
  await page.click("nav [data-view=alarms]");
  await page.waitForSelector("#active-alarms [data-acknowledge]");
  const alarmId = await page.getAttribute("#active-alarms [data-acknowledge]", "data-acknowledge");
  await page.click(`[data-acknowledge="${alarmId}"]`);
  await page.waitForFunction((id) => document.querySelector(`tr[data-alarm="${id}"] .alarm-status`)?.textContent.startsWith("acknowledged"), alarmId);
  check("a supervisor acknowledges an alarm", true);
  const decided = await (await fetch(`${base}/api/v1/inspections/${id}`, { headers: { Authorization: "Bearer " + supervisorToken } })).json();
  check("and the inspection says so", decided.verdict === "verified", decided.verdict);

  // The HTML coverage report: self-contained, a floor map per plan with the API's markers.
  const report = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const reportRequests = [];
  report.on("request", (r) => { if (!r.url().startsWith("file://") && !r.url().startsWith("data:")) reportRequests.push(r.url()); });
  await report.goto("file://" + reportFile);
  check("the report has a floor map per plan", (await report.$$("svg.plan")).length === plans.length);
  const figure = report.locator(`svg.plan[aria-label="${plan.building} floor ${plan.floor}"]`);
  check("with the API's markers on it", (await figure.locator("circle").count()) === map.markers.length);
  check("the report has no scripts and loads nothing", (await report.$$("script")).length === 0 && reportRequests.length === 0,
        reportRequests.join(" "));
  await report.locator("figure").first().screenshot({ path: screenshot.replace(/\.png$/, "-report-map.png") });

  check("nothing was loaded from elsewhere", foreign.length === 0, foreign.join(" "));
  check("no script errors", errors.length === 0, errors.join("; "));
} finally {
  await browser.close();
}
finish();
