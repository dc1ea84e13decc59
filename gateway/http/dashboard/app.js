// The fieldproof dashboard: plain JavaScript against the gateway's API (docs/api.md), no
// libraries, nothing loaded from elsewhere. The token stays in this tab's sessionStorage.
"use strict";

const state = { token: sessionStorage.getItem("fieldproof-token") || "", site: "" };
const $ = (id) => document.getElementById(id);

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

async function api(path) {
  const res = await fetch(path, { headers: { Authorization: "Bearer " + state.token } });
  if (res.status === 401) { signOut("The token was not accepted."); throw new Error("unauthorized"); }
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
  const t = c.total;
  const buildings = c.by_building.map((b) => b.building);
  const floors = [...new Set(c.by_floor.map((f) => f.floor))].sort((a, b) => b - a);
  let grid = `<div class="grid" style="grid-template-columns:80px repeat(${buildings.length},100px)"><div></div>`;
  grid += buildings.map((b) => `<div><b>${esc(b)}</b></div>`).join("");
  for (const floor of floors) {
    grid += `<div>floor ${floor}</div>`;
    for (const b of buildings) {
      const cell = c.by_floor.find((f) => f.building === b && f.floor === floor);
      grid += cell ? `<div class="cell" style="background:${heat(cell.percent_covered)}" title="${cell.assets} assets">${cell.percent_covered} %</div>` : "<div></div>";
    }
  }
  grid += "</div>";
  const overdue = c.overdue.map((o) => `<tr><td>${esc(o.asset_id)}</td><td>${esc(o.building)}</td><td class="num">${o.floor}</td>
    <td>${esc(o.location)}</td><td>${o.last_verified ? esc(o.last_verified.slice(0, 10)) : "never"}</td>
    <td class="num">${o.due_at ? o.days_overdue : ""}</td></tr>`).join("");
  $("view").innerHTML = `
    <div class="big" id="covered">${t.percent_covered} % covered</div>
    <div class="cards">
      <div class="card">assets<b id="count-assets">${t.assets}</b></div>
      <div class="card">compliant<b id="count-compliant">${t.compliant}</b></div>
      <div class="card">due soon<b id="count-due-soon">${t.due_soon}</b></div>
      <div class="card">overdue<b id="count-overdue">${t.overdue}</b></div>
      <div class="card">never inspected<b id="count-never">${t.never_inspected}</b></div>
      <div class="card">open reviews<b>${c.open_reviews}</b></div></div>
    <h3>By building and floor</h3>${grid}
    <h3>Overdue and never inspected (${c.overdue_count})</h3>
    <table><tr><th>asset</th><th>building</th><th class="num">floor</th><th>location</th><th>last verified</th><th class="num">days overdue</th></tr>${overdue}</table>`;
}

async function showInspections() {
  const page = await getJson(`/api/v1/inspections?site=${encodeURIComponent(state.site)}&limit=50`);
  const rows = page.items.map((i) => `<tr><td><a data-inspection="${i.id}">${i.id}</a></td><td>${esc(i.asset_id)}</td>
    <td>${esc(i.technician_id)}</td><td>${esc(i.ended_at)}</td><td>${esc(i.verdict)}</td></tr>`).join("");
  $("view").innerHTML = `<h3>Latest inspections</h3><table id="inspections"><tr><th>id</th><th>asset</th><th>technician</th>
    <th>ended</th><th>verdict</th></tr>${rows}</table>`;
  for (const a of document.querySelectorAll("[data-inspection]")) {
    a.addEventListener("click", () => showInspection(a.dataset.inspection));
  }
}

async function showInspection(id) {
  const i = await getJson(`/api/v1/inspections/${encodeURIComponent(id)}`);
  const checks = i.checks.map((c) => `<tr><td>${esc(c.name)}</td><td class="${c.status === "pass" ? "pass" : c.status === "fail" ? "fail" : "review"}">${esc(c.status)}</td><td>${esc(c.detail)}</td></tr>`).join("");
  const taps = i.taps.map((t) => `<tr><td>${esc(t.kind)}</td><td>${esc(t.read_at)}</td><td>${esc(t.tag_uid)}</td>
    <td class="num">${t.read_counter ?? ""}</td><td>${t.authentic ? "yes" : "no"}</td><td>${esc(t.freshness)}</td></tr>`).join("");
  const records = i.maintenance_records.map((r) => `${esc(i.site)}#${r.seq} <code>${esc(r.hash.slice(0, 16))}…</code>`).join(", ");
  $("view").innerHTML = `<h3 id="inspection-title">Inspection ${i.id}: ${esc(i.verdict)}</h3>
    <p>${esc(i.asset_id)} by ${esc(i.technician_id)} (${esc(i.device_id)}), ${esc(i.started_at)} to ${esc(i.ended_at)}; evidence ${esc(i.strength)}.
    Maintenance records: ${records || "none"}.</p>
    <h4>Checks</h4><table id="checks"><tr><th>check</th><th>status</th><th>detail</th></tr>${checks}</table>
    <h4>Tag reads</h4><table><tr><th>tap</th><th>read at</th><th>tag UID</th><th class="num">counter</th><th>authentic</th><th>fresh</th></tr>${taps}</table>`;
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
  $("view").innerHTML = `<h3>Invoices</h3><table id="invoices"><tr><th>number</th><th>type</th><th>period</th><th>issued</th>
    <th class="num">total</th><th>download</th></tr>${rows}</table>`;
  for (const a of document.querySelectorAll("[data-number]")) {
    a.addEventListener("click", () => download(a.dataset.number, a.dataset.format));
  }
}

const views = { coverage: showCoverage, inspections: showInspections, invoices: showInvoices };

async function show(view) {
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
$("site").addEventListener("change", () => { state.site = $("site").value; show("coverage"); });
for (const b of document.querySelectorAll("nav [data-view]")) b.addEventListener("click", () => show(b.dataset.view));
if (state.token) start();
