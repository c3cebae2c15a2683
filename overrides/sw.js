/* Offline reading for this site. It runs only for a reader who pressed "Save this language" (kb.js registers it
   then, never on a visit) and keeps only pages of this site: the edition she saved (kb.js fills and refreshes
   that cache), pages she opens afterwards, and the small "you are offline" page of each edition she visits,
   unless the phone asks to save data. Nothing is sent anywhere.
   The build fills in EDITIONS and VERSION (a hash of what the site serves, scripts/postbuild/offline.py): each
   build is a new sw.js, which the browser installs in place of the old one, and `activate` drops the old
   build's caches. */
"use strict";
var EDITIONS = ["__KB_EDITIONS__"];
var VERSION = "__KB_VERSION__";
var OPENED = "kb-opened-" + VERSION;   /* pages and assets the reader opened, for this build */
var SHELL = "kb-shell-" + VERSION;     /* each visited edition's offline page, for this build */
/* Assets and search indexes carry a content hash in their names (kb.1a2b3c4d5e.js): a kept copy is always right. */
var HASHED = /\.[0-9a-f]{10}\.[a-z0-9]+$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      /* The saved editions (kb-saved-<lang>) stay: kb.js brings them up to date file by file. */
      return /^kb-(opened|shell)(-|$)/.test(name) && name !== OPENED && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function scope() { return self.registration.scope; }

function editionPrefix(url) {
  var rest = url.slice(scope().length);
  var first = rest.split("/")[0];
  return EDITIONS.indexOf(first) >= 0 ? first + "/" : "";
}

function offlinePage(url) { return scope() + editionPrefix(url) + "offline.html"; }

function remember(cacheName, request, response) {
  if (response && response.ok && response.type === "basic") {
    var copy = response.clone();
    caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

function precacheShell(request) {
  if (request.headers.get("Save-Data") === "on") return;  /* the reader's phone asks to save data */
  var page = offlinePage(request.url);
  caches.open(SHELL).then(function (cache) {
    cache.match(page).then(function (hit) { if (!hit) cache.add(page).catch(function () {}); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(scope()) !== 0) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      precacheShell(request);
      return remember(OPENED, request, response);
    }).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || caches.match(offlinePage(request.url)).then(function (page) {
          return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
        });
      });
    }));
    return;
  }
  /* kb.js saves and refreshes an edition with cache: "no-cache" and keeps its own copy: straight to the server. */
  if (request.cache === "no-cache") return;
  var path = new URL(request.url).pathname;
  if (HASHED.test(path)) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) { return remember(OPENED, request, response); });
    }));
    return;
  }
  /* Anything else may change with a build (offline.json, a page fetched by a script): the server first. */
  event.respondWith(fetch(request).then(function (response) {
    return remember(OPENED, request, response);
  }).catch(function () {
    return caches.match(request).then(function (hit) { return hit || Response.error(); });
  }));
});
