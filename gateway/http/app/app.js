// The fieldproof handheld app (docs/handheld.md): set up with a one-time code, sign in, read
// an asset's tag to start, answer its checklist with defects and photos, read the tag again
// to finish, see the verdict. Every photo and tap goes into the outbox on the device first
// and is sent from there, in order, whenever the network allows; nothing is loaded from
// elsewhere.
"use strict";
import { MqttClient } from "/app/mqtt.js";
import { outbox, kv } from "/app/outbox.js";
import { watchTags, nfcAvailable, newMsgId, sha256Hex } from "/app/tag.js";
import { t, has, setLanguage, currentLanguage } from "/app/i18n.js";

const FIRMWARE = "hh-web-1.0.0";
const MAX_PHOTOS = 10;
const PIN_ROUNDS = 100000;
const $ = (id) => document.getElementById(id);
const state = {
  device: null,      // The enrolment's answer: device_id, site, mqtt, api_token.
  technician: null,  // {technician_id, name}
  assets: new Map(), // From the site snapshot.
  types: new Map(),
  session: null,     // The open inspection, kept in IndexedDB.
  verdicts: [],      // The latest verdict notices, newest first.
  mqtt: null,
  link: "offline",
  retryMs: 1000,
  scanning: false,
};

// ---- Small helpers ----

function show(section) {
  for (const el of document.querySelectorAll("main > section")) el.hidden = el.id !== section;
}

function say(text, error = false) {
  const el = $("message");
  el.textContent = text;
  el.className = error ? "error" : "";
  el.hidden = !text;
}

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function when(timestamp) {
  if (!timestamp) return t("never");
  return new Date(timestamp).toLocaleString(currentLanguage() === "de" ? "de-DE" : "en-GB",
    { dateStyle: "medium", timeStyle: "short" });
}

const tapTopic = () => `fieldproof/v1/${state.device.site}/tap/${state.device.device_id}`;

async function api(method, path, body, headers = {}) {
  const auth = state.device ? { Authorization: "Bearer " + state.device.api_token } : {};
  return fetch(path, { method, headers: { ...auth, ...headers }, body });
}

async function errorOf(response) {
  try { return (await response.json()).error || response.statusText; } catch { return response.statusText; }
}

// ---- Enrolment and sign-in ----

async function enrol(event) {
  event.preventDefault();
  say("");
  let response;
  try {
    response = await fetch("/api/v1/enrol", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: $("enrol-code").value.trim() }) });
  } catch (e) {
    return say(t("enrol_failed", { reason: t("offline") }), true);
  }
  if (response.status === 404) return say(t("enrol_unknown"), true);
  if (!response.ok) return say(t("enrol_failed", { reason: await errorOf(response) }), true);
  state.device = await response.json();
  await kv.set("device", state.device);
  history.replaceState(null, "", "/app/");  // The code is used: keep it out of the address bar.
  await refreshSnapshot();
  connect();
  route();
}

// PBKDF2 of the PIN, so that a technician who signed in here before can sign in offline.
async function pinHash(pin, salt) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: PIN_ROUNDS }, key, 256);
  return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function signIn(event) {
  event.preventDefault();
  say("");
  const technician_id = $("technician").value.trim();
  const pin = $("pin").value;
  let response = null;
  try {
    response = await api("POST", "/api/v1/handheld/sign-in", JSON.stringify({ site: state.device.site, technician_id, pin }),
      { "Content-Type": "application/json" });
  } catch (e) {
    return signInOffline(technician_id, pin);
  }
  if (response.status === 401) return withdrawn();
  if (!response.ok) return say(t("signin_failed", { reason: await errorOf(response) }), true);
  state.technician = await response.json();
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const known = (await kv.get("pins")) || {};
  known[technician_id] = { salt, hash: await pinHash(pin, salt), technician: state.technician };
  await kv.set("pins", known);
  await signedIn();
}

async function signInOffline(technician_id, pin) {
  const known = ((await kv.get("pins")) || {})[technician_id];
  if (!known || (await pinHash(pin, known.salt)) !== known.hash) {
    return say(t("signin_failed", { reason: t("offline") }), true);
  }
  state.technician = known.technician;
  await signedIn();
}

async function signedIn() {
  $("pin").value = "";
  await kv.set("technician", state.technician);
  route();
}

async function signOut() {
  state.technician = null;
  await kv.remove("technician");
  route();
}

