#!/usr/bin/env node
// The handheld app over HTTPS through nginx (tests/integration/https_test.cpp):
//   node handheld_https.test.mjs HTTPS_ORIGIN ENROL_CODE TECHNICIAN PIN SPKI_SHA256 URL1 URL2
// Chromium trusts the site's certificate by its key (SPKI_SHA256), as a handheld trusts a
// site's real one, so the page is a secure context: service worker, Web NFC. The app is set
// up, connects to wss://…/mqtt, inspects (URL1, URL2), shows the verdict, and after a reload
// runs under its service worker. Prints one line per check and "N passed, N failed".
import { checks, injectNfc, launch, setUpHandheld, tap } from "./support.mjs";

const [origin, code, technician, pin, spki, ...urls] = process.argv.slice(2);
const { check, finish } = checks();

const browser = await launch([`--ignore-certificate-errors-spki-list=${spki}`]);
try {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: "en-GB" });
  await context.addInitScript(injectNfc);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await setUpHandheld(page, `${origin}/app/?code=${code}`, technician, pin);
  check("the app is a secure context over https", await page.evaluate(() => window.isSecureContext));
  check("the handheld connects over wss through the proxy", true);
  await tap(page, urls[0]);
  await page.waitForSelector("#inspection:not([hidden])");
  await page.click("#all-ok");
  await tap(page, urls[1]);
  await page.waitForSelector("#verdict-banner.verified", { timeout: 20000 });
  check("the verdict comes back through the proxy", true);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForSelector("#verdict:not([hidden])");
  check("after a reload the service worker serves the app", await page.evaluate(() => !!navigator.serviceWorker.controller));
  check("no script errors", errors.length === 0, errors.join("; "));
} catch (e) {
  console.log(`     on screen: ${await browser.contexts()[0]?.pages()[0]?.textContent("#message").catch(() => "?")}`);
  throw e;
} finally {
  await browser.close();
}
finish();
