// The fieldproof dashboard: plain JavaScript against the gateway's API (docs/api.md), no
// libraries, nothing loaded from elsewhere. The token stays in this tab's sessionStorage;
// the language (English or German) in this browser's localStorage.
"use strict";

const state = { token: sessionStorage.getItem("fieldproof-token") || "", site: "", view: "coverage" };
const $ = (id) => document.getElementById(id);

const WORDS = {
  en: {
    language: "Deutsch", sign_in: "Sign in", sign_out: "Sign out", site: "Site",
    token_hint: "Paste the API token you were given (fieldproof token create).",
    token_refused: "The token was not accepted.",
    coverage: "Coverage", inspections: "Inspections", invoices: "Invoices",
    covered: "{p} % covered", assets: "assets", compliant: "compliant", due_soon: "due soon",
    overdue: "overdue", never_inspected: "never inspected", open_reviews: "open reviews",
    by_floor: "By building and floor", floor: "floor", floor_n: "floor {n}", cell_title: "{n} assets",
    overdue_list: "Overdue and never inspected ({n})", asset: "asset", building: "building",
    location: "location", last_verified: "last verified", days_overdue: "days overdue", never: "never",
    latest: "Latest inspections", id: "id", technician: "technician", ended: "ended", verdict: "verdict",
    inspection_title: "Inspection {id}: {verdict}",
    inspection_by: "{asset} by {technician} ({device}), {start} to {end}; evidence {strength}.",
    records: "Maintenance records", none: "none", checks: "Checks", check: "check",
    status: "status", detail: "detail", tag_reads: "Tag reads", tap: "tap", read_at: "read at",
    tag_uid: "tag UID", counter: "counter", authentic: "authentic", fresh: "fresh", yes: "yes", no: "no",
    photos: "Photos", number: "number", type: "type", period: "period", issued: "issued", total: "total",
    download: "download",
  },
  de: {
    language: "English", sign_in: "Anmelden", sign_out: "Abmelden", site: "Standort",
    token_hint: "Das erhaltene API-Token einfügen (fieldproof token create).",
    token_refused: "Das Token wurde nicht angenommen.",
    coverage: "Abdeckung", inspections: "Prüfungen", invoices: "Rechnungen",
    covered: "{p} % abgedeckt", assets: "Anlagen", compliant: "geprüft", due_soon: "bald fällig",
    overdue: "überfällig", never_inspected: "nie geprüft", open_reviews: "offene Nachprüfungen",
    by_floor: "Nach Gebäude und Etage", floor: "Etage", floor_n: "Etage {n}", cell_title: "{n} Anlagen",
    overdue_list: "Überfällig und nie geprüft ({n})", asset: "Anlage", building: "Gebäude",
    location: "Ort", last_verified: "zuletzt bestätigt", days_overdue: "Tage überfällig", never: "nie",
    latest: "Letzte Prüfungen", id: "Nr.", technician: "Techniker", ended: "beendet", verdict: "Ergebnis",
    inspection_title: "Prüfung {id}: {verdict}",
    inspection_by: "{asset} durch {technician} ({device}), {start} bis {end}; Nachweis {strength}.",
    records: "Wartungseinträge", none: "keine", checks: "Prüfschritte", check: "Prüfschritt",
    status: "Status", detail: "Einzelheiten", tag_reads: "Tag-Lesungen", tap: "Lesung", read_at: "gelesen",
    tag_uid: "Tag-UID", counter: "Zähler", authentic: "echt", fresh: "neu", yes: "ja", no: "nein",
    photos: "Fotos", number: "Nummer", type: "Art", period: "Zeitraum", issued: "ausgestellt", total: "Summe",
    download: "Herunterladen",
  },
};
let lang = localStorage.getItem("fieldproof-lang") || (navigator.language.toLowerCase().startsWith("de") ? "de" : "en");

// The words for `key` in the chosen language, {name} replaced (escaped) from `vars`.
function t(key, vars = {}) {
  const text = WORDS[lang][key] ?? WORDS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => esc(vars[name]));
}

function translatePage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
}

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

async function api(path) {
  const res = await fetch(path, { headers: { Authorization: "Bearer " + state.token } });
  if (res.status === 401) { signOut(t("token_refused")); throw new Error("unauthorized"); }
  if (!res.ok) throw new Error((await res.json()).error || res.statusText);
  return res;
}
const getJson = async (path) => (await api(path)).json();

