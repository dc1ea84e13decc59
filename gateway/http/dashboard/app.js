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
    search: "Find an asset", search_hint: "asset id, location or tag UID", found: "{n} found",
    asset_title: "Asset {id}", schedule: "Schedule", state_compliant: "compliant", state_due_soon: "due soon",
    state_overdue: "overdue", state_never_inspected: "never inspected", due: "due", asset_type: "type",
    owner: "owner", interval: "interval", days: "{n} days", place: "place", position: "position",
    sensor: "sensor", work_orders: "Work orders", opened: "opened", completed: "completed", defect: "defect",
    severity: "severity", tags: "Tags", installed: "installed", retired: "retired", by: "by", reason: "reason",
    charts: "Sensor, last 90 days", closing_ms: "closing time (ms)", motor_current_ma: "motor current (mA)",
    battery_percent: "battery (%)", no_readings: "no readings", hash: "hash",
    trend: "Covered, month by month", assets_view: "Assets", all_buildings: "all buildings", all_floors: "all floors", state: "state",
    note: "note", open_orders: "Open work orders ({n})", done_orders: "Done work orders", reviews: "Reviews",
    review_queue: "Awaiting review ({n})", verify: "verify", reject: "reject", reason_hint: "reason (kept in the record)",
    resolved: "Inspection {id}: {decision}, record {record}", reason_needed: "Give a reason first.",
    map: "Map", no_plans: "No floor plans yet: import them with fieldproof plan import.", marker_alarm: "alarm",
    marker_open_defect: "open defect", marker_overdue: "overdue", marker_never_inspected: "never inspected",
    marker_due_soon: "due soon", marker_compliant: "compliant", zoom_in: "Zoom in", zoom_out: "Zoom out", zoom_reset: "Whole floor",
    off_plan: "{n} assets of this floor lie outside the plan: {ids}", plan_of: "{building} · floor {floor}",
    alarms: "Alarms", active_alarms: "Active alarms ({n})", closed_alarms: "Closed alarms", kind: "alarm", raised: "raised",
    alarm_sensor_silent: "sensor silent", alarm_battery_low: "battery low", alarm_closing_out_of_range: "closing time implausible",
    alarm_closing_drift: "closing time drifting", alarm_closing_incomplete: "closure incomplete",
    status_open: "open", status_acknowledged: "acknowledged", status_closed: "closed", acknowledge: "acknowledge", close: "close",
    readings: "{n} readings", closed_how: "closed", work_order: "work order", alarm_done: "Alarm {id}: {status}",
    close_hint: "why it can be closed",
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
    search: "Anlage suchen", search_hint: "Anlagen-ID, Ort oder Tag-UID", found: "{n} gefunden",
    asset_title: "Anlage {id}", schedule: "Prüfplan", state_compliant: "geprüft", state_due_soon: "bald fällig",
    state_overdue: "überfällig", state_never_inspected: "nie geprüft", due: "fällig", asset_type: "Art",
    owner: "Eigentümer", interval: "Intervall", days: "{n} Tage", place: "Ort", position: "Position",
    sensor: "Sensor", work_orders: "Arbeitsaufträge", opened: "eröffnet", completed: "erledigt", defect: "Mangel",
    severity: "Schwere", tags: "Tags", installed: "angebracht", retired: "ausgesondert", by: "durch", reason: "Grund",
    charts: "Sensor, letzte 90 Tage", closing_ms: "Schließzeit (ms)", motor_current_ma: "Motorstrom (mA)",
    battery_percent: "Batterie (%)", no_readings: "keine Messwerte", hash: "Hash",
    trend: "Abdeckung, Monat für Monat", assets_view: "Anlagen", all_buildings: "alle Gebäude", all_floors: "alle Etagen", state: "Zustand",
    note: "Bemerkung", open_orders: "Offene Arbeitsaufträge ({n})", done_orders: "Erledigte Arbeitsaufträge", reviews: "Nachprüfung",
    review_queue: "Zur Nachprüfung ({n})", verify: "bestätigen", reject: "ablehnen", reason_hint: "Begründung (steht im Wartungseintrag)",
    resolved: "Prüfung {id}: {decision}, Eintrag {record}", reason_needed: "Bitte zuerst eine Begründung angeben.",
    map: "Karte", no_plans: "Noch keine Grundrisse: mit fieldproof plan import einlesen.", marker_alarm: "Alarm",
    marker_open_defect: "offener Mangel", marker_overdue: "überfällig", marker_never_inspected: "nie geprüft",
    marker_due_soon: "bald fällig", marker_compliant: "geprüft", zoom_in: "Vergrößern", zoom_out: "Verkleinern", zoom_reset: "Ganze Etage",
    off_plan: "{n} Anlagen dieser Etage liegen außerhalb des Grundrisses: {ids}", plan_of: "{building} · Etage {floor}",
    alarms: "Alarme", active_alarms: "Aktive Alarme ({n})", closed_alarms: "Geschlossene Alarme", kind: "Alarm", raised: "ausgelöst",
    alarm_sensor_silent: "Sensor stumm", alarm_battery_low: "Batterie schwach", alarm_closing_out_of_range: "Schließzeit unplausibel",
    alarm_closing_drift: "Schließzeit driftet", alarm_closing_incomplete: "Schließvorgang unvollständig",
    status_open: "offen", status_acknowledged: "quittiert", status_closed: "geschlossen", acknowledge: "quittieren", close: "schließen",
    readings: "{n} Messwerte", closed_how: "geschlossen", work_order: "Arbeitsauftrag", alarm_done: "Alarm {id}: {status}",
    close_hint: "warum er geschlossen werden kann",
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
  for (const el of document.querySelectorAll("[data-t-placeholder]")) el.placeholder = t(el.dataset.tPlaceholder);
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
  const overdue = c.overdue.map((o) => `<tr><td>${assetLink(o.asset_id)}</td><td>${esc(o.building)}</td><td class="num">${o.floor}</td>
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
    <h3>${t("trend")}</h3>${trendChart(c.trend)}
    <h3>${t("overdue_list", { n: c.overdue_count })}</h3>
    <table><tr><th>${t("asset")}</th><th>${t("building")}</th><th class="num">${t("floor")}</th><th>${t("location")}</th><th>${t("last_verified")}</th><th class="num">${t("days_overdue")}</th></tr>${overdue}</table>`;
  linkAssets();
}