async function withdrawn() {
  say(t("access_withdrawn"), true);
  state.mqtt?.close();
  state.device = null;
  state.technician = null;
  await kv.remove("device");
  await kv.remove("technician");
  route();
}

// ---- The site snapshot ----

function indexSnapshot(snapshot) {
  state.assets = new Map((snapshot?.assets || []).map((a) => [a.asset_id, a]));
  state.types = new Map((snapshot?.asset_types || []).map((a) => [a.asset_type, a]));
}

async function refreshSnapshot() {
  if (!state.device || !navigator.onLine) return;
  try {
    const response = await api("GET", `/api/v1/handheld/snapshot?site=${encodeURIComponent(state.device.site)}`);
    if (response.status === 401) return withdrawn();
    if (!response.ok) return;
    const snapshot = await response.json();
    await kv.set("snapshot", snapshot);
    indexSnapshot(snapshot);
  } catch (e) {
    // Offline: the kept snapshot serves.
  }
}

// ---- Taps ----

function tapMessage(kind, tag, readAt) {
  return {
    msg_id: newMsgId(),
    device_id: state.device.device_id,
    technician_id: state.technician.technician_id,
    site: state.device.site,
    tag,
    read_at: readAt,
    sent_at: new Date().toISOString(),
    kind,
    firmware: FIRMWARE,
  };
}

async function queueTap(message) {
  await outbox.add({ kind: "tap", topic: tapTopic(), msg_id: message.msg_id, payload: JSON.stringify(message) });
  pump();
}

async function onTag({ tag, assetId, readAt }) {
  if (!state.device || !state.technician) return;
  say("");
  const open = state.session && !state.session.end_msg_id ? state.session : null;
  if (!open) return begin(tag, assetId, readAt);
  if (assetId && open.asset_id && assetId !== open.asset_id) {
    return say(t("other_asset", { asset: assetId, open: open.asset_id }), true);
  }
  return finish(tag, readAt);
}

async function begin(tag, assetId, readAt) {
  const message = tapMessage("start", tag, readAt);
  state.session = { asset_id: assetId, start_msg_id: message.msg_id, answers: {}, defects: [], photos: [], work_order_id: "" };
  await saveSession();
  await queueTap(message);
  if (!state.assets.has(assetId)) say(t("asset_unknown", { asset: assetId || "?" }), true);
  showInspection();
}

function checklistOf(session) {
  const asset = state.assets.get(session.asset_id);
  return (asset && state.types.get(asset.asset_type)?.checklist) || [];
}

async function finish(tag, readAt) {
  const s = state.session;
  const items = checklistOf(s);
  const missing = items.filter((item) => !s.answers[item.id]).length;
  if (missing > 0) return say(t("incomplete", { missing }), true);
  const failed = items.some((item) => s.answers[item.id] === "fail");
  if (failed && s.defects.length === 0) return say(t("defect_needed"), true);
  const message = tapMessage("end", tag, readAt);
  message.checklist = Object.fromEntries(items.map((item) => [item.id, s.answers[item.id]]));
  message.result = failed ? "fail" : "pass";
  message.defects = s.defects;
  if (s.photos.length) message.photos = s.photos.map((p) => p.sha256);
  if (s.work_order_id) message.work_order_id = s.work_order_id;
  s.end_msg_id = message.msg_id;
  await saveSession();
  await queueTap(message);
  showWaiting();
}

async function cancel() {
  state.session = null;
  await kv.remove("session");
  say("");
  route();
}

const saveSession = () => kv.set("session", state.session);

// ---- The inspection screen ----

function showInspection() {
  const s = state.session;
  const asset = state.assets.get(s.asset_id);
  const orders = asset?.open_work_orders || [];
  $("asset-card").innerHTML = `<h2>${esc(s.asset_id || "?")}</h2>` + (asset ? `
    <div>${esc(has("type_" + asset.asset_type) ? t("type_" + asset.asset_type) : asset.asset_type)} · ${esc(asset.building)} ·
      ${esc(t("floor", { n: asset.floor }))} · ${esc(asset.location)}</div>
    <dl><dt>${t("last_verified")}</dt><dd>${when(asset.last_verified)}</dd>
        <dt>${t("next_due")}</dt><dd>${when(asset.next_due)}</dd>
        <dt>${t("open_work_orders")}</dt><dd>${orders.length ? orders.map(esc).join(", ") : "–"}</dd></dl>` : "") +
    (orders.length ? `<label>${t("completes_work_order")} <select id="work-order"><option value="">${t("none")}</option>` +
      orders.map((o) => `<option${o === s.work_order_id ? " selected" : ""}>${esc(o)}</option>`).join("") + "</select></label>" : "");
  $("work-order")?.addEventListener("change", async (e) => { s.work_order_id = e.target.value; await saveSession(); });
  renderChecklist();
  renderDefects();
  renderPhotos();
  show("inspection");
}

