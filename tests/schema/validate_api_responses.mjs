#!/usr/bin/env node
// Checks HTTP exchanges the integration tests recorded against docs/openapi.yaml, so that the
// API description cannot drift from the server.
//
//   node tests/schema/validate_api_responses.mjs OPENAPI_YAML CAPTURES_DIR [SCHEMAS_DIR]
//
// CAPTURES_DIR holds *.json files, one exchange each:
//   {"method": "GET", "target": "/api/v1/inspections?site=S1&limit=2", "status": 200,
//    "content_type": "application/json", "body": "<the raw response body>"}
// SCHEMAS_DIR (default: ../schemas next to the OpenAPI file) holds the JSON Schemas
// (2020-12) that the description refers to, e.g. `$ref: "../schemas/invoice.json"`.
//
// For each capture: the path (without the query) must match one of the description's paths
// ({id} and the like match one segment), the method one of its operations (HEAD falls back
// to GET when the path declares no head), the status one of its responses (the code, then
// "2XX" and the like, then "default"). When the response declares content, the content type
// (before ';') must be one of it; a JSON body must parse and validate against the response's
// schema. A JSON response described without a schema fails.
//
// Then every operation of the description needs at least one capture with a 2xx status, so
// that the capture test cannot quietly skip an endpoint.
//
// Prints one line per capture and per missing operation and ends with "N passed, N failed";
// exits 1 on any failure.
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { parse as parseYaml } from "yaml";

import {
  describeErrors,
  isDirectory,
  isObject,
  jsonFiles,
  newAjv,
  newTally,
} from "./check_support.mjs";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const [openapiArg, capturesArg, schemasArg] = process.argv.slice(2);
if (!openapiArg || !capturesArg) {
  console.error(
    "usage: node validate_api_responses.mjs <openapi.yaml> <captures-dir> [<schemas-dir>]",
  );
  process.exit(2);
}
const openapiPath = resolve(openapiArg);
const capturesDir = resolve(capturesArg);
const schemaDir = resolve(schemasArg ?? join(dirname(openapiPath), "..", "schemas"));
// The $id under which the description's components/schemas are known to Ajv (as $defs).
const OPENAPI_ID = pathToFileURL(openapiPath).href;

const { ok, fail, finish } = newTally();

// Returns { ok: true, value } or { ok: false, why }.
function readJson(path) {
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, "utf8")) };
  } catch (e) {
    return { ok: false, why: e.message };
  }
}

// --- The description ---------------------------------------------------------------------

let doc;
try {
  doc = parseYaml(readFileSync(openapiPath, "utf8"), { uniqueKeys: true });
} catch (e) {
  fail(openapiArg, `cannot read: ${e.message}`);
  finish();
}
if (!isObject(doc) || !isObject(doc.paths) || !/^3\.0\.\d+$/.test(String(doc.openapi))) {
  fail(openapiArg, "not an OpenAPI 3.0 document with paths");
  finish();
}

