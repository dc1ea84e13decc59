#!/usr/bin/env node
// The handheld app's figures (tests/bench/handheld_bench.cpp sets the site up):
//   node handheld_app.bench.mjs BASE_URL ENROL_CODE TECHNICIAN PIN ONLINE OFFLINE URLS_FILE
// ONLINE inspections with the network: the time from the end tap to the verdict on the
// screen, p50/p90/p99. Then OFFLINE inspections without it, each with a photo (2 × OFFLINE
// taps and OFFLINE photos in the outbox), and back online: the time until the outbox is empty
// and until the last verdict shows.
import { readFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";
import { injectNfc, launch, setUpHandheld, tap as tapOn } from "./support.mjs";

// A small PNG of its own for each visit (80 × 60, colours from `seed`).
function photo(seed) {
  const chunk = (type, data) => {
    const typed = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc32(typed), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(80, 0);
  header.writeUInt32BE(60, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(60 * 241);
  for (let y = 0; y < 60; ++y) {
    for (let x = 0; x < 80; ++x) raw.set([(seed * 7 + x) & 255, (seed * 13 + y) & 255, (seed * 29) & 255], y * 241 + 1 + 3 * x);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

const [base, code, technician, pin, onlineArg, offlineArg, urlsFile] = process.argv.slice(2);
const online = Number(onlineArg);
const offline = Number(offlineArg);
const urls = readFileSync(urlsFile, "utf8").split("\n").filter(Boolean);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const VERDICT = "#verdict-banner.verified, #verdict-banner.verified_with_defects, #verdict-banner.needs_review, #verdict-banner.rejected";

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: "en-GB" });
  await context.addInitScript(injectNfc);
  const page = await context.newPage();
  await setUpHandheld(page, `${base}/app/?code=${code}`, technician, pin);
  let next = 0;
  const tap = (url) => tapOn(page, url);

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
    await page.setInputFiles("#photo-input", { name: `visit-${i}.png`, mimeType: "image/png", buffer: photo(i) });
    await page.waitForSelector("#photos img");
    await tap(urls[next++]);
    await page.waitForSelector("#verdict:not([hidden])");
  }
  await page.waitForFunction((n) => document.getElementById("outbox-count").textContent === `${n} waiting`, 3 * offline);
  console.log(`offline: ${offline} inspections (${2 * offline} taps, ${offline} photos) into the outbox in ` +
              `${((performance.now() - filling) / 1000).toFixed(1)} s`);
  const back = performance.now();
  await context.setOffline(false);
  await page.waitForFunction(() => document.getElementById("outbox-count").textContent === "all sent", null, { timeout: 600000 });
  const sent = (performance.now() - back) / 1000;
  await page.waitForSelector(VERDICT, { timeout: 600000 });
  const last = (performance.now() - back) / 1000;
  console.log(`back online: outbox of ${2 * offline} taps and ${offline} photos sent in ${sent.toFixed(1)} s; ` +
              `last verdict on screen after ${last.toFixed(1)} s`);
} finally {
  await browser.close();
}
