// Reading NTAG 424 DNA tags with Web NFC (Chrome on Android): the tag's NDEF URL record is
// its SUN message, sent as it is; the asset id is the URL's last path segment, so the app
// shows the asset before anything is verified (the gateway checks it against the tag's
// authenticated UID, docs/handheld.md).
"use strict";

const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SUN_QUERY = /^(picc_data|e|uid)=/;

// {tag, assetId} for the tap, or null when the record is no tag of ours.
export function tagFromUrl(url) {
  let parsed;
  try { parsed = new URL(url); } catch { return null; }
  if (!SUN_QUERY.test(parsed.search.slice(1))) return null;
  const last = parsed.pathname.split("/").pop();
  return { tag: { type: "sun", url }, assetId: ENTITY_ID.test(last) ? last : "" };
}

function urlOf(record) {
  if (record.recordType !== "url" && record.recordType !== "absolute-url") return null;
  return new TextDecoder().decode(record.data);
}

export function nfcAvailable() { return "NDEFReader" in window; }

// Starts reading; onTag({tag, assetId, readAt}) for each of our tags, onProblem(key) for
// anything else. Needs a user gesture the first time (the browser asks for permission).
export async function watchTags(onTag, onProblem) {
  const reader = new NDEFReader();
  reader.onreadingerror = () => onProblem("nfc_unreadable");
  reader.onreading = (event) => {
    const readAt = new Date().toISOString();
    for (const record of event.message.records) {
      const url = urlOf(record);
      const found = url && tagFromUrl(url);
      if (found) { onTag({ ...found, readAt }); return; }
    }
    onProblem("nfc_not_ours");
  };
  await reader.scan();
}

// A ULID: sortable by time, unique per handheld, unchanged on resend.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export function newMsgId(now = Date.now()) {
  let time = "";
  for (let i = 0; i < 10; ++i) { time = CROCKFORD[now % 32] + time; now = Math.floor(now / 32); }
  const random = crypto.getRandomValues(new Uint8Array(16));
  return time + [...random].map((b) => CROCKFORD[b % 32]).join("");
}

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
