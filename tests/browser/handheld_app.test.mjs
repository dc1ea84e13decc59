#!/usr/bin/env node
// The handheld app in Debian's Chromium, driven by playwright-core:
//   node handheld_app.test.mjs BASE_URL ENROL_CODE TECHNICIAN PIN ARTIFACTS_DIR REVOKE_JSON URL1 … URL6
// URL1…URL6 are six successive SUN URLs of one tag, which the injected NDEFReader hands to the
// app as the phone's NFC reader would; REVOKE_JSON is the command line that revokes the
// handheld. A technician sets up the handheld, signs in, inspects online (and sees the
// verdict), inspects offline with a defect and a photo, closes the app, opens it again
// offline, switches to German, goes online and sees the second verdict; a replayed tag read
// is shown as rejected; then the handheld is revoked and the app says so.
// Prints one line per check and ends with "N passed, N failed".
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { checks, injectNfc, launch, tap } from "./support.mjs";

const [base, code, technician, pin, artifacts, revoke, ...urls] = process.argv.slice(2);
const assetId = new URL(urls[0]).pathname.split("/").pop();
const checklist = JSON.parse(readFileSync(new URL("../../ops/asset-types.json", import.meta.url)))
  .asset_types.find((t) => t.asset_type === "fire_shutter").checklist;
const { check, finish } = checks();

