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
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import {
  describeErrors,
  isDirectory,
  isObject,
  jsonFiles,
  newAjv,
  newTally,
} from "./check_support.mjs";

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

const { ok, fail, finish } = newTally();

// Load every schema first so that $refs between them (common.json) resolve. Strict mode and
// the two relaxed checks are explained at newAjv in check_support.mjs.
const ajv = newAjv({ allErrors: false, formats: ["date-time", "date"] });
const schemaNames = jsonFiles(schemaDir);
if (schemaNames.length === 0) {
  fail(schemaDir, "no schemas found");
  finish();
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

finish();