// A local reference (#/components/...) inside the description.
function resolveLocal(ref) {
  if (typeof ref !== "string" || !ref.startsWith("#/")) throw new Error(`cannot resolve $ref ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) || !(key in node)) throw new Error(`$ref ${ref} points nowhere`);
    node = node[key];
  }
  return node;
}

// Response objects may be references to components/responses.
function responseObject(response) {
  for (let i = 0; isObject(response) && "$ref" in response; ++i) {
    if (i === 10) throw new Error("$ref loop");
    response = resolveLocal(response.$ref);
  }
  return response;
}

// --- Ajv with schemas/*.json --------------------------------------------------------------

// The strict options of validate_examples.mjs (newAjv explains the two relaxed checks): the
// files in schemas/ are compiled here too (invoice.json and what it refers to). All errors, so
// that one run shows everything a capture gets wrong; OpenAPI's formats besides the dates.
const ajv = newAjv({
  allErrors: true,
  formats: ["date-time", "date", "int32", "int64", "float", "double", "byte", "binary", "password"],
});

// File -> the $id it is known by, to resolve `$ref: "../schemas/invoice.json"`.
const schemaIdByPath = new Map();
const schemaIdByName = new Map();
if (!isDirectory(schemaDir)) {
  fail(schemaDir, "no such directory (the third argument names the JSON Schemas)");
} else {
  for (const file of jsonFiles(schemaDir)) {
    const path = join(schemaDir, file);
    const parsed = readJson(path);
    if (!parsed.ok || !isObject(parsed.value)) {
      fail(path, parsed.ok ? "not a JSON object" : `not JSON (${parsed.why})`);
      continue;
    }
    const id = typeof parsed.value.$id === "string" ? parsed.value.$id : pathToFileURL(path).href;
    try {
      ajv.addSchema(parsed.value, parsed.value.$id ? undefined : id);
      schemaIdByPath.set(path, id);
      schemaIdByName.set(file, id);
    } catch (e) {
      fail(path, e.message);
    }
  }
}

// --- OpenAPI 3.0 schema objects to JSON Schema 2020-12 ------------------------------------

// Keywords of OpenAPI's schema object that JSON Schema lacks; `nullable` is turned into
// type [..., "null"] (OpenAPI 3.0.3: it adds null to the allowed types; an enum must list null
// itself), the others are annotations.
const OPENAPI_ONLY = new Set(["nullable", "discriminator", "xml", "externalDocs", "example"]);
const SCHEMA_VALUED = new Set(["items", "additionalProperties", "not"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf"]);

function rewriteRef(ref, where) {
  if (typeof ref !== "string") throw new Error(`${where}: $ref must be a string`);
  const prefix = "#/components/schemas/";
  if (ref.startsWith(prefix)) return `${OPENAPI_ID}#/$defs/${ref.slice(prefix.length)}`;
  if (ref.startsWith("#")) throw new Error(`${where}: a schema may refer to #/components/schemas/ only, not ${ref}`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;  // An absolute URI: Ajv resolves it or fails.
  const hash = ref.indexOf("#");
  const file = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? "" : ref.slice(hash);
  const path = resolve(dirname(openapiPath), file);
  const id = schemaIdByPath.get(path) ?? schemaIdByName.get(basename(path));
  if (!id) throw new Error(`${where}: $ref ${ref} names no file in ${schemaDir}`);
  return id + fragment;
}

function toJsonSchema(node, where) {
  if (typeof node === "boolean") return node;
  if (!isObject(node)) throw new Error(`${where}: a schema must be an object`);
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (OPENAPI_ONLY.has(key)) continue;
    if (key === "$ref") {
      out.$ref = rewriteRef(value, where);
    } else if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, s]) => [name, toJsonSchema(s, `${where}/properties/${name}`)]),
      );
    } else if (SCHEMA_VALUED.has(key) && isObject(value)) {
      out[key] = toJsonSchema(value, `${where}/${key}`);
    } else if (SCHEMA_LISTS.has(key)) {
      out[key] = value.map((s, i) => toJsonSchema(s, `${where}/${key}/${i}`));
    } else {
      out[key] = value;  // type, enum, format, required, minimum, description, ...
    }
  }
  if (node.nullable === true) {
    if (typeof node.type !== "string") throw new Error(`${where}: nullable needs a single type`);
    out.type = [node.type, "null"];
  }
  // OpenAPI 3.0 writes exclusiveMinimum/exclusiveMaximum as booleans beside minimum/maximum.
  for (const [exclusive, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]]) {
    if (typeof node[exclusive] === "boolean") {
      delete out[exclusive];
      if (node[exclusive]) {
        out[exclusive] = node[bound];
        delete out[bound];
      }
    }
  }
  // A name in `required` that `properties` lacks is a typo, not a rule.
  if (Array.isArray(node.required) && isObject(node.properties)) {
    const missing = node.required.filter((name) => !(name in node.properties));
    if (missing.length > 0) throw new Error(`${where}: required names undeclared ${missing.join(", ")}`);
  }
  return out;
}

// components/schemas as one schema document, each a $def.
const defs = {};
for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
  try {
    defs[name] = toJsonSchema(schema, `#/components/schemas/${name}`);
  } catch (e) {
    fail(`${basename(openapiPath)} components/schemas/${name}`, e.message);
  }
}
try {
  ajv.addSchema({ $id: OPENAPI_ID, $defs: defs });
} catch (e) {
  fail(`${basename(openapiPath)} components/schemas`, e.message);
}
// Compile every component once, so that a broken one fails even when no capture uses it.
for (const name of Object.keys(defs)) {
  try {
    ajv.compile({ $ref: `${OPENAPI_ID}#/$defs/${name}` });
  } catch (e) {
    fail(`${basename(openapiPath)} components/schemas/${name}`, e.message);
  }
}

// The validator of a media type object's schema, compiled once.
const validators = new Map();
function validatorOf(mediaType, where) {
  if (!validators.has(mediaType)) {
    validators.set(mediaType, ajv.compile(toJsonSchema(mediaType.schema, where)));
  }
  return validators.get(mediaType);
}

// --- Operations ---------------------------------------------------------------------------

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Each path template as a regular expression; a {parameter} matches one non-empty segment.
const templates = Object.keys(doc.paths).map((template) => {
  const parts = template.split(/(\{[^}/]+\})/);
  const params = parts.filter((p) => /^\{[^}/]+\}$/.test(p)).length;
  const literal = parts.filter((p) => !/^\{[^}/]+\}$/.test(p)).join("");
  const pattern = parts.map((p) => (/^\{[^}/]+\}$/.test(p) ? "[^/]+" : escapeRegExp(p))).join("");
  return { template, params, literalLength: literal.length, regexp: new RegExp(`^${pattern}$`) };
});

// The most concrete template that matches: fewest parameters, then the most literal text.
function matchPath(path) {
  const matches = templates.filter((t) => t.regexp.test(path));
  matches.sort((a, b) => a.params - b.params || b.literalLength - a.literalLength);
  return matches[0]?.template;
}

function isJsonType(type) {
  return type === "application/json" || /^application\/[^/]+\+json$/.test(type);
}

