// Service worker: keeps the app shell (index.html and its content-hashed assets) so the portal
// opens with no signal. API responses are never cached here: the portal keeps its own masked
// offline copy of the e-card and wipes it on sign-out. Feature-detected; absent in iOS WeChat.
"use strict";
const SHELL = "portal-shell-v3";
const HASHED = /^\/assets\/[0-9a-f]{16}\//;

self.addEventListener("install", (event) => {
  event.waitUntil(refreshShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

// Pages: always the newest index.html when online (so a new deployment never runs old wasm
// against a new API), the cached one when offline.
async function networkFirstPage(request) {
  try {
    const response = await fetch(request);
    // A page drawn for one member (`no-store`: its first paint) is never kept; the shell is.
    const personal = (response.headers.get("cache-control") || "").includes("no-store");
    if (response.ok && !personal && (response.headers.get("content-type") || "").includes("text/html")) {
      const cache = await caches.open(SHELL);
      await cache.put("/", response.clone());
      pruneAssets(await response.clone().text());
    }
    return response;
  } catch (offline) {
    const cached = await caches.match("/");
    if (cached) return cached;
    throw offline;
  }
}

// Content-hashed assets never change: serve from the cache, fill it on first use.
async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

async function refreshShell() {
  // Without cookies: signed in, `/` is the member's home drawn for them (a first paint), and
  // what is kept here is the shell every visitor may see.
  const response = await fetch("/", { cache: "no-cache", credentials: "omit" });
  const personal = (response.headers.get("cache-control") || "").includes("no-store");
  if (!response.ok || personal) return;
  const html = await response.clone().text();
  const cache = await caches.open(SHELL);
  await cache.put("/", response);
  await cache.addAll(assetsOf(html));
  // The screens behind sign-in are lazily loaded chunks; keep them too, so they open offline.
  const dir = buildDir(html);
  if (dir) {
    const listed = await fetch(dir + "chunks.json").then((r) => (r.ok ? r.json() : []), () => []);
    await cache.addAll(listed.map((name) => dir + name)).catch(() => {});
  }
}

// The build's asset directory, `/assets/<hash>/`, as the page names it.
function buildDir(html) {
  const match = html.match(/\/assets\/[0-9a-f]{16}\//);
  return match ? match[0] : null;
}

function assetsOf(html) {
  const found = new Set();
  // The stylesheet and the module preloads named in the page.
  for (const match of html.matchAll(/["'](\/assets\/[0-9a-f]{16}\/[^"']+)["']/g)) {
    found.add(match[1]);
  }
  return [...found];
}

// Drops assets of earlier deployments once a new index.html is cached.
async function pruneAssets(html) {
  const dir = buildDir(html);
  if (!dir) return;
  const cache = await caches.open(SHELL);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (HASHED.test(path) && !path.startsWith(dir)) await cache.delete(request);
  }
}
