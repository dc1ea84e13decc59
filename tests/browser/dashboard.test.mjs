#!/usr/bin/env node
// The dashboard in Debian's Chromium, driven by playwright-core:
//   node dashboard.test.mjs BASE_URL TOKEN SCREENSHOT.png
// Opens the page, signs in with the token, checks that the numbers shown are the API's,
// clicks through to an inspection and its evidence, downloads nothing from elsewhere, and
// keeps a screenshot. Prints one line per check and ends with "N passed, N failed".
import { checks, launch } from "./support.mjs";

const [base, token, screenshot, supervisorToken] = process.argv.slice(2);
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
  const decided = await (await fetch(`${base}/api/v1/inspections/${id}`, { headers: { Authorization: "Bearer " + supervisorToken } })).json();
  check("and the inspection says so", decided.verdict === "verified", decided.verdict);

  check("nothing was loaded from elsewhere", foreign.length === 0, foreign.join(" "));
  check("no script errors", errors.length === 0, errors.join("; "));
} finally {
  await browser.close();
}
finish();
