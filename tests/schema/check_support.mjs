// Helpers shared by validate_examples.mjs and validate_api_responses.mjs: the pass/fail tally
// and its output format, directory listing, Ajv error text, and the Ajv set-up both use.
import { readdirSync, statSync } from "node:fs";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// Counts results and prints one line each: "ok   <label>" or "FAIL <label>: <why>". finish()
// prints "N passed, N failed" and exits 1 on any failure. The functions are closures, so
// they can be destructured.
export function newTally() {
  let passed = 0;
  let failed = 0;
  return {
    ok(label) {
      passed += 1;
      console.log(`ok   ${label}`);
    },
    fail(label, why) {
      failed += 1;
      console.log(`FAIL ${label}: ${why}`);
    },
    finish() {
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed === 0 ? 0 : 1);
    },
  };
}

export function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// The *.json names in dir, sorted; none when dir is not a directory.
export function jsonFiles(dir) {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort();
}

// Ajv's errors on one line. `limit` caps how many are shown (the rest are counted);
// `details` adds what Ajv's messages leave out: the unexpected property, the allowed values.
export function describeErrors(errors, { limit = Infinity, details = false } = {}) {
  const all = errors ?? [];
  const shown = all.slice(0, limit).map((e) => {
    let text = `${e.instancePath || "/"} ${e.message}`;
    if (!details) return text;
    if (e.keyword === "additionalProperties") text += ` (${e.params.additionalProperty})`;
    if (e.keyword === "enum") text += ` (${e.params.allowedValues.join(", ")})`;
    return text;
  });
  const more = all.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

// An Ajv for JSON Schema 2020-12 with ajv-formats' `formats`. allErrors and formats are
// parameters because the scripts differ there: validate_examples.mjs stops at the first error,
// and validate_api_responses.mjs also needs OpenAPI's formats (int32, byte and the like).
//
// Strict mode is on: unknown keywords and formats, ignored keywords, non-strict numbers fail
// compilation. Two of Ajv's optional extra checks are kept at Ajv's own defaults, because
// tap.json's conditional rules trip them although they are correct JSON Schema 2020-12:
//   strictRequired (default off): `then: { required: ["checklist", "result"] }` inside allOf
//     names properties declared two levels up, which that check cannot see;
//   strictTypes (default "log"): `then: { properties: { defects: { minItems: 1 } } }` has no
//     local `type: "array"`. Reported as a warning on stderr, not a failure.
export function newAjv({ allErrors, formats }) {
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    strictTypes: "log",
    allErrors,
    logger: {
      log: (...args) => console.error(...args),
      warn: (...args) => console.error("warning:", ...args),
      error: (...args) => console.error("error:", ...args),
    },
  });
  addFormats(ajv, formats);
  return ajv;
}
