/* Listen: the phone's own voice reads the page, in order, in the edition's language. kb.js offers the control only
   when the phone has such a voice, loads this file on the first tap and calls kbListen(control, voice, action).
   Nothing is fetched or sent; nothing is stored. */
(function () {
  "use strict";
  var speech = window.speechSynthesis;
  /* What is read: the title, the "In short" box, headings, paragraphs, list items, table cells, and the titles
     of open folds (whose people an embassy's listings are for). */
  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, summary";
  /* Read as blocks of their own, so left out of the block that holds them. */
  var NESTED = "h1, h2, h3, h4, h5, h6, p, ul, ol, dl, div, table, details, blockquote, pre, figure";
  /* Never read: notices, the page foot (review date, sources), what only paper shows, what search skips too (the
     folds and source lines of a listing), drawings and this control. */
  var SKIP = "nav, footer, .kb-notice, .kb-print-only, [data-search-skip], [data-kb-listen], [aria-hidden=true], " +
    "script, style, svg";
  /* Numbers to dial are read digit by digit: "1745" as "1 7 4 5", not "one thousand seven hundred...", and
     without the dashes, dots and brackets that group them on screen. */
  var PHONE = "a[href^='tel:'], a[href^='sms:'], a[href^='https://wa.me/'], .kb-sms-text";
  /* Characters per utterance: some engines stop after a few thousand, and a short piece starts sooner. */
  var LONGEST = 300;

  var box = null, voice = null, plan = [], at = 0, current = null, state = "idle", marked = null;

  /* What the screen shows is what is read: not the content of a closed fold (browsers may still lay it out), and
     not a closed fold's title, which alone says nothing worth hearing. */
  var FOLDED = "details:not([open]) > :not(summary)";
  function visible(el) {
    return el.getClientRects().length > 0 && !el.closest(SKIP) && !el.closest(FOLDED) &&
      (el.nodeName !== "SUMMARY" || el.parentNode.open);
  }

  function spoken(el) {
    var out = [];
    (function walk(node, phone) {
      for (var child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) out.push(phone ? child.data.replace(/[-\u2010-\u2015.()]/g, " ").replace(/\d/g, " $& ") : child.data);
        else if (child.nodeName === "BR") out.push(" ");
        else if (child.nodeType === 1 && !child.matches(SKIP) && !child.matches(NESTED)) {
          walk(child, phone || child.matches(PHONE));
        }
      }
    })(el, el.matches(PHONE));
    return out.join("").replace(/\s+/g, " ").trim();
  }

  /* A block short enough is one utterance; a longer one is cut between sentences (or, failing that, spaces). */
  function pieces(text, lang) {
    if (text.length <= LONGEST) return [text];
    var sentences = window.Intl && Intl.Segmenter
      ? Array.from(new Intl.Segmenter(lang, { granularity: "sentence" }).segment(text), function (s) { return s.segment; })
      : text.match(/[^.!?؟।။።]+[.!?؟।။።]*\s*/g) || [text];
    var out = [], gathered = "";
    var add = function (piece) {
      if (gathered && (gathered + piece).length > LONGEST) { out.push(gathered.trim()); gathered = ""; }
      gathered += piece;
    };
    sentences.forEach(function (sentence) {
      while (sentence.length > LONGEST) {
        var cut = sentence.lastIndexOf(" ", LONGEST);
        if (cut < LONGEST / 2) cut = LONGEST;
        add(sentence.slice(0, cut));
        sentence = sentence.slice(cut);
      }
      add(sentence);
    });
    if (gathered.trim()) out.push(gathered.trim());
    return out;
  }

  /* "Read the numbers" (country pages): the title, the emergency numbers, then each service that has a number,
     by its organisation's and its own name. */
  function numberBlocks(root) {
    var out = [];
    root.querySelectorAll("h1, .kb-emergency li, .kb-listing").forEach(function (el) {
      if (!el.classList.contains("kb-listing")) { out.push(el); return; }
      var contacts = el.querySelectorAll(".kb-contacts li");
      if (!contacts.length) return;
      var name = el.previousElementSibling;
      if (name && /^H[1-6]$/.test(name.nodeName)) out.push(name);
      out.push.apply(out, el.querySelectorAll(".kb-service-name"));
      out.push.apply(out, contacts);
    });
    return out;
  }

  function build(which) {
    var root = document.querySelector(".md-content article") || document.body;
    var lang = document.documentElement.lang;
    var blocks = which === "numbers" ? numberBlocks(root) : Array.prototype.slice.call(root.querySelectorAll(BLOCKS));
    var out = [];
    blocks.filter(visible).forEach(function (el) {
      var text = spoken(el);
      if (text) pieces(text, lang).forEach(function (piece) { out.push({ el: el, text: piece }); });
    });
    return out;
  }

  function mark(el) {
    if (marked === el) return;
    if (marked) marked.classList.remove("kb-listen-now");
    marked = el;
    if (!el) return;
    el.classList.add("kb-listen-now");
    el.scrollIntoView({ block: "center" });
  }

  function show(next) {
    state = next;
    var play = box.querySelector("[data-kb-do=play]");
    if (!play.hasAttribute("data-kb-play")) play.setAttribute("data-kb-play", play.textContent);
    play.textContent = play.getAttribute(state === "paused" ? "data-kb-resume" : "data-kb-play");
    play.hidden = state === "playing";
    box.querySelector("[data-kb-do=pause]").hidden = state !== "playing";
    box.querySelector("[data-kb-do=stop]").hidden = state === "idle";
    box.classList.toggle("kb-listen--on", state !== "idle");  /* Pause and Stop stay in reach while it scrolls */
  }

  /* An engine may end or fail an utterance after it was cancelled: only the current one moves the reading on. */
  function speakNext() {
    if (at >= plan.length) { stop(); return; }
    var item = plan[at];
    var utterance = new window.SpeechSynthesisUtterance(item.text);
    utterance.lang = document.documentElement.lang;
    if (voice) utterance.voice = voice;
    utterance.onend = function () {
      if (current !== utterance) return;
      at += 1;
      speakNext();
    };
    utterance.onerror = function () { if (current === utterance) stop(); };
    current = utterance;
    mark(item.el);
    speech.speak(utterance);
  }

  function silence() {
    current = null;
    speech.cancel();
  }

  function start(which) {
    silence();
    plan = build(which);
    at = 0;
    show("playing");
    speakNext();
  }

  /* Pause is cancel-and-remember: speechSynthesis.pause() does nothing or stops for good on many Android phones.
     Continue starts the interrupted piece again. */
  function pause() {
    silence();
    show("paused");
  }

  function resume() {
    show("playing");
    speakNext();
  }

  function stop() {
    silence();
    plan = [];
    at = 0;
    mark(null);
    if (box) show("idle");
  }

  window.addEventListener("pagehide", stop);

  window.kbListen = function (control, chosenVoice, action) {
    box = control;
    voice = chosenVoice || null;
    if (action === "play") { if (state === "paused") resume(); else start("page"); }
    else if (action === "numbers") start("numbers");
    else if (action === "pause") pause();
    else if (action === "stop") stop();
  };
})();
