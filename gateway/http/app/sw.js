// The handheld app's service worker: the app starts without network. Network first, so an
// online handheld always runs the gateway's current app; the cached copy when offline. The
// API is never cached: the app keeps its own data in IndexedDB.
"use strict";

const CACHE = "fieldproof-app";
const FILES = ["/app/", "/app/app.js", "/app/mqtt.js", "/app/outbox.js", "/app/tag.js", "/app/i18n.js",
  "/app/style.css", "/app/manifest.webmanifest", "/app/icon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || !url.pathname.startsWith("/app/")) return;
  const key = url.pathname;  // "/app/?code=…" is the app itself.
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (!response.ok) return caches.match(key).then((cached) => cached || response);  // A proxy up, the gateway not.
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(key, copy));
        return response;
      })
      .catch(() => caches.match(key).then((cached) => cached || Response.error())),
  );
});
