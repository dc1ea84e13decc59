#!/usr/bin/env node
// The handheld app's figures (tests/bench/handheld_bench.cpp sets the site up):
//   node handheld_app.bench.mjs BASE_URL ENROL_CODE TECHNICIAN PIN ONLINE OFFLINE URLS_FILE
// ONLINE inspections with the network: the time from the end tap to the verdict on the
// screen, p50/p90/p99. Then OFFLINE inspections without it (2 × OFFLINE taps in the outbox),
// and back online: the time until the outbox is empty and until the last verdict shows.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const [base, code, technician, pin, onlineArg, offlineArg, urlsFile] = process.argv.slice(2);
const online = Number(onlineArg);
const offline = Number(offlineArg);
const urls = readFileSync(urlsFile, "utf8").split("\n").filter(Boolean);

function injectNfc() {
  const readers = [];
  window.NDEFReader = class { async scan() { readers.push(this); } };
  window.__tap = (url) => {
    const data = new TextEncoder().encode(url);
    const event = { serialNumber: "04:00:00:00:00:00:00", message: { records: [{ recordType: "url", data: new DataView(data.buffer) }] } };
    for (const reader of readers) reader.onreading?.(event);
  };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const VERDICT = "#verdict-banner.verified, #verdict-banner.verified_with_defects, #verdict-banner.needs_review, #verdict-banner.rejected";

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: "en-GB" });
  await context.addInitScript(injectNfc);
  const page = await context.newPage();
  await page.goto(`${base}/app/?code=${code}`);
  await page.waitForSelector("#enrol:not([hidden])");
  await page.click("#enrol-form button");
  await page.waitForSelector("#signin:not([hidden])");
  await page.fill("#technician", technician);
  await page.fill("#pin", pin);
  await page.click("#signin-form button");
  await page.waitForSelector("#connection.online", { timeout: 15000 });
  await page.click("#scan");
  let next = 0;
  const tap = (url) => page.evaluate((u) => window.__tap(u), url);

  const times = [];
  for (let i = 0; i < online; ++i) {
    await tap(urls[next++]);
    await page.waitForSelector("#inspection:not([hidden])");
    await page.click("#all-ok");
    const tapped = performance.now();
    await tap(urls[next++]);
    await page.waitForSelector(VERDICT, { timeout: 20000 });
    times.push(performance.now() - tapped);
    await page.click("#next");
    await page.waitForSelector("#ready:not([hidden])");
  }
  times.sort((a, b) => a - b);
  const ms = (v) => v.toFixed(0);
  console.log(`end tap -> verdict on screen, ${online} inspections: p50 ${ms(percentile(times, 50))} ms, ` +
              `p90 ${ms(percentile(times, 90))} ms, p99 ${ms(percentile(times, 99))} ms, max ${ms(times.at(-1))} ms`);

  await context.setOffline(true);
  await page.waitForSelector("#connection.offline");
  const filling = performance.now();
  for (let i = 0; i < offline; ++i) {
    await tap(urls[next++]);
    await page.waitForSelector("#inspection:not([hidden])");
    await page.click("#all-ok");
    await tap(urls[next++]);
    await page.waitForSelector("#verdict:not([hidden])");
  }
  await page.waitForFunction((n) => document.getElementById("outbox-count").textContent === `${n} waiting`, 2 * offline);
  console.log(`offline: ${offline} inspections (${2 * offline} taps) into the outbox in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
  const back = performance.now();
  await context.setOffline(false);
  await page.waitForFunction(() => document.getElementById("outbox-count").textContent === "all sent", null, { timeout: 600000 });
  const sent = (performance.now() - back) / 1000;
  await page.waitForSelector(VERDICT, { timeout: 600000 });
  const last = (performance.now() - back) / 1000;
  console.log(`back online: outbox of ${2 * offline} taps sent in ${sent.toFixed(1)} s (${((2 * offline) / sent).toFixed(0)} taps/s); ` +
              `last verdict on screen after ${last.toFixed(1)} s`);
} finally {
  await browser.close();
}