// The share covered at each month's end as bars (inline SVG).
function trendChart(trend) {
  const bars = trend.map((p, i) => {
    const h = p.percent_covered * 1.2;
    return `<g><rect x="${10 + i * 46}" y="${140 - h}" width="34" height="${h}" fill="${heat(p.percent_covered)}"/>
      <text x="${27 + i * 46}" y="${134 - h}" text-anchor="middle">${p.percent_covered}</text>
      <text x="${27 + i * 46}" y="156" text-anchor="middle">${esc(p.month.slice(2))}</text></g>`;
  }).join("");
  return `<svg class="chart" id="trend" viewBox="0 0 ${20 + trend.length * 46} 160" width="${20 + trend.length * 46}" height="160">${bars}</svg>`;
}

// Every asset of a building and floor (or all), with its schedule at a glance.
async function showAssets() {
  const c = await getJson(`/api/v1/sites/${encodeURIComponent(state.site)}/coverage?overdue_limit=1`);
  const buildings = c.by_building.map((b) => b.building);
  const floors = [...new Set(c.by_floor.map((f) => f.floor))].sort((a, b) => a - b);
  $("view").innerHTML = `<p><select id="asset-building"><option value="">${t("all_buildings")}</option>${buildings.map((b) => `<option>${esc(b)}</option>`).join("")}</select>
    <select id="asset-floor"><option value="">${t("all_floors")}</option>${floors.map((f) => `<option value="${f}">${t("floor_n", { n: f })}</option>`).join("")}</select></p>
    <div id="asset-list"></div>`;
  const list = async () => {
    const b = $("asset-building").value;
    const f = $("asset-floor").value;
    const page = await getJson(`/api/v1/assets?site=${encodeURIComponent(state.site)}&limit=500${b ? "&building=" + encodeURIComponent(b) : ""}${f ? "&floor=" + f : ""}`);
    $("asset-list").innerHTML = `<table id="assets"><tr><th>${t("asset")}</th><th>${t("asset_type")}</th><th>${t("building")}</th><th class="num">${t("floor")}</th>
      <th>${t("location")}</th><th>${t("last_verified")}</th></tr>${page.items.map((a) => `<tr><td>${assetLink(a.asset_id)}</td><td>${esc(a.asset_type)}</td>
      <td>${esc(a.building)}</td><td class="num">${a.floor}</td><td>${esc(a.location)}</td><td>${a.last_verified ? esc(a.last_verified.slice(0, 10)) : t("never")}</td></tr>`).join("")}</table>`;
    linkAssets();
  };
  $("asset-building").addEventListener("change", list);
  $("asset-floor").addEventListener("change", list);
  await list();
}

