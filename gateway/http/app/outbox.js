// What the handheld keeps on the device, in IndexedDB: the outbox of photos and taps in the
// order they were made (each with its original read time and msg_id, so a resend is the same
// message), and a small key-value store for the enrolment, the sign-in, the site snapshot,
// the open inspection and the latest verdicts. Survives closing the app and restarting the
// phone.
"use strict";

let database = null;

function open() {
  if (database) return database;
  database = new Promise((resolve, reject) => {
    const request = indexedDB.open("fieldproof", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      request.result.createObjectStore("kv");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return database;
}

async function run(store, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    let result;
    const request = work(tx.objectStore(store));
    if (request) request.onsuccess = () => { result = request.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("storage transaction aborted"));
  });
}

export const outbox = {
  add: (item) => run("outbox", "readwrite", (s) => s.add({ ...item, queued_at: new Date().toISOString() })),
  // The oldest `n` entries, in order.
  first: (n) => run("outbox", "readonly", (s) => s.getAll(null, n)),
  count: () => run("outbox", "readonly", (s) => s.count()),
  remove: (seqs) => run("outbox", "readwrite", (s) => { for (const seq of seqs) s.delete(seq); }),
};

export const kv = {
  get: (key) => run("kv", "readonly", (s) => s.get(key)),
  set: (key, value) => run("kv", "readwrite", (s) => s.put(value, key)),
  remove: (key) => run("kv", "readwrite", (s) => s.delete(key)),
};