function renderChecklist() {
  const s = state.session;
  const german = currentLanguage() === "de";
  $("checklist").innerHTML = checklistOf(s).map((item) => `<li>${esc(german && item.text_de ? item.text_de : item.text)}
    <div class="answers">${["pass", "fail", "na"].map((answer) =>
      `<label class="${answer}"><input type="radio" name="${esc(item.id)}" value="${answer}"${s.answers[item.id] === answer ? " checked" : ""}>${t(answer)}</label>`).join("")}</div></li>`).join("");
}

async function onAnswer(event) {
  const input = event.target;
  if (input.type !== "radio") return;
  state.session.answers[input.name] = input.value;
  say("");
  if (input.value === "fail" && !$("defect-code").value) $("defect-code").value = input.name;
  await saveSession();
}

// A shutter without findings: one touch answers every open item with OK.
async function allOthersOk() {
  for (const item of checklistOf(state.session)) state.session.answers[item.id] ??= "pass";
  say("");
  renderChecklist();
  await saveSession();
}

function renderDefects() {
  $("defects").innerHTML = state.session.defects.map((d, i) =>
    `<li><b>${esc(d.code)}</b> (${t(d.severity)})${d.note ? ": " + esc(d.note) : ""}<button type="button" data-remove="${i}">${t("remove")}</button></li>`).join("");
}

async function addDefect() {
  const code = $("defect-code").value.trim();
  if (!/^[a-z0-9_]{1,32}$/.test(code) || state.session.defects.length >= 32) return $("defect-code").focus();
  const defect = { code, severity: $("defect-severity").value };
  const note = $("defect-note").value.trim();
  if (note) defect.note = note.slice(0, 500);
  state.session.defects.push(defect);
  $("defect-code").value = "";
  $("defect-note").value = "";
  renderDefects();
  await saveSession();
}

async function removeDefect(event) {
  const index = event.target.dataset.remove;
  if (index === undefined) return;
  state.session.defects.splice(Number(index), 1);
  await saveSession();
  renderDefects();
}

function renderPhotos() {
  for (const img of $("photos").querySelectorAll("img")) URL.revokeObjectURL(img.src);
  $("photos").innerHTML = "";
  for (const photo of state.session.photos) {
    const img = document.createElement("img");
    img.src = URL.createObjectURL(photo.blob);
    img.alt = photo.sha256.slice(0, 12);
    $("photos").append(img);
  }
}

// Camera pictures above 3 MB are scaled to 2560 pixels on the long side: plenty to see a
// defect, and an outbox of them still fits on the phone.
async function preparePhoto(file) {
  if (file.size <= 3 * 1024 * 1024) return file;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 2560 / Math.max(bitmap.width, bitmap.height));
  const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas.convertToBlob({ type: "image/jpeg", quality: 0.85 });
}

// A photo goes into the outbox at once, so it is sent before the end tap that names it.
async function addPhotos(event) {
  const s = state.session;
  for (const file of event.target.files) {
    if (s.photos.length >= MAX_PHOTOS) break;
    const blob = await preparePhoto(file);
    const sha256 = await sha256Hex(blob);
    if (s.photos.some((p) => p.sha256 === sha256)) continue;
    s.photos.push({ sha256, blob });
    await saveSession();
    await outbox.add({ kind: "photo", sha256, blob });
  }
  event.target.value = "";
  renderPhotos();
  pump();
}

// ---- Verdicts ----

function showWaiting() {
  $("verdict-banner").className = "";
  $("verdict-banner").innerHTML = `<span class="hint">${t(state.link === "online" ? "waiting_verdict" : "waiting_offline")}</span>`;
  $("verdict-checks").innerHTML = "";
  $("verdict-orders").innerHTML = "";
  show("verdict");
}