async function showInspections() {
  const page = await getJson(`/api/v1/inspections?site=${encodeURIComponent(state.site)}&limit=50`);
  const rows = page.items.map((i) => `<tr><td><a data-inspection="${i.id}">${i.id}</a></td><td>${i.asset_id ? assetLink(i.asset_id) : ""}</td>
    <td>${esc(i.technician_id)}</td><td>${esc(i.ended_at)}</td><td>${esc(i.verdict)}</td></tr>`).join("");
  $("view").innerHTML = `<h3>${t("latest")}</h3><table id="inspections"><tr><th>${t("id")}</th><th>${t("asset")}</th><th>${t("technician")}</th>
    <th>${t("ended")}</th><th>${t("verdict")}</th></tr>${rows}</table>`;
  for (const a of document.querySelectorAll("[data-inspection]")) {
    a.addEventListener("click", () => showInspection(a.dataset.inspection));
  }
  linkAssets();
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

// Links to an asset page: any element with data-asset.
function linkAssets() {
  for (const a of document.querySelectorAll("[data-asset]")) a.addEventListener("click", () => showAsset(a.dataset.asset));
}
const assetLink = (id) => `<a data-asset="${esc(id)}">${esc(id)}</a>`;

async function search(query) {
  const page = await getJson(`/api/v1/assets?site=${encodeURIComponent(state.site)}&q=${encodeURIComponent(query)}&limit=50`);
  const rows = page.items.map((a) => `<tr><td>${assetLink(a.asset_id)}</td><td>${esc(a.building)}</td><td class="num">${a.floor}</td>
    <td>${esc(a.location)}</td><td>${a.last_verified ? esc(a.last_verified.slice(0, 10)) : t("never")}</td></tr>`).join("");
  $("view").innerHTML = `<h3>${t("found", { n: page.items.length })}</h3><table id="found"><tr><th>${t("asset")}</th><th>${t("building")}</th>
    <th class="num">${t("floor")}</th><th>${t("location")}</th><th>${t("last_verified")}</th></tr>${rows}</table>`;
  linkAssets();
}

// A reading series as a small line chart (inline SVG, no library): time across, value up.
function chart(series) {
  if (!series.length) return `<p>${t("no_readings")}</p>`;
  const times = series.map((p) => Date.parse(p.at));
  const values = series.map((p) => p.value);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.min(...values), Math.max(...values)];
  const x = (at) => 40 + (t1 > t0 ? ((at - t0) / (t1 - t0)) * 520 : 260);
  const y = (v) => 110 - (v1 > v0 ? ((v - v0) / (v1 - v0)) * 100 : 50);
  const points = series.map((p, i) => `${x(times[i]).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const dots = series.length > 60 ? "" : series.map((p, i) => `<circle cx="${x(times[i]).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5" fill="#1f5fbf"/>`).join("");
  return `<svg class="chart" viewBox="0 0 570 130" width="570" height="130"><text x="0" y="14">${v1}</text><text x="0" y="114">${v0}</text>
    <polyline fill="none" stroke="#1f5fbf" stroke-width="1.5" points="${points}"/>${dots}
    <text x="40" y="128">${esc(series[0].at.slice(0, 10))}</text><text x="470" y="128">${esc(series.at(-1).at.slice(0, 10))}</text></svg>`;
}

async function showAsset(id) {
  const [a, alarms] = await Promise.all([getJson(`/api/v1/assets/${encodeURIComponent(id)}?site=${encodeURIComponent(state.site)}`),
    getJson(`/api/v1/alarms?site=${encodeURIComponent(state.site)}&asset=${encodeURIComponent(id)}&limit=50`)]);
  const s = a.schedule;
  const inspections = a.inspections.items.map((i) => `<tr><td><a data-inspection="${i.id}">${i.id}</a></td><td>${esc(i.ended_at)}</td>
    <td>${esc(i.technician_id)}</td><td>${esc(i.verdict)}</td></tr>`).join("");
  const records = a.records.items.map((r) => `<tr><td class="num">${r.seq}</td><td>${esc(r.ended_at)}</td><td>${esc(r.verdict)}</td>
    <td><code>${esc(r.hash.slice(0, 16))}…</code></td></tr>`).join("");
  const orders = a.work_orders.map((w) => `<tr><td>${esc(w.id)}</td><td>${esc(w.status)}</td><td>${esc(w.defect_code)}</td><td>${esc(w.severity)}</td>
    <td>${esc(w.created_at.slice(0, 10))}</td><td>${w.completed_at ? esc(w.completed_at.slice(0, 10)) : ""}</td></tr>`).join("");
  const tags = a.tags.map((g) => `<tr><td><code>${esc(g.tag_uid)}</code></td><td>${esc(g.installed_at.slice(0, 10))} ${t("by")} ${esc(g.installed_by)}</td>
    <td>${g.retired_at ? `${esc(g.retired_at.slice(0, 10))} ${t("by")} ${esc(g.retired_by)}: ${esc(g.retired_reason)}` : ""}</td></tr>`).join("");
  const charts = a.sensor_equipped ? `<h4>${t("charts")}</h4>` + ["closing_ms", "motor_current_ma", "battery_percent"]
    .map((k) => `<div class="series" data-series="${k}"><b>${t(k)}</b>${chart(a.telemetry[k])}</div>`).join("") : "";
  $("view").innerHTML = `<h3 id="asset-title">${t("asset_title", { id: a.asset_id })}</h3>
    <table class="facts"><tr><th>${t("asset_type")}</th><td>${esc(a.asset_type)}</td><th>${t("place")}</th><td>${esc(a.building)} · ${t("floor_n", { n: a.floor })} · ${esc(a.location)}</td></tr>
      <tr><th>${t("owner")}</th><td>${esc(a.owner_id)}</td><th>${t("position")}</th><td>x ${a.x_m} m, y ${a.y_m} m</td></tr>
      <tr><th>${t("interval")}</th><td>${t("days", { n: a.interval_days })}</td><th>${t("tag_uid")}</th><td><code>${esc(a.tag_uid)}</code></td></tr></table>
    <div id="asset-plan"></div>
    <h4>${t("schedule")}</h4><p><span id="asset-state" class="state ${esc(s.state)}">${t("state_" + s.state)}</span>
      ${t("last_verified")}: ${s.last_verified ? esc(s.last_verified.slice(0, 10)) : t("never")} · ${t("due")}: ${s.due_at ? esc(s.due_at.slice(0, 10)) : "–"}</p>
    ${charts}
    <h4>${t("inspections")}</h4><table id="asset-inspections"><tr><th>${t("id")}</th><th>${t("ended")}</th><th>${t("technician")}</th><th>${t("verdict")}</th></tr>${inspections}</table>
    <h4>${t("records")}</h4><table id="asset-records"><tr><th class="num">#</th><th>${t("ended")}</th><th>${t("verdict")}</th><th>${t("hash")}</th></tr>${records}</table>
    <h4>${t("alarms")}</h4><table id="asset-alarms">${alarmHead()}${alarmRows(alarms.items, false)}</table>
    <h4>${t("work_orders")}</h4><table id="asset-work-orders"><tr><th>${t("id")}</th><th>${t("status")}</th><th>${t("defect")}</th><th>${t("severity")}</th><th>${t("opened")}</th><th>${t("completed")}</th></tr>${orders}</table>
    <h4>${t("tags")}</h4><table id="asset-tags"><tr><th>${t("tag_uid")}</th><th>${t("installed")}</th><th>${t("retired")}</th></tr>${tags}</table>`;
  for (const link of document.querySelectorAll("[data-inspection]")) {
    link.addEventListener("click", () => showInspection(link.dataset.inspection));
  }
  linkAssets();
  await showAssetOnPlan(a);
}

// Floor maps: the plan as drawn, every asset on it as a marker coloured by what most needs
// attention. Coordinates are site metres (the plan's viewBox), so markers sit where the
// registry says.
const MARKER_STATES = ["alarm", "open_defect", "overdue", "never_inspected", "due_soon", "compliant"];
const plansCache = new Map();  // site -> the plan list
const planImages = new Map();  // "site/building/floor" -> blob: URL of the drawing

async function plansOf(site) {
  if (!plansCache.has(site)) plansCache.set(site, (await getJson(`/api/v1/plans?site=${encodeURIComponent(site)}`)).plans);
  return plansCache.get(site);
}

const planPath = (site, building, floor) => `/api/v1/plans/${encodeURIComponent(building)}/${floor}`;

// The drawing needs the token, so it is fetched once and shown from a blob: URL.
async function planImage(site, plan) {
  const key = `${site}/${plan.building}/${plan.floor}`;
  if (!planImages.has(key)) {
    const res = await api(`${planPath(site, plan.building, plan.floor)}/image?site=${encodeURIComponent(site)}`);
    planImages.set(key, URL.createObjectURL(await res.blob()));
  }
  return planImages.get(key);
}

function planSvg(plan, image, markers, id) {
  const box = [plan.origin_x_m, plan.origin_y_m, plan.width_m, plan.height_m];
  const dots = markers.map((m) => `<circle class="marker m-${m.state}" data-asset="${esc(m.asset_id)}" data-state="${m.state}"
    cx="${m.x_m}" cy="${m.y_m}" r="1.2"><title>${esc(m.asset_id)} · ${esc(m.location)} · ${t("marker_" + m.state)}</title></circle>`).join("");
  return `<svg id="${id}" class="plan" viewBox="${box.join(" ")}" data-box="${box.join(" ")}" preserveAspectRatio="xMidYMid meet">
    <image href="${image}" x="${box[0]}" y="${box[1]}" width="${box[2]}" height="${box[3]}" preserveAspectRatio="none"/>${dots}</svg>`;
}

// Wheel and buttons zoom about a point, dragging pans; markers keep their size on screen.
function enableZoom(svg) {
  const home = svg.dataset.box.split(" ").map(Number);
  let box = [...home];
  const apply = () => {
    svg.setAttribute("viewBox", box.join(" "));
    const r = (box[2] / svg.clientWidth) * 6;
    for (const c of svg.querySelectorAll("circle")) c.setAttribute("r", r.toFixed(3));
  };
  const zoom = (factor, cx = box[0] + box[2] / 2, cy = box[1] + box[3] / 2) => {
    const w = Math.min(home[2] * 1.5, Math.max(home[2] / 40, box[2] * factor));
    const h = (w / box[2]) * box[3];
    box = [cx - ((cx - box[0]) / box[2]) * w, cy - ((cy - box[1]) / box[3]) * h, w, h];
    apply();
  };
  const toPlan = (event) => {
    const rect = svg.getBoundingClientRect();
    const scale = Math.max(box[2] / rect.width, box[3] / rect.height);
    return [box[0] + box[2] / 2 + (event.clientX - rect.left - rect.width / 2) * scale,
      box[1] + box[3] / 2 + (event.clientY - rect.top - rect.height / 2) * scale, scale];
  };
  svg.addEventListener("wheel", (event) => {
    event.preventDefault();
    const [x, y] = toPlan(event);
    zoom(event.deltaY > 0 ? 1.25 : 0.8, x, y);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    if (event.target.tagName !== "circle") drag = { x: event.clientX, y: event.clientY, start: [...box] };
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const scale = toPlan(event)[2];
    box = [drag.start[0] - (event.clientX - drag.x) * scale, drag.start[1] - (event.clientY - drag.y) * scale, box[2], box[3]];
    apply();
  });
  for (const end of ["pointerup", "pointerleave"]) svg.addEventListener(end, () => { drag = null; });
  apply();
  return { zoomIn: () => zoom(0.5), zoomOut: () => zoom(2), reset: () => { box = [...home]; apply(); } };
}

async function showMap(selected) {
  const plans = await plansOf(state.site);
  if (!plans.length) { $("view").innerHTML = `<p id="no-plans">${t("no_plans")}</p>`; return; }
  const plan = plans.find((p) => `${p.building}/${p.floor}` === selected) || plans[0];
  const map = await getJson(`${planPath(state.site, plan.building, plan.floor)}?site=${encodeURIComponent(state.site)}`);
  const image = await planImage(state.site, plan);
  const options = plans.map((p) => `<option value="${esc(p.building)}/${p.floor}" ${p === plan ? "selected" : ""}>${t("plan_of", { building: p.building, floor: p.floor })} (${p.assets})</option>`).join("");
  const legend = MARKER_STATES.map((s) => `<label class="legend"><input type="checkbox" data-filter="${s}" checked>
    <span class="swatch m-${s}"></span>${t("marker_" + s)} <b data-count="${s}">${map.counts[s]}</b></label>`).join("");
  const off = map.off_plan.length ? `<p class="error" id="off-plan">${t("off_plan", { n: map.off_plan.length, ids: map.off_plan.slice(0, 5).map((m) => m.asset_id).join(", ") })}</p>` : "";
  $("view").innerHTML = `<p><select id="plan-select">${options}</select>
    <button id="zoom-in" title="${t("zoom_in")}">+</button><button id="zoom-out" title="${t("zoom_out")}">−</button>
    <button id="zoom-reset">${t("zoom_reset")}</button></p><div id="legend">${legend}</div>${off}
    <div class="map-frame">${planSvg(map.plan, image, map.markers, "floor-map")}</div>`;
  const controls = enableZoom($("floor-map"));
  $("zoom-in").addEventListener("click", controls.zoomIn);
  $("zoom-out").addEventListener("click", controls.zoomOut);
  $("zoom-reset").addEventListener("click", controls.reset);
  $("plan-select").addEventListener("change", () => showMap($("plan-select").value));
  for (const box of document.querySelectorAll("[data-filter]")) {
    box.addEventListener("change", () => $("floor-map").classList.toggle("hide-" + box.dataset.filter, !box.checked));
  }
  linkAssets();
}

// The asset's place on its floor's plan, when the floor has one.
async function showAssetOnPlan(a) {
  const plan = (await plansOf(state.site)).find((p) => p.building === a.building && p.floor === a.floor);
  if (!plan) return;
  const marker = { asset_id: a.asset_id, location: a.location, x_m: a.x_m, y_m: a.y_m, state: "here" };
  $("asset-plan").innerHTML = `<h4>${t("plan_of", { building: a.building, floor: a.floor })}</h4>
    <div class="map-frame small">${planSvg(plan, await planImage(state.site, plan), [marker], "asset-map")}</div>`;
  enableZoom($("asset-map"));
}

// Alarms from telemetry: the readings each rests on, who took it on, how it ended.
function evidenceList(items) {
  if (!items.length) return "";
  return `<details><summary>${t("readings", { n: items.length })}</summary><ul>${items.map((e) =>
    `<li>${esc(e.at.slice(0, 19).replace("T", " "))} ${esc(e.what)}${e.msg_id ? ` <code>${esc(e.msg_id)}</code>` : ""}</li>`).join("")}</ul></details>`;
}

function alarmRows(alarms, actions) {
  return alarms.map((a) => `<tr data-alarm="${a.id}"><td>${a.id}</td><td>${assetLink(a.asset_id)}</td><td>${t("alarm_" + a.kind)}</td>
    <td class="alarm-status">${t("status_" + a.status)}${a.acknowledged_by ? ` (${esc(a.acknowledged_by)})` : ""}</td>
    <td>${esc(a.raised_at.slice(0, 16).replace("T", " "))}</td><td>${esc(a.detail)}${evidenceList(a.evidence)}</td>
    <td>${a.work_order ? esc(a.work_order) : ""}</td>
    <td>${a.status === "closed" ? `${esc(a.close_reason ?? "")}${evidenceList(a.clear_evidence)}` : actions ? `
      ${a.status === "open" ? `<button data-acknowledge="${a.id}">${t("acknowledge")}</button>` : ""}
      <input data-close-reason="${a.id}" size="22" placeholder="${esc(t("close_hint"))}"><button data-close="${a.id}">${t("close")}</button>` : ""}</td></tr>`).join("");
}

const alarmHead = () => `<tr><th>${t("id")}</th><th>${t("asset")}</th><th>${t("kind")}</th><th>${t("status")}</th><th>${t("raised")}</th>
  <th>${t("detail")}</th><th>${t("work_order")}</th><th></th></tr>`;

async function showAlarms() {
  const site = encodeURIComponent(state.site);
  const [active, closed] = await Promise.all([getJson(`/api/v1/alarms?site=${site}&status=active&limit=500`),
    getJson(`/api/v1/alarms?site=${site}&status=closed&limit=50`)]);
  $("view").innerHTML = `<h3>${t("active_alarms", { n: active.items.length })}</h3><p id="alarm-result"></p>
    <table id="active-alarms">${alarmHead()}${alarmRows(active.items, state.supervises)}</table>
    <h3>${t("closed_alarms")}</h3><table id="closed-alarms">${alarmHead()}${alarmRows(closed.items, false)}</table>`;
  linkAssets();
  for (const b of document.querySelectorAll("[data-acknowledge]")) b.addEventListener("click", () => actOnAlarm(b.dataset.acknowledge, "acknowledge"));
  for (const b of document.querySelectorAll("[data-close]")) b.addEventListener("click", () => actOnAlarm(b.dataset.close, "close"));
}

async function actOnAlarm(id, action) {
  const reason = action === "close" ? document.querySelector(`[data-close-reason="${id}"]`).value.trim() : "";
  if (action === "close" && !reason) { $("alarm-result").textContent = t("reason_needed"); return; }
  const res = await fetch(`/api/v1/alarms/${encodeURIComponent(id)}/${action}`, { method: "POST",
    headers: { Authorization: "Bearer " + state.token, "Content-Type": "application/json" }, body: JSON.stringify(reason ? { reason } : {}) });
  const answer = await res.json();
  if (!res.ok) { $("alarm-result").textContent = answer.error; return; }
  await showAlarms();
  $("alarm-result").textContent = t("alarm_done", { id, status: t("status_" + answer.status) });
}

function workOrderRows(orders) {
  return orders.map((w) => `<tr><td>${esc(w.id)}</td><td>${assetLink(w.asset_id)}</td><td>${esc(w.defect_code)}</td><td>${esc(w.severity)}</td>
    <td>${esc(w.note)}</td><td>${esc(w.created_at.slice(0, 10))}</td><td>${w.completed_at ? esc(w.completed_at.slice(0, 10)) : ""}</td></tr>`).join("");
}

async function showWorkOrders() {
  const site = encodeURIComponent(state.site);
  const [open, done] = await Promise.all([getJson(`/api/v1/work-orders?site=${site}&status=open&limit=200`),
    getJson(`/api/v1/work-orders?site=${site}&status=done&limit=50`)]);
  const head = `<tr><th>${t("id")}</th><th>${t("asset")}</th><th>${t("defect")}</th><th>${t("severity")}</th><th>${t("note")}</th>
    <th>${t("opened")}</th><th>${t("completed")}</th></tr>`;
  $("view").innerHTML = `<h3>${t("open_orders", { n: open.items.length })}</h3><table id="open-work-orders">${head}${workOrderRows(open.items)}</table>
    <h3>${t("done_orders")}</h3><table id="done-work-orders">${head}${workOrderRows(done.items)}</table>`;
  linkAssets();
}

// Supervisors resolve what the verifier could not decide; the reason goes into the record.
async function showReviews() {
  const queue = await getJson(`/api/v1/reviews?site=${encodeURIComponent(state.site)}`);
  const rows = queue.items.map((i) => `<tr><td><a data-inspection="${i.id}">${i.id}</a></td><td>${assetLink(i.asset_id)}</td>
    <td>${esc(i.technician_id)}</td><td>${esc(i.ended_at)}</td><td><input data-reason="${i.id}" size="32" placeholder="${esc(t("reason_hint"))}"></td>
    <td><button data-decide="${i.id}" data-decision="verified">${t("verify")}</button>
      <button data-decide="${i.id}" data-decision="rejected">${t("reject")}</button></td></tr>`).join("");
  $("view").innerHTML = `<h3>${t("review_queue", { n: queue.items.length })}</h3><p id="review-result"></p>
    <table id="reviews"><tr><th>${t("id")}</th><th>${t("asset")}</th><th>${t("technician")}</th><th>${t("ended")}</th><th>${t("reason")}</th><th></th></tr>${rows}</table>`;
  linkAssets();
  for (const a of document.querySelectorAll("#reviews [data-inspection]")) a.addEventListener("click", () => showInspection(a.dataset.inspection));
  for (const b of document.querySelectorAll("[data-decide]")) b.addEventListener("click", () => decide(b.dataset.decide, b.dataset.decision));
}

async function decide(id, decision) {
  const reason = document.querySelector(`[data-reason="${id}"]`).value.trim();
  if (!reason) { $("review-result").textContent = t("reason_needed"); return; }
  const res = await fetch("/api/v1/reviews", { method: "POST", headers: { Authorization: "Bearer " + state.token, "Content-Type": "application/json" },
    body: JSON.stringify({ inspection_id: Number(id), decision, reason }) });
  const answer = await res.json();
  if (!res.ok) { $("review-result").textContent = answer.error; return; }
  await showReviews();
  $("review-result").textContent = t("resolved", { id, decision, record: `${answer.maintenance_record.site}#${answer.maintenance_record.seq}` });
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

const views = { coverage: showCoverage, map: () => showMap(), alarms: showAlarms, assets: showAssets, inspections: showInspections, "work-orders": showWorkOrders, reviews: showReviews,
  invoices: showInvoices };

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
    state.supervises = me.role === "supervisor" || me.role === "admin";
    document.querySelector("nav [data-view=reviews]").hidden = !state.supervises;
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
$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const query = $("search").value.trim();
  if (query) search(query).catch((e) => { $("view").innerHTML = `<p class="error">${esc(e.message)}</p>`; });
});
translatePage();
$("site").addEventListener("change", () => { state.site = $("site").value; show("coverage"); });
for (const b of document.querySelectorAll("nav [data-view]")) b.addEventListener("click", () => show(b.dataset.view));
if (state.token) start();
