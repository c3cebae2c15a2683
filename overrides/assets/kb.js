/* The site's script on every page: quick exit, history, and the start of search, offline reading and Listen, whose
   code loads when used. No third parties, nothing stored but what the reader asks to save offline. Every page works
   without it. */
(function () {
  "use strict";

  /* Quick exit: leave at once and replace this page in history, so Back does not return to it. */
  var exit = document.getElementById("kb-exit");
  function leave(event) {
    if (event) event.preventDefault();
    if (window.speechSynthesis) window.speechSynthesis.cancel();  /* Listen falls silent with the page */
    document.body.style.visibility = "hidden";
    window.location.replace(exit.href);
  }
  if (exit) {
    exit.addEventListener("click", leave);
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 1500; });
      presses.push(now);
      if (presses.length >= 3) leave(event);
    });
  }

  /* Moving between the site's pages replaces the current entry in history instead of adding one, so the history
     holds one entry for the whole visit: Back leaves the site in one tap, not one tap per page read (issue 21).
     Only plain taps on same-site links; a new tab, a download or another site is left to the browser. */
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || !/^https?:$/.test(url.protocol)) return;
    event.preventDefault();
    window.location.replace(url.href);
  });

  /* Search: the engine (lunr, the edition's stemmer, assets/search.js) and the edition's text load only when the
     reader starts to search; search.js builds the index on the phone and answers (window.kbSearch). */
  var form = document.querySelector("[data-kb-search]");
  if (form) {
    var input = form.querySelector("input");
    var status = document.querySelector("[data-kb-status]");
    var loading = null, timer = null;

    var script = function (src) {
      return new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = src;
        tag.async = false;  /* fetched together, run in order: the engine before its stemmer */
        tag.onload = resolve;
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    };

    var load = function () {
      if (!loading) {
        status.textContent = form.dataset.loading;
        var sources = [];
        for (var i = 1; form.hasAttribute("data-kb-script-" + i); i++) sources.push(form.getAttribute("data-kb-script-" + i));
        /* From a ZIP opened with file:// the index comes as a script (fetch cannot read local files). */
        var index = window.kbSearchIndex ? Promise.resolve(window.kbSearchIndex)
          : fetch(form.dataset.index).then(function (r) { return r.json(); });
        loading = Promise.all([index].concat(sources.map(script))).then(function (all) {
          return window.kbSearch(form, all[0]);
        });
      }
      return loading;
    };

    var run = function () { load().then(function (search) { search(input.value); }); };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; run(); }
  }

  /* Paper: print.css prints where a link leads after it. For links between pages the attribute holds a
     relative path, useless on paper, so give print the address the browser resolved. */
  window.addEventListener("beforeprint", function () {
    /* A printed sheet shows every listing: the folds are for the phone's small screen. */
    document.querySelectorAll("details.kb-group, details.kb-nationality, details.kb-caution").forEach(function (d) { d.open = true; });
    document.querySelectorAll(".md-content a[href]").forEach(function (a) {
      if (!a.hasAttribute("data-kb-href") && !/^([a-z][a-z0-9+.-]*:|#)/i.test(a.getAttribute("href"))) {
        a.setAttribute("data-kb-href", a.href);
      }
    });
  });

  /* Offline reading: only over http(s), and only for a reader who asked. The code (assets/offline.js) loads when a
     reader taps Save or Delete, or on any page once her edition is saved (to bring it up to date): a reader who never
     saves never downloads it, and no visit registers the service worker. */
  var worker = document.querySelector("meta[name=kb-worker]");
  var box = document.querySelector("[data-kb-offline]");
  if (/^https?:$/.test(window.location.protocol) && worker && "serviceWorker" in navigator && "caches" in window) {
    var savedName = "kb-saved-" + document.documentElement.lang;
    var offline = null;
    var startOffline = function () {
      if (!offline) offline = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = worker.getAttribute("data-kb-script");
        tag.onload = function () { resolve(window.kbOffline(worker, box, savedName)); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
      return offline;
    };
    caches.has(savedName).then(function (saved) { if (saved) startOffline(); });
    if (box) {
      box.hidden = false;
      if (navigator.connection && navigator.connection.saveData) {
        box.querySelector("[data-kb-status]").textContent = box.dataset.saveData;
      }
      box.addEventListener("click", function (event) {
        var button = event.target.closest("[data-kb-save], [data-kb-clear]");
        if (!button) return;
        button.disabled = true;
        startOffline().then(function (actions) {
          return actions[button.hasAttribute("data-kb-save") ? "save" : "clear"]();
        }).catch(function () {}).then(function () { button.disabled = false; });
      });
    }
  }

  /* Listen: offered only when the phone has a voice of its own for this edition's language (a network voice
     would send the page's text to another host). The reading code loads on the first tap (assets/listen.js). */
  var listen = document.querySelector("[data-kb-listen]");
  var speech = window.speechSynthesis;
  if (listen && speech && window.SpeechSynthesisUtterance) {
    var lang = document.documentElement.lang.toLowerCase().split("-")[0];
    var codes = { tl: ["tl", "fil"], id: ["id", "in"] }[lang] || [lang];  /* other names phones give them */
    var voice = function () {
      return speech.getVoices().filter(function (v) {
        return v.localService !== false && codes.indexOf(String(v.lang).toLowerCase().split(/[-_]/)[0]) >= 0;
      })[0];
    };
    var showListen = function () {
      if (!voice()) return;
      listen.hidden = false;
      /* On a country page the numbers can be read alone. */
      listen.querySelector("[data-kb-do=numbers]").hidden = !document.querySelector(".md-content .kb-emergency");
    };
    showListen();
    speech.addEventListener("voiceschanged", showListen);  /* most phones list their voices a moment later */
    var asked = null;  /* the last button tapped while the reading code loads */
    listen.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-kb-do]");
      if (!button) return;
      var first = asked === null;
      asked = button.getAttribute("data-kb-do");
      if (window.kbListen) { window.kbListen(listen, voice(), asked); return; }
      if (!first) return;
      var script = document.createElement("script");
      script.src = listen.getAttribute("data-kb-script");
      script.onload = function () { window.kbListen(listen, voice(), asked); };
      document.head.appendChild(script);
    });
  }

  /* The root greets a browser set to another language with that edition, by its own name. Nothing is
     stored and nothing redirects: the reader chooses. */
  var offer = document.querySelector("[data-kb-lang-offer]");
  if (offer) {
    var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) {
      var code = String(l).toLowerCase().split("-")[0];
      return code === "fil" ? "tl" : code;  /* browsers name Tagalog by its standard form, Filipino */
    });
    var links = Array.prototype.slice.call(offer.querySelectorAll("a[hreflang]"));
    for (var i = 0; i < wanted.length && wanted[i] !== "en"; i++) {
      var match = links.filter(function (a) { return a.hreflang === wanted[i]; })[0];
      if (match) { match.hidden = false; offer.hidden = false; break; }
    }
  }
})();
