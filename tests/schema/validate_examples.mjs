#!/usr/bin/env node
// Checks every example under schemas/examples/ against the JSON Schemas in schemas/.
//
//   node tests/schema/validate_examples.mjs [REPO_ROOT]
//
// Layout: schemas/examples/<schema>/valid/*.json must validate against schemas/<schema>.json;
// schemas/examples/<schema>/invalid/<reason>--<description>.json must not. <reason> is the
// rejection reason the gateway's decoder gives (tests/unit/codec/schema_examples_test.cpp
// checks that side); here we only check that the prefix is one of the decoder's reasons and
// agrees with what JSON parsing alone can tell (malformed_json, not_an_object).
//
// Prints one line per example and ends with "N passed, N failed"; exits 1 on any failure.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const DECODER_REASONS = new Set([
  "malformed_json",
  "not_an_object",
  "missing_field",
  "unknown_field",
  "wrong_type",
  "invalid_value",
]);

const scriptDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(scriptDir, "..", ".."));
const schemaDir = join(root, "schemas");
const examplesDir = join(schemaDir, "examples");

function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function jsonFiles(dir) {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort();
}

// The gateway rejects payloads that are not UTF-8 as malformed_json, so decode strictly
// (readFileSync(..., "utf8") would silently substitute U+FFFD).
const utf8 = new TextDecoder("utf-8", { fatal: true });

// Returns { ok: true, value } or { ok: false, why }.
function parseJson(path) {
  let text;
  try {
    text = utf8.decode(readFileSync(path));
  } catch (e) {
    return { ok: false, why: `not UTF-8 (${e.message})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, why: `not JSON (${e.message})` };
  }
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describeErrors(errors) {
  return (errors ?? [])
    .map((e) => `${e.instancePath || "/"} ${e.message}`)
    .join("; ");
}

let passed = 0;
let failed = 0;
function ok(label) {
  passed += 1;
  console.log(`ok   ${label}`);
}
function fail(label, why) {
  failed += 1;
  console.log(`FAIL ${label}: ${why}`);
}

// Load every schema first so that $refs between them (common.json) resolve.
// Strict mode is on: unknown keywords and formats, ignored keywords, non-strict numbers fail
// compilation. Two of Ajv's optional extra checks are kept at Ajv's own defaults, because
// tap.json's conditional rules trip them although they are correct JSON Schema 2020-12:
//   strictRequired (default off): `then: { required: ["checklist", "result"] }` inside allOf
//     names properties declared two levels up, which that check cannot see;
//   strictTypes (default "log"): `then: { properties: { defects: { minItems: 1 } } }` has no
//     local `type: "array"`. Reported as a warning on stderr, not a failure.
const ajv = new Ajv2020({
  strict: true,
  strictRequired: false,
  strictTypes: "log",
  allErrors: false,
  logger: {
    log: (...args) => console.error(...args),
    warn: (...args) => console.error("warning:", ...args),
    error: (...args) => console.error("error:", ...args),
  },
});
addFormats(ajv, ["date-time", "date"]);
const schemaNames = jsonFiles(schemaDir);
if (schemaNames.length === 0) {
  console.log(`FAIL ${schemaDir}: no schemas found`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
for (const file of schemaNames) {
  const parsed = parseJson(join(schemaDir, file));
  if (!parsed.ok) {
    fail(`schemas/${file}`, parsed.why);
    continue;
  }
  try {
    ajv.addSchema(parsed.value, file);
  } catch (e) {
    fail(`schemas/${file}`, e.message);
  }
}

const exampleSets = isDirectory(examplesDir)
  ? readdirSync(examplesDir).filter((name) => isDirectory(join(examplesDir, name))).sort()
  : [];
if (exampleSets.length === 0) fail("schemas/examples", "no example directories found");

for (const set of exampleSets) {
  let validate;
  try {
    validate = ajv.getSchema(`${set}.json`);
  } catch (e) {
    fail(`${set}/`, `schemas/${set}.json does not compile: ${e.message}`);
    continue;
  }
  if (!validate) {
    fail(`${set}/`, `no schema schemas/${set}.json for this example directory`);
    continue;
  }
  const valid = jsonFiles(join(examplesDir, set, "valid"));
  const invalid = jsonFiles(join(examplesDir, set, "invalid"));
  if (valid.length === 0) fail(`${set}/valid/`, "no valid examples");
  if (invalid.length === 0) fail(`${set}/invalid/`, "no invalid examples");

  for (const file of valid) {
    const label = `${set}/valid/${file}`;
    const parsed = parseJson(join(examplesDir, set, "valid", file));
    if (!parsed.ok) {
      fail(label, parsed.why);
    } else if (!validate(parsed.value)) {
      fail(label, `should be valid: ${describeErrors(validate.errors)}`);
    } else {
      ok(label);
    }
  }

  for (const file of invalid) {
    const label = `${set}/invalid/${file}`;
    const separator = file.indexOf("--");
    const reason = separator > 0 ? file.slice(0, separator) : "";
    if (!DECODER_REASONS.has(reason)) {
      fail(label, `name must start with one of ${[...DECODER_REASONS].join(", ")} then "--"`);
      continue;
    }
    const parsed = parseJson(join(examplesDir, set, "invalid", file));
    if (!parsed.ok) {
      if (reason === "malformed_json") ok(label);
      else fail(label, `${parsed.why}, but named ${reason}`);
      continue;
    }
    if (reason === "malformed_json") {
      fail(label, "named malformed_json but parses as JSON");
    } else if (reason === "not_an_object" && isObject(parsed.value)) {
      fail(label, "named not_an_object but is a JSON object");
    } else if (reason !== "not_an_object" && !isObject(parsed.value)) {
      fail(label, `not a JSON object, but named ${reason}`);
    } else if (validate(parsed.value)) {
      fail(label, "should be invalid but passes the schema");
    } else {
      ok(label);
    }
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