const text = async (page, selector) => (await page.textContent(selector)).trim();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: "en-GB" });
  await context.addInitScript(injectNfc);
  const foreign = [];
  const errors = [];
  const watch = (page) => {
    page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("blob:" + base)) foreign.push(r.url()); });
    page.on("pageerror", (e) => errors.push(e.message));
  };
  let page = await context.newPage();
  watch(page);

  // Set up and sign in.
  await page.goto(`${base}/app/?code=${code}`);
  await page.waitForSelector("#enrol:not([hidden])");
  check("a new handheld asks to be set up, with the code from the QR link", (await page.inputValue("#enrol-code")) === code);
  await page.click("#enrol-form button");
  await page.waitForSelector("#signin:not([hidden])");
  check("the code sets the handheld up", await page.isVisible("#technician"));
  await page.fill("#technician", technician);
  await page.screenshot({ path: `${artifacts}/handheld-signin.png` });
  await page.fill("#pin", "0000");
  await page.click("#signin-form button");
  await page.waitForSelector("#message:not([hidden])");
  check("a wrong PIN is refused", (await text(page, "#message")).includes("or PIN not accepted"), await text(page, "#message"));
  await page.fill("#pin", pin);
  await page.click("#signin-form button");
  await page.waitForSelector("#ready:not([hidden])");
  check("the right PIN signs the technician in", (await text(page, "#who")).startsWith(technician), await text(page, "#who"));
  await page.waitForSelector("#connection.online", { timeout: 15000 });
  check("the handheld connects to its broker account", true);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.click("#scan");

  // Online: tap, checklist, tap, verdict.
  await tap(page, urls[0]);
  await page.waitForSelector("#inspection:not([hidden])");
  check("the tap shows the asset named in the tag's URL", (await text(page, "#asset-card h2")) === assetId);
  check("and its type's whole checklist", (await page.$$("#checklist li")).length === checklist.length);
  await tap(page, urls[1]);
  check("an end tap before every item is answered is refused",
        (await text(page, "#message")).includes("Answer every checklist item"), await text(page, "#message"));
  for (const item of checklist) await page.click(`#checklist label.pass:has(input[name="${item.id}"])`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${artifacts}/handheld-checklist.png` });
  const tapped = Date.now();
  await tap(page, urls[2]);
  await page.waitForSelector("#verdict-banner.verified", { timeout: 20000 });
  console.log(`     verdict on screen ${Date.now() - tapped} ms after the end tap`);
  check("the verdict appears after the end tap", (await text(page, "#verdict-banner")).startsWith("Verified"));
  check("with every check in words", (await page.$$("#verdict-checks tr")).length >= 15);
  await page.screenshot({ path: `${artifacts}/handheld-verdict.png`, fullPage: true });
  await page.click("#next");
  check("the verdict is listed as recent", (await page.$$("#recent li")).length === 1);
  await page.screenshot({ path: `${artifacts}/handheld-ready.png` });

  // Offline: the visit waits in the outbox, with its photo.
  await context.setOffline(true);
  await page.waitForSelector("#connection.offline");
  await tap(page, urls[3]);
  await page.waitForSelector("#inspection:not([hidden])");
  await page.click('#checklist label.fail:has(input[name="no_damage"])');
  await page.click("#all-ok");
  check("'All others OK' answers the rest and keeps the defect",
        (await page.$$eval("#checklist input:checked", (inputs) => inputs.map((i) => i.value).join())) ===
          checklist.map((item) => (item.id === "no_damage" ? "fail" : "pass")).join());
  check("a failed item suggests its defect code", (await page.inputValue("#defect-code")) === "no_damage");
  await page.selectOption("#defect-severity", "major");
  await page.fill("#defect-note", "Curtain dented at 1.5 m");
  await page.click("#add-defect");
  await page.waitForSelector("#defects li");
  check("the defect is listed", (await text(page, "#defects")).includes("no_damage"));
  const photo = await page.screenshot();  // A real PNG to upload.
  await page.setInputFiles("#photo-input", { name: "dent.png", mimeType: "image/png", buffer: photo });
  await page.waitForSelector("#photos img");
  await tap(page, urls[4]);
  await page.waitForSelector("#verdict:not([hidden])");
  check("offline, the end tap is kept on the handheld",
        (await text(page, "#verdict-banner")).includes("Saved on this handheld"), await text(page, "#verdict-banner"));
  check("the outbox shows the start tap, the photo and the end tap", (await text(page, "#outbox-count")) === "3 waiting",
        await text(page, "#outbox-count"));
  await page.screenshot({ path: `${artifacts}/handheld-offline.png` });

  // The app is closed and opened again, still offline: it starts from its service worker.
  await page.close();
  page = await context.newPage();
  watch(page);
  await page.goto(`${base}/app/`);
  await page.waitForSelector("#verdict:not([hidden])");
  check("offline, the app starts again where it was", await page.evaluate(() => !!navigator.serviceWorker.controller));
  await page.waitForFunction(() => document.getElementById("outbox-count").textContent === "3 waiting");
  check("nothing left the outbox while the app was closed", true);
  await page.click("#language");
  check("the technician switches to German", (await text(page, "#verdict-banner")).includes("Auf dem Gerät gespeichert"));

  // Back online: the outbox empties in order, the verdict arrives.
  await context.setOffline(false);
  await page.waitForSelector("#verdict-banner.verified_with_defects", { timeout: 30000 });
  check("online again, the verdict of the offline visit arrives", (await text(page, "#verdict-banner")).startsWith("Bestätigt, mit Mängeln"));
  check("with the work order its defect opened", /Neue Arbeitsaufträge: WO-\d+/.test(await text(page, "#verdict-orders")),
        await text(page, "#verdict-orders"));
  await page.waitForFunction(() => document.getElementById("outbox-count").textContent === "alles gesendet");
  check("and the outbox is empty", true);
  await page.screenshot({ path: `${artifacts}/handheld-verdict-de.png`, fullPage: true });
  await page.reload();
  await page.waitForSelector("#verdict:not([hidden])");
  check("German stays chosen", (await text(page, "header h1")) === "fieldproof Handgerät");

  // A replayed read: the start tap carries the first read's URL again.
  await page.click("#next");
  await page.click("#scan");  // Reloaded: reading tags starts with a touch, as the browser wants.
  await tap(page, urls[0]);
  await page.waitForSelector("#inspection:not([hidden])");
  await page.click("#all-ok");
  await tap(page, urls[5]);
  await page.waitForSelector("#verdict-banner.rejected", { timeout: 20000 });
  check("a replayed tag read is shown as rejected", (await text(page, "#verdict-banner")).startsWith("Abgelehnt"));
  check("with the check that decided it first", (await text(page, "#verdict-checks tr:first-child")).includes("Start-Lesung neu"),
        await text(page, "#verdict-checks tr:first-child"));
  await page.screenshot({ path: `${artifacts}/handheld-rejected-de.png`, fullPage: true });

  // The handheld is revoked: the broker drops it, and the app says so and asks to be set up.
  const [command, ...args] = JSON.parse(revoke);
  execFileSync(command, args);
  await page.waitForSelector("#enrol:not([hidden])", { timeout: 30000 });
  check("a revoked handheld says its access was withdrawn", (await text(page, "#message")).includes("entzogen"),
        await text(page, "#message"));

  check("nothing was loaded from elsewhere", foreign.length === 0, foreign.join(" "));
  check("no script errors", errors.length === 0, errors.join("; "));
} catch (e) {
  // What the technician saw when a step did not come: the message line and script errors.
  const pages = browser.contexts().flatMap((c) => c.pages());
  for (const p of pages) console.log(`     on screen: ${await p.textContent("#message").catch(() => "?")}`);
  throw e;
} finally {
  await browser.close();
}
finish();