function heat(percent) {
  const p = Math.max(0, Math.min(1, percent / 100));
  const r = p < 0.5 ? 220 : Math.round(220 - (p - 0.5) * 2 * 180);
  const g = p < 0.5 ? Math.round(60 + p * 2 * 140) : 200;
  return `rgb(${r},${g},80)`;
}

async function showCoverage() {
  const c = await getJson(`/api/v1/sites/${encodeURIComponent(state.site)}/coverage?overdue_limit=50`);
  const total = c.total;
  const buildings = c.by_building.map((b) => b.building);
  const floors = [...new Set(c.by_floor.map((f) => f.floor))].sort((a, b) => b - a);
  let grid = `<div class="grid" style="grid-template-columns:80px repeat(${buildings.length},100px)"><div></div>`;
  grid += buildings.map((b) => `<div><b>${esc(b)}</b></div>`).join("");
  for (const floor of floors) {
    grid += `<div>${t("floor_n", { n: floor })}</div>`;
    for (const b of buildings) {
      const cell = c.by_floor.find((f) => f.building === b && f.floor === floor);
      grid += cell ? `<div class="cell" style="background:${heat(cell.percent_covered)}" title="${t("cell_title", { n: cell.assets })}">${cell.percent_covered} %</div>` : "<div></div>";
    }
  }
  grid += "</div>";
  const overdue = c.overdue.map((o) => `<tr><td>${esc(o.asset_id)}</td><td>${esc(o.building)}</td><td class="num">${o.floor}</td>
    <td>${esc(o.location)}</td><td>${o.last_verified ? esc(o.last_verified.slice(0, 10)) : t("never")}</td>
    <td class="num">${o.due_at ? o.days_overdue : ""}</td></tr>`).join("");
  $("view").innerHTML = `
    <div class="big" id="covered">${t("covered", { p: total.percent_covered })}</div>
    <div class="cards">
      <div class="card">${t("assets")}<b id="count-assets">${total.assets}</b></div>
      <div class="card">${t("compliant")}<b id="count-compliant">${total.compliant}</b></div>
      <div class="card">${t("due_soon")}<b id="count-due-soon">${total.due_soon}</b></div>
      <div class="card">${t("overdue")}<b id="count-overdue">${total.overdue}</b></div>
      <div class="card">${t("never_inspected")}<b id="count-never">${total.never_inspected}</b></div>
      <div class="card">${t("open_reviews")}<b>${c.open_reviews}</b></div></div>
    <h3>${t("by_floor")}</h3>${grid}
    <h3>${t("overdue_list", { n: c.overdue_count })}</h3>
    <table><tr><th>${t("asset")}</th><th>${t("building")}</th><th class="num">${t("floor")}</th><th>${t("location")}</th><th>${t("last_verified")}</th><th class="num">${t("days_overdue")}</th></tr>${overdue}</table>`;
}

async function showInspections() {
  const page = await getJson(`/api/v1/inspections?site=${encodeURIComponent(state.site)}&limit=50`);
  const rows = page.items.map((i) => `<tr><td><a data-inspection="${i.id}">${i.id}</a></td><td>${esc(i.asset_id)}</td>
    <td>${esc(i.technician_id)}</td><td>${esc(i.ended_at)}</td><td>${esc(i.verdict)}</td></tr>`).join("");
  $("view").innerHTML = `<h3>${t("latest")}</h3><table id="inspections"><tr><th>${t("id")}</th><th>${t("asset")}</th><th>${t("technician")}</th>
    <th>${t("ended")}</th><th>${t("verdict")}</th></tr>${rows}</table>`;
  for (const a of document.querySelectorAll("[data-inspection]")) {
    a.addEventListener("click", () => showInspection(a.dataset.inspection));
  }
}