const STATUS_MARK = { pass: "✓", review: "?", fail: "✗", "n/a": "–" };
const STATUS_ORDER = { fail: 0, review: 1, pass: 2, "n/a": 3 };  // What decided it, first.

function showVerdict(notice) {
  $("verdict-banner").className = notice.verdict;
  $("verdict-banner").innerHTML = `${esc(t("verdict_" + notice.verdict))}<small>${esc(notice.asset_id || "")}</small>`;
  const checks = [...notice.checks].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  $("verdict-checks").innerHTML = checks.map((c) => `<tr><td class="status ${c.status === "n/a" ? "na" : esc(c.status)}">${STATUS_MARK[c.status] || ""}</td>
    <td>${esc(has("check_" + c.name) ? t("check_" + c.name) : c.name)}<br><small>${esc(c.detail)}</small></td></tr>`).join("");
  let orders = "";
  if (notice.work_orders_opened?.length) orders += `<p>${t("work_orders_opened")}: <b>${notice.work_orders_opened.map(esc).join(", ")}</b></p>`;
  if (notice.work_order_completed) orders += `<p>${t("work_order_completed")}: <b>${esc(notice.work_order_completed)}</b></p>`;
  $("verdict-orders").innerHTML = orders;
  show("verdict");
}

function showRejection(notice) {
  $("verdict-banner").className = "rejected";
  $("verdict-banner").innerHTML = `${t("verdict_rejected")}<small>${esc(t("rejected_message", { reason: notice.reason }))}</small>`;
  $("verdict-checks").innerHTML = `<tr><td>${esc(notice.detail)}</td></tr>`;
  $("verdict-orders").innerHTML = "";
  show("verdict");
}

async function onNotice(topic, text) {
  let notice;
  try { notice = JSON.parse(text); } catch { return; }
  const s = state.session;
  if (topic.endsWith("/verdict")) {
    state.verdicts = [notice, ...state.verdicts.filter((v) => v.end_msg_id !== notice.end_msg_id)].slice(0, 20);
    await kv.set("verdicts", state.verdicts);
    if (s?.end_msg_id === notice.end_msg_id) showVerdict(notice);
    renderRecent();
  } else if (topic.endsWith("/notice") && s && (notice.msg_id === s.end_msg_id || notice.msg_id === s.start_msg_id)) {
    showRejection(notice);
  }
}

function renderRecent() {
  $("recent").innerHTML = state.verdicts.map((v) =>
    `<li><span class="badge ${esc(v.verdict)}">${esc(t("verdict_" + v.verdict))}</span>${esc(v.asset_id || "?")} · ${when(v.assessed_at)}</li>`).join("");
}

async function next() {
  state.session = null;
  await kv.remove("session");
  route();
}

// ---- The broker and the outbox ----

function showStatus() {
  $("connection").textContent = t(state.link);
  $("connection").className = state.link;
  $("who").textContent = state.device
    ? `${state.technician ? state.technician.technician_id + " · " : ""}${state.device.device_id} · ${state.device.site}` : "";
}

async function showOutbox() {
  const n = await outbox.count();
  $("outbox-count").textContent = n ? t("waiting", { n }) : t("all_sent");
}

function setLink(link) {
  state.link = link;
  showStatus();
}

async function connect() {
  if (!state.device || state.mqtt || !navigator.onLine) return;
  const m = state.device.mqtt;
  const client = new MqttClient({
    url: m.url, clientId: m.client_id, username: m.username, password: m.password,
    onMessage: onNotice,
    onClose: () => {
      state.mqtt = null;
      setLink(navigator.onLine ? "connecting" : "offline");
      if (navigator.onLine && state.device) setTimeout(connect, state.retryMs);
      state.retryMs = Math.min(state.retryMs * 2, 30000);
    },
  });
  state.mqtt = client;
  setLink("connecting");
  try {
    await client.connect();
    await client.subscribe([tapTopic() + "/verdict", tapTopic() + "/notice"]);
    state.retryMs = 1000;
    setLink("online");
    pump();
  } catch (e) {
    if (/password|authorised/.test(e.message)) withdrawn();
    client.close();
  }
}

