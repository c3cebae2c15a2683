/* Offline reading for this site. It keeps only pages of this site: those the reader opened (so they read
   again without internet), an edition the reader chose to save (kb.js fills that cache), and the small
   "you are offline" page of each edition the reader visits, unless the phone asks to save data.
   Nothing is sent anywhere. The build fills in EDITIONS and DEFAULT. */
"use strict";
var EDITIONS = ["__KB_EDITIONS__"];
var OPENED = "kb-opened";      /* pages and assets the reader opened */
var SHELL = "kb-shell";        /* each visited edition's offline page */

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

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
  /* Assets and search indexes carry a content hash in their names: a cached copy is always right. */
  event.respondWith(caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) { return remember(OPENED, request, response); });
  }));
});