async function showInspection(id) {
  const i = await getJson(`/api/v1/inspections/${encodeURIComponent(id)}`);
  const checks = i.checks.map((c) => `<tr><td>${esc(c.name)}</td><td class="${c.status === "pass" ? "pass" : c.status === "fail" ? "fail" : "review"}">${esc(c.status)}</td><td>${esc(c.detail)}</td></tr>`).join("");
  const taps = i.taps.map((r) => `<tr><td>${esc(r.kind)}</td><td>${esc(r.read_at)}</td><td>${esc(r.tag_uid)}</td>
    <td class="num">${r.read_counter ?? ""}</td><td>${r.authentic ? t("yes") : t("no")}</td><td>${esc(r.freshness)}</td></tr>`).join("");
  const records = i.maintenance_records.map((r) => `${esc(i.site)}#${r.seq} <code>${esc(r.hash.slice(0, 16))}…</code>`).join(", ");
  $("view").innerHTML = `<h3 id="inspection-title">${t("inspection_title", { id: i.id, verdict: i.verdict })}</h3>
    <p>${t("inspection_by", { asset: i.asset_id, technician: i.technician_id, device: i.device_id, start: i.started_at, end: i.ended_at, strength: i.strength })}
    ${t("records")}: ${records || t("none")}.</p>
    <h4>${t("checks")}</h4><table id="checks"><tr><th>${t("check")}</th><th>${t("status")}</th><th>${t("detail")}</th></tr>${checks}</table>
    <h4>${t("tag_reads")}</h4><table><tr><th>${t("tap")}</th><th>${t("read_at")}</th><th>${t("tag_uid")}</th><th class="num">${t("counter")}</th><th>${t("authentic")}</th><th>${t("fresh")}</th></tr>${taps}</table>
    ${i.photos.length ? `<h4>${t("photos")}</h4><div id="photos"></div>` : ""}`;
  await showPhotos(i.photos);
}

// Photos need the token, so they are fetched and shown from blob: URLs.
async function showPhotos(hashes) {
  for (const hash of hashes) {
    const img = document.createElement("img");
    img.alt = hash.slice(0, 12);
    img.src = URL.createObjectURL(await (await api(`/api/v1/photos/${encodeURIComponent(hash)}`)).blob());
    $("photos").append(img);
  }
}

async function download(number, format) {
  const res = await api(`/api/v1/invoices/${encodeURIComponent(number)}${format === "ubl" ? "?format=ubl" : ""}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = number + (format === "ubl" ? ".xml" : ".json");
  a.click();
  URL.revokeObjectURL(url);
}

async function showInvoices() {
  const page = await getJson("/api/v1/invoices");
  const rows = page.items.map((i) => `<tr><td>${esc(i.number)}</td><td>${esc(i.type)}</td><td>${esc(i.period)}</td>
    <td>${esc(i.issue_date)}</td><td class="num">${esc(i.total)} ${esc(i.currency)}</td>
    <td><a data-number="${esc(i.number)}" data-format="json">JSON</a> · <a data-number="${esc(i.number)}" data-format="ubl">UBL</a></td></tr>`).join("");
  $("view").innerHTML = `<h3>${t("invoices")}</h3><table id="invoices"><tr><th>${t("number")}</th><th>${t("type")}</th><th>${t("period")}</th><th>${t("issued")}</th>
    <th class="num">${t("total")}</th><th>${t("download")}</th></tr>${rows}</table>`;
  for (const a of document.querySelectorAll("[data-number]")) {
    a.addEventListener("click", () => download(a.dataset.number, a.dataset.format));
  }
}

const views = { coverage: showCoverage, inspections: showInspections, invoices: showInvoices };

async function show(view) {
  state.view = view;
  for (const b of document.querySelectorAll("nav [data-view]")) b.classList.toggle("active", b.dataset.view === view);
  try {
    await views[view]();
  } catch (e) {
    $("view").innerHTML = `<p class="error">${esc(e.message)}</p>`;
  }
}

async function start() {
  try {
    const me = await getJson("/api/v1/me");
    const sites = await getJson("/api/v1/sites");
    $("who").textContent = `${me.name} (${me.role}${me.customer_id ? ", " + me.customer_id : ""})`;
    $("site").innerHTML = sites.items.map((s) => `<option>${esc(s.site)}</option>`).join("");
    state.site = sites.items.length ? sites.items[0].site : "";
    $("signin").hidden = true;
    $("app").hidden = false;
    await show("coverage");
  } catch (e) {
    if (e.message !== "unauthorized") $("signin-error").textContent = e.message;
  }
}

function signOut(message) {
  sessionStorage.removeItem("fieldproof-token");
  state.token = "";
  $("app").hidden = true;
  $("signin").hidden = false;
  $("who").textContent = "";
  $("signin-error").textContent = message || "";
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.token = $("token").value.trim();
  sessionStorage.setItem("fieldproof-token", state.token);
  start();
});
$("signout").addEventListener("click", () => signOut());
$("language").addEventListener("click", () => {
  lang = lang === "de" ? "en" : "de";
  localStorage.setItem("fieldproof-lang", lang);
  translatePage();
  if (!$("app").hidden) show(state.view);
});
translatePage();
$("site").addEventListener("change", () => { state.site = $("site").value; show("coverage"); });
for (const b of document.querySelectorAll("nav [data-view]")) b.addEventListener("click", () => show(b.dataset.view));
if (state.token) start();
