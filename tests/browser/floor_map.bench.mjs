#!/usr/bin/env node
// The dashboard's floor map in Debian's Chromium: from the click on "Map" until the frame in
// which every marker of the floor is drawn (two animation frames after they are in the page),
// ROUNDS times, each in a fresh page. Prints the floor's size, the API's share and p50/p95/max.
//   node floor_map.bench.mjs BASE_URL OWNER_TOKEN [ROUNDS]
import { launch } from "./support.mjs";

const [base, token, rounds = "20"] = process.argv.slice(2);
const browser = await launch();
const times = [];
const api = [];
let markers = 0;
try {
  for (let i = 0; i < Number(rounds); i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript((t) => sessionStorage.setItem("fieldproof-token", t), token);
    await page.goto(base + "/dashboard/");
    await page.waitForSelector("#covered");
    const start = await page.evaluate(() => performance.now());
    await page.click("nav [data-view=map]");
    markers = await page.evaluate(async () => {
      while (!document.querySelector("#floor-map circle")) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return document.querySelectorAll("#floor-map circle").length;
    });
    const end = await page.evaluate(() => performance.now());
    times.push(end - start);
    api.push(await page.evaluate(() => performance.getEntriesByType("resource")
      .filter((e) => /\/api\/v1\/plans\/[^/]+\/[^/?]+\?/.test(e.name)).map((e) => e.duration)[0] ?? 0));
    await page.close();
  }
} finally {
  await browser.close();
}
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
console.log(`floor map of ${markers} markers, ${times.length} rounds`);
console.log(`click to drawn: p50 ${pct(times, 50).toFixed(0)} ms, p95 ${pct(times, 95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`);
console.log(`of which the floor map's API call: p50 ${pct(api, 50).toFixed(0)} ms`);
