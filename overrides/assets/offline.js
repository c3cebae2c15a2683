/* Offline reading, loaded by kb.js when a reader taps Save or Delete, or on a page of an edition she saved.
   window.kbOffline(worker, box, savedName): `worker` is the page's kb-worker meta (sw.js, and the edition's
   offline.json in data-manifest), `box` the Save/Delete box when the page has one, `savedName` the edition's cache.
   On a saved edition, brings the copy up to date at once; returns {save, clear} for the buttons. */
(function () {
  "use strict";

  window.kbOffline = function (worker, box, savedName) {
    var here = window.location.href;
    var manifestUrl = new URL(worker.getAttribute("data-manifest"), here).href;
    var root = new URL(".", new URL(worker.content, here));  /* sw.js is at the site's root */
    var say = function (text) { if (box) box.querySelector("[data-kb-status]").textContent = text; };

    /* Bytes as the reader's language writes them ("12 kB"), as the build writes its sizes. */
    var size = function (bytes) {
      var mega = bytes >= 1e6, value = mega ? bytes / 1e6 : Math.max(bytes / 1e3, 0.1);
      try {
        return new Intl.NumberFormat(document.documentElement.lang, { style: "unit", unit: mega ? "megabyte" : "kilobyte",
          unitDisplay: "short", maximumFractionDigits: 1 }).format(value);
      } catch (e) { return value.toFixed(1) + (mega ? " MB" : " kB"); }
    };
    var savedText = function (update) {
      return update && !update.first && update.files ? box.dataset.updated.replace("{size}", size(update.bytes)) : box.dataset.saved;
    };
    var kept = function (cache) {
      return cache.match(manifestUrl).then(function (r) { return r ? r.json() : null; });
    };

    /* Bring the saved copy level with the site: fetch the files whose hash differs from the copy's (all of them on a
       first save), drop the files the site no longer has, then keep the new manifest, last, so that an interrupted
       refresh is finished on the next page. Resolves to null when nothing changed, else to {files, bytes, first}. */
    var sync = function (progress) {
      return caches.open(savedName).then(function (cache) {
        return Promise.all([
          fetch(manifestUrl, { cache: "no-cache" }).then(function (r) { if (!r.ok) throw new Error(manifestUrl); return r.json(); }),
          kept(cache)
        ]).then(function (both) {
          var fresh = both[0], old = both[1];
          if (old && old.version === fresh.version) return null;
          var had = {};
          if (old && old.hashes) old.files.forEach(function (f, i) { had[f] = old.hashes[i]; });
          var todo = [], bytes = 0, wanted = {};
          fresh.files.forEach(function (f, i) {
            var url = new URL(f, root).href;
            wanted[url] = true;
            if (had[f] !== fresh.hashes[i]) { todo.push(url); bytes += fresh.sizes[i]; }
          });
          wanted[manifestUrl] = true;
          var next = function (i) {
            if (i >= todo.length) return Promise.resolve();
            return fetch(todo[i], { cache: "no-cache" }).then(function (response) {
              if (!response.ok) throw new Error(todo[i]);
              return cache.put(todo[i], response);
            }).then(function () {
              if (progress) progress(i + 1, todo.length);
              return next(i + 1);
            });
          };
          return next(0).then(function () { return cache.keys(); }).then(function (requests) {
            return Promise.all(requests.filter(function (r) { return !wanted[r.url]; })
              .map(function (r) { return cache.delete(r); }));
          }).then(function () {
            fresh.updated = { files: todo.length, bytes: bytes, first: !old };
            return cache.put(manifestUrl, new Response(JSON.stringify(fresh), { headers: { "Content-Type": "application/json" } }))
              .then(function () { return fresh.updated; });
          });
        });
      });
    };

    /* A saved edition: say so, ask the worker to look for a newer build, and bring the copy up to date. Offline or
       with the server unreachable, the saved copy stays as it is. */
    caches.has(savedName).then(function (saved) {
      if (!saved) return;
      if (box) caches.open(savedName).then(kept).then(function (m) { say(savedText(m && m.updated)); });
      navigator.serviceWorker.getRegistration().then(function (r) { if (r) return r.update(); }).catch(function () {});
      return sync(null).then(function (update) { if (update) say(savedText(update)); });
    }).catch(function () {});

    return {
      save: function () {
        return navigator.serviceWorker.register(worker.content).then(function () {
          return sync(function (done, total) {
            say(box.dataset.saving.replace("{done}", done).replace("{total}", total));
          });
        }).then(function (update) {
          say(savedText(update));
        }).catch(function () {
          say(box.dataset.failed);
        });
      },
      /* Everything this site stored: the worker and every kb- cache. Nothing comes back until she saves again. */
      clear: function () {
        var unregister = navigator.serviceWorker.getRegistrations().then(function (all) {
          return Promise.all(all.map(function (r) { return r.unregister(); }));
        });
        var clear = caches.keys().then(function (keys) {
          return Promise.all(keys.filter(function (k) { return k.indexOf("kb-") === 0; })
            .map(function (k) { return caches.delete(k); }));
        });
        return Promise.all([unregister, clear]).then(function () { say(box.dataset.cleared); });
      }
    };
  };
})();