// The media type object of `content` for a response's content type, or undefined.
function mediaTypeFor(content, type) {
  for (const [key, media] of Object.entries(content)) {
    const k = key.toLowerCase().split(";")[0].trim();
    if (k === type || k === "*/*" || (k.endsWith("/*") && type.startsWith(k.slice(0, -1)))) {
      return { key: k, media: media ?? {} };
    }
  }
  return undefined;
}

// Statically: every JSON media type of every response has a schema that compiles.
for (const [template, item] of Object.entries(doc.paths)) {
  for (const method of METHODS) {
    const op = item?.[method];
    if (!isObject(op)) continue;
    for (const [status, raw] of Object.entries(op.responses ?? {})) {
      const label = `${basename(openapiPath)} ${method.toUpperCase()} ${template} ${status}`;
      try {
        const response = responseObject(raw);
        for (const [type, media] of Object.entries(response?.content ?? {})) {
          if (!isJsonType(type.toLowerCase())) continue;
          if (!isObject(media) || media.schema === undefined) {
            fail(`${label} ${type}`, "a JSON response described without a schema");
          } else {
            validatorOf(media, `${template} ${method} ${status} ${type}`);
          }
        }
      } catch (e) {
        fail(label, e.message);
      }
    }
  }
}

// --- Captures -----------------------------------------------------------------------------

const covered = new Set();  // "template method" with a 2xx capture

function checkCapture(file, capture) {
  if (
    !isObject(capture) ||
    typeof capture.method !== "string" ||
    typeof capture.target !== "string" ||
    !capture.target.startsWith("/") ||
    !Number.isInteger(capture.status) ||
    typeof capture.body !== "string" ||
    (capture.content_type !== undefined && typeof capture.content_type !== "string")
  ) {
    return fail(file, "not a capture {method, target, status, content_type, body}");
  }
  const method = capture.method.toLowerCase();
  const label = `${capture.method.toUpperCase()} ${capture.target} ${capture.status}`;
  const where = `${label} (${file})`;
  const path = capture.target.split(/[?#]/)[0];
  const template = matchPath(path);
  if (!template) return fail(where, `path ${path} is not described`);
  const item = doc.paths[template];
  let op = item?.[method];
  let as = method;
  if (!isObject(op) && method === "head" && isObject(item?.get)) {
    op = item.get;  // HEAD answers as GET would, without the body.
    as = "get (for head)";
  }
  if (!isObject(op)) return fail(where, `${capture.method.toUpperCase()} ${template} is not described`);
  if (as === method && capture.status >= 200 && capture.status < 300) covered.add(`${template} ${method}`);

  const responses = op.responses ?? {};
  const code = String(capture.status);
  const raw = responses[code] ?? responses[`${code[0]}XX`] ?? responses[`${code[0]}xx`] ?? responses.default;
  if (raw === undefined) {
    return fail(where, `status ${code} is not described for ${method.toUpperCase()} ${template}`);
  }
  let response;
  try {
    response = responseObject(raw);
  } catch (e) {
    return fail(where, e.message);
  }
  const type = (capture.content_type ?? "").split(";")[0].trim().toLowerCase();
  const content = isObject(response?.content) ? response.content : undefined;
  const hasBody = method !== "head" && capture.body.length > 0;
  if (!content || Object.keys(content).length === 0) {
    if (hasBody && isJsonType(type)) return fail(where, "a JSON body, but the response is described without content");
    return ok(label);
  }
  const found = mediaTypeFor(content, type);
  if (!found) {
    return fail(where, `content type "${type}" is not one of ${Object.keys(content).join(", ")}`);
  }
  if (!isJsonType(found.key) && !isJsonType(type)) return ok(label);
  if (method === "head") return ok(label);  // No body to check.
  if (!isObject(found.media) || found.media.schema === undefined) {
    return fail(where, "a JSON response described without a schema");
  }
  let body;
  try {
    body = JSON.parse(capture.body);
  } catch (e) {
    return fail(where, `body is not JSON (${e.message})`);
  }
  let validate;
  try {
    validate = validatorOf(found.media, `${template} ${method} ${code} ${found.key}`);
  } catch (e) {
    return fail(where, `schema does not compile: ${e.message}`);
  }
  if (!validate(body)) {
    return fail(where, describeErrors(validate.errors, { limit: 5, details: true }));
  }
  return ok(label);
}

const captureFiles = isDirectory(capturesDir) ? jsonFiles(capturesDir) : [];
if (captureFiles.length === 0) fail(capturesDir, "no captures (*.json)");
for (const file of captureFiles) {
  const parsed = readJson(join(capturesDir, file));
  if (!parsed.ok) fail(file, `not JSON (${parsed.why})`);
  else checkCapture(file, parsed.value);
}

// Every described operation answered successfully at least once.
for (const [template, item] of Object.entries(doc.paths)) {
  for (const method of METHODS) {
    if (!isObject(item?.[method])) continue;
    if (!covered.has(`${template} ${method}`)) {
      fail(`${method.toUpperCase()} ${template}`, "no capture with a 2xx status");
    }
  }
}

finish();