// Sends the outbox's oldest entries until it is empty or something must wait; every entry
// keeps its place, so photos go before the end tap that names them. Taps in a row go out
// together, up to BATCH in flight: one connection keeps their order.
const BATCH = 50;
let pumping = false;
let pumpAgain = false;
async function pump() {
  if (pumping) { pumpAgain = true; return; }
  pumping = true;
  try {
    do {
      pumpAgain = false;
      for (let items = await outbox.first(BATCH); items.length; items = await outbox.first(BATCH)) {
        const firstPhoto = items.findIndex((item) => item.kind === "photo");
        const batch = firstPhoto === 0 ? items.slice(0, 1) : items.slice(0, firstPhoto < 0 ? items.length : firstPhoto);
        if (!(await (batch[0].kind === "photo" ? sendPhoto(batch[0]) : publishTaps(batch)))) break;
        await outbox.remove(batch.map((item) => item.seq));
        await showOutbox();
      }
    } while (pumpAgain);
  } finally {
    pumping = false;
    await showOutbox();
  }
}

async function publishTaps(taps) {
  if (!state.mqtt?.connected) return false;
  try {
    await Promise.all(taps.map((item) => state.mqtt.publish(item.topic, item.payload)));
    return true;
  } catch {
    return false;  // Sent again later, with the same msg_ids: stored once.
  }
}

async function sendPhoto(item) {
  let response;
  try {
    response = await api("PUT", `/api/v1/photos/${item.sha256}`, item.blob, { "Content-Type": item.blob.type || "image/jpeg" });
  } catch (e) {
    return false;
  }
  if (response.ok) return true;
  if (response.status === 401) { withdrawn(); return false; }
  if (response.status === 429) {  // The token's rate: go on when the gateway says.
    setTimeout(pump, 1000 * (Number(response.headers.get("Retry-After")) || 1));
    return false;
  }
  if ([413, 415, 422].includes(response.status)) {  // It can never be accepted: drop it, say so.
    say(t("photo_refused", { reason: await errorOf(response) }), true);
    return true;
  }
  return false;
}

// ---- Tags ----

async function startReading() {
  if (!nfcAvailable()) return say(t("nfc_missing"), true);
  try {
    await watchTags(onTag, (problem) => say(t(problem), true));
    state.scanning = true;
    $("scan").hidden = true;
  } catch (e) {
    say(`${t("nfc_missing")} (${e.message})`, true);
  }
}

// ---- Start ----

function route() {
  showStatus();
  if (!state.device) return show("enrol");
  if (!state.technician) return show("signin");
  const s = state.session;
  if (s && !s.end_msg_id) return showInspection();
  if (s?.end_msg_id) {
    const verdict = state.verdicts.find((v) => v.end_msg_id === s.end_msg_id);
    return verdict ? showVerdict(verdict) : showWaiting();
  }
  $("scan").hidden = state.scanning;
  renderRecent();
  show("ready");
}

function switchLanguage() {
  setLanguage(currentLanguage() === "de" ? "en" : "de");
  showStatus();
  showOutbox();
  route();
}

async function start() {
  setLanguage(currentLanguage());
  navigator.serviceWorker?.register("/app/sw.js", { scope: "/app/" }).catch(() => {});
  state.device = (await kv.get("device")) || null;
  state.technician = (await kv.get("technician")) || null;
  state.session = (await kv.get("session")) || null;
  state.verdicts = (await kv.get("verdicts")) || [];
  indexSnapshot(await kv.get("snapshot"));
  const code = new URLSearchParams(location.search).get("code");
  if (code) $("enrol-code").value = code;

  $("enrol-form").addEventListener("submit", enrol);
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  $("scan").addEventListener("click", startReading);
  $("checklist").addEventListener("change", onAnswer);
  $("all-ok").addEventListener("click", allOthersOk);
  $("add-defect").addEventListener("click", addDefect);
  $("defects").addEventListener("click", removeDefect);
  $("photo-input").addEventListener("change", addPhotos);
  $("cancel").addEventListener("click", cancel);
  $("next").addEventListener("click", next);
  $("language").addEventListener("click", switchLanguage);
  addEventListener("online", () => { connect(); refreshSnapshot(); pump(); });
  addEventListener("offline", () => { state.mqtt?.close(); setLink("offline"); });

  if (nfcAvailable() && (await navigator.permissions?.query({ name: "nfc" }).catch(() => null))?.state === "granted") {
    startReading();
  }
  route();
  await showOutbox();
  refreshSnapshot();
  connect();
  setInterval(pump, 5000);
}

start();
