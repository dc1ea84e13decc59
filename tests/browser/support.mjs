// What the browser tests share: Debian's Chromium, one line per check with the closing count,
// and the phone's NFC reader, which cannot exist here.
import { chromium } from "playwright-core";

export function launch(extraArgs = []) {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", ...extraArgs] });
}

// check(what, ok, detail) prints "ok   what" or "FAIL what detail"; finish() prints
// "N passed, N failed" and exits 0 only when none failed.
export function checks() {
  let passed = 0;
  let failed = 0;
  return {
    check(what, ok, detail = "") {
      if (ok) {
        passed++;
        console.log(`ok   ${what}`);
      } else {
        failed++;
        console.log(`FAIL ${what} ${detail}`);
      }
    },
    finish() {
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed === 0 ? 0 : 1);
    },
  };
}

// For context.addInitScript: an NDEFReader whose readings come from window.__tap(url), as a
// tag's NDEF URL record. Self-contained: the browser runs its source.
export function injectNfc() {
  const readers = [];
  window.NDEFReader = class { async scan() { readers.push(this); } };
  window.__tap = (url) => {
    const data = new TextEncoder().encode(url);
    const event = { serialNumber: "04:00:00:00:00:00:00", message: { records: [{ recordType: "url", data: new DataView(data.buffer) }] } };
    for (const reader of readers) reader.onreading?.(event);
  };
}

// A tag read: `url` on the page's injected reader.
export const tap = (page, url) => page.evaluate((u) => window.__tap(u), url);

// The app opened with its enrolment link, set up, the technician signed in and online,
// reading tags: where a technician starts the day.
export async function setUpHandheld(page, appUrl, technician, pin) {
  await page.goto(appUrl);
  await page.waitForSelector("#enrol:not([hidden])");
  await page.click("#enrol-form button");
  await page.waitForSelector("#signin:not([hidden])");
  await page.fill("#technician", technician);
  await page.fill("#pin", pin);
  await page.click("#signin-form button");
  await page.waitForSelector("#ready:not([hidden])", { timeout: 30000 });
  await page.waitForSelector("#connection.online", { timeout: 30000 });
  await page.click("#scan");
}
