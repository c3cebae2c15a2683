/* Search, loaded with lunr (and the edition's stemmer, when lunr-languages has one) when the reader starts to
   search. The phone builds the index from the edition's text: that costs fewer bytes than a prebuilt index.
   Words are cut with Intl.Segmenter, so Thai and Burmese (no spaces) and Indic and Ethiopic scripts are cut at
   word boundaries as the phone's own ICU sees them; query and index are cut the same way.
   Order of results: exact and stemmed words (title above headings and summary, above body), then words one or
   two letters off (typos) and words begun; when lunr finds nothing, every query word as a substring (the
   site's first search, which needs no word boundaries). Page text is only ever set with textContent. */
(function () {
  "use strict";

  /* The same normalisation as scripts/plugin/search_index.py: case, compatibility forms, Thai and Lao AM, optional
     Arabic marks. */
  function normalise(text) {
    return text.normalize("NFKC").toLowerCase()
      .replace(/\u0e4d\u0e32/g, "\u0e33").replace(/\u0ecd\u0eb2/g, "\u0eb3")  /* Thai, Lao AM made whole again */
      .replace(/[\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/\s+/g, " ").trim();
  }

  /* An index entry: [url, title, summary, headings, text] (scripts/plugin/search_index.py). */
  var URL_ = 0, TITLE = 1, SUMMARY = 2, HEADINGS = 3, TEXT = 4;

  /* The words of a text with where each starts: [[word, at], …]. */
  function cutter(lang) {
    if (window.Intl && Intl.Segmenter) {
      var segmenter = new Intl.Segmenter(lang, { granularity: "word" });
      return function (text) {
        var out = [], it = segmenter.segment(text)[Symbol.iterator](), step;
        while (!(step = it.next()).done) {
          if (step.value.isWordLike) out.push([step.value.segment, step.value.index]);
        }
        return out;
      };
    }
    var word = /[^\s!-\/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\u060c\u061b\u061f\u0964\u0965\u104a\u104b\u1361-\u1368]+/g;
    return function (text) {
      var out = [], match;
      word.lastIndex = 0;
      while ((match = word.exec(text))) out.push([match[0], match.index]);
      return out;
    };
  }

  function letters(word) { return Array.from(word).length; }

  /* A stemmer that stems each distinct word once: an edition's text repeats its words, and the Arabic stemmer
     is slow on a cheap phone. */
  function remembered(lunr, stemmer) {
    var seen = Object.create(null);
    var once = function (token) {
      var word = token.toString();
      if (!(word in seen)) seen[word] = String(stemmer(new lunr.Token(word, {})));
      return token.update(function () { return seen[word]; });
    };
    once.label = stemmer.label;
    return once;
  }

  function build(lunr, lang, docs, cut) {
    var builder = new lunr.Builder();
    if (lang === "en") {
      builder.pipeline.add(lunr.stopWordFilter, remembered(lunr, lunr.stemmer));
      builder.searchPipeline.add(lunr.stemmer);
    } else if (lunr[lang] && lunr[lang].stemmer) {
      builder.use(lunr[lang]);
      /* Words come already cut; the language's trimmer would drop digits and words in other scripts. */
      builder.pipeline.remove(lunr[lang].trimmer);
      builder.pipeline.after(lunr[lang].stemmer, remembered(lunr, lunr[lang].stemmer));
      builder.pipeline.remove(lunr[lang].stemmer);
    }
    builder.ref("i");
    builder.field("t", { boost: 10 });
    builder.field("h", { boost: 4 });
    builder.field("s", { boost: 4 });
    builder.field("b");
    builder.metadataWhitelist = ["position"];
    builder.tokenizer = function (text, meta) {
      return cut(text || "").map(function (w) {
        return new lunr.Token(w[0], { position: [w[1], w[0].length], fields: meta && meta.fields });
      });
    };
    docs.forEach(function (doc, i) {
      builder.add({ i: String(i), t: normalise(doc[TITLE]), h: doc[HEADINGS], s: normalise(doc[SUMMARY] || ""), b: doc[TEXT] });
    });
    return { index: builder.build(), pipeline: builder.pipeline };
  }

  function distance(a, b) {
    a = Array.from(a); b = Array.from(b);
    var row = [];
    for (var j = 0; j <= b.length; j++) row.push(j);
    for (var i = 1; i <= a.length; i++) {
      var diagonal = row[0];
      row[0] = i;
      for (j = 1; j <= b.length; j++) {
        var above = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length];
  }

  /* A mistyped word: the edition's word within `most` edits of it, the closest, and among equals the one the
     most pages use (the word a reader most likely meant; lunr alone would favour the rarest). */
  function correction(lunr, index, stem, most) {
    var near = index.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(stem, most)).toArray();
    var best = null, bestKey = null;
    near.forEach(function (term) {
      var posting = index.invertedIndex[term], pages = 0;
      Object.keys(posting).forEach(function (field) { if (field !== "_index") pages += Object.keys(posting[field]).length; });
      var key = [distance(stem, term), -pages];
      if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) { best = term; bestKey = key; }
    });
    return best;
  }

  /* The longest word of the edition that the typed word begins with, at least four letters and half the word:
     a form the stemmer does not know ("reclutamento" begins with "reclut") or a suffix written on, in
     editions without a stemmer (ne "एजेन्सीहरू", agencies, begins with "एजेन्सी"). */
  function longestKnownStart(inverted, word) {
    var chars = Array.from(word);
    for (var n = chars.length - 1; n >= 4 && n * 2 >= chars.length; n--) {
      var start = chars.slice(0, n).join("");
      if (Object.prototype.hasOwnProperty.call(inverted, start)) return start;
    }
    return null;
  }

  /* lunr's answer: [{doc, score, marks: [[at, length], …] in the text}]. */
  function ranked(lunr, engine, docs, words) {
    var has = Object.prototype.hasOwnProperty, inverted = engine.index.invertedIndex;
    var terms = [];
    words.forEach(function (word) {
      var stems = engine.pipeline.runString(word);
      if (stems.length && stems[0]) terms.push({ word: word, stem: stems[0], known: has.call(inverted, stems[0]) });
    });
    if (!terms.length) return [];
    var results = engine.index.query(function (query) {
      terms.forEach(function (t) {
        var length = letters(t.word);
        query.term(t.stem, { usePipeline: false, boost: 10 });
        if (!t.known && length >= 4) {
          var fix = correction(lunr, engine.index, t.stem, length >= 8 ? 2 : 1);
          if (fix) query.term(fix, { usePipeline: false, boost: 3 });
        }
        var root = length >= 5 ? longestKnownStart(inverted, t.word) : null;
        if (root && root !== t.stem) query.term(root, { usePipeline: false, boost: t.known ? 2 : 3 });
        if (length >= 3) {
          query.term(t.word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: t.known ? 2 : 1 });
        }
        if (length >= 4) {  /* inside a longer word: a prefix or particle written on (tl "magreklamo") */
          query.term(t.word, { usePipeline: false, wildcard: lunr.Query.wildcard.LEADING | lunr.Query.wildcard.TRAILING, boost: 1 });
        }
      });
    });
    return results.map(function (result) {
      var marks = [], found = result.matchData.metadata;
      Object.keys(found).forEach(function (term) {
        if (found[term].b) marks = marks.concat(found[term].b.position);
      });
      return { doc: docs[Number(result.ref)], score: result.score, marks: marks };
    });
  }

  /* The site's first search: every word a substring; title, then summary, then how often. */
  function substring(docs, words) {
    var hits = [];
    docs.forEach(function (doc) {
      var text = doc[TEXT], title = normalise(doc[TITLE]), summary = normalise(doc[SUMMARY] || "");
      var score = 0, often = 0, marks = [];
      for (var i = 0; i < words.length; i++) {
        var w = words[i], inTitle = title.indexOf(w) >= 0, inSummary = summary.indexOf(w) >= 0, at = text.indexOf(w);
        var inHeadings = doc[HEADINGS].indexOf(w) >= 0;
        if (at < 0 && !inTitle && !inSummary && !inHeadings) return;
        score += inTitle ? 10 : (inSummary || inHeadings ? 3 : 1);
        for (var n = 0; at >= 0 && n < 50; n++) {
          marks.push([at, w.length]);
          at = text.indexOf(w, at + w.length);
        }
        often += n / (1 + text.length / 2000);
      }
      hits.push({ doc: doc, score: score + often / 100, marks: marks });
    });
    return hits.sort(function (a, b) { return b.score - a.score; });
  }

  /* The passage of the text richest in marked words (about 180 characters), as text and marked parts. */
  function passage(text, marks) {
    if (!text || !marks.length) return null;
    marks = marks.slice().sort(function (a, b) { return a[0] - b[0]; }).slice(0, 300);
    var best = 0, bestCount = 0;
    for (var i = 0, j = 0; i < marks.length; i++) {
      while (j < marks.length && marks[j][0] < marks[i][0] + 140) j++;
      if (j - i > bestCount) { best = i; bestCount = j - i; }
    }
    var start = Math.max(0, marks[best][0] - 40), end = Math.min(text.length, start + 180);
    if (start > 0) { var space = text.indexOf(" ", start); if (space >= 0 && space < marks[best][0]) start = space + 1; }
    if (end < text.length) { var back = text.lastIndexOf(" ", end); if (back > marks[best][0]) end = back; }
    var parts = [], at = start;
    marks.forEach(function (m) {
      if (m[0] < at || m[0] + m[1] > end) return;
      if (m[0] > at) parts.push([text.slice(at, m[0]), false]);
      parts.push([text.slice(m[0], m[0] + m[1]), true]);
      at = m[0] + m[1];
    });
    if (at < end) parts.push([text.slice(at, end), false]);
    if (start > 0) parts.unshift(["… ", false]);
    if (end < text.length) parts.push([" …", false]);
    return parts;
  }

  window.kbSearch = function (form, data) {
    var lunr = window.lunr, lang = document.documentElement.lang.split("-")[0];
    var docs = data.docs, cut = cutter(lang), engine = null;
    var list = document.querySelector("[data-kb-results]"), status = document.querySelector("[data-kb-status]");
    var base = form.dataset.index.replace(/search-index[^/]*\.json$/, "");
    var local = window.location.protocol === "file:";
    var started = performance.now();
    if (lunr) engine = build(lunr, lang, docs, cut);
    /* How long the phone took to build the index (read by ./kb bench). */
    form.setAttribute("data-kb-built-ms", String(Math.round(performance.now() - started)));
    status.textContent = "";

    return function (raw) {
      var query = normalise(raw);
      list.textContent = "";
      if (!query) { status.textContent = ""; list.setAttribute("data-kb-for", ""); return; }
      var words = cut(query).map(function (w) { return w[0]; });
      /* data-kb-mode="substring" asks for the first search alone: tests and ./kb bench compare the two. */
      var mode = form.getAttribute("data-kb-mode"), hits = [], used = "lunr";
      if (engine && mode !== "substring" && words.length) hits = ranked(lunr, engine, docs, words);
      if (!hits.length) {
        hits = substring(docs, query.split(" "));
        used = "substring";
      }
      /* Which search answered, and for what: tests and ./kb bench wait for this. */
      list.setAttribute("data-kb-used", used);
      list.setAttribute("data-kb-for", raw);
      var count = hits.length;
      status.textContent = count === 0 ? form.dataset.none
        : (count === 1 ? form.dataset.one : form.dataset.other.replace("{count}", count));
      hits.slice(0, 20).forEach(function (hit) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = base + hit.doc[URL_] + (local && /\/$|^$/.test(hit.doc[URL_]) ? "index.html" : "");
        a.textContent = hit.doc[TITLE];
        li.appendChild(a);
        if (hit.doc[SUMMARY]) {
          var summary = document.createElement("p");
          summary.textContent = hit.doc[SUMMARY];
          li.appendChild(summary);
        }
        var parts = passage(hit.doc[TEXT], hit.marks);
        if (parts) {
          var p = document.createElement("p");
          p.className = "kb-search__passage";
          parts.forEach(function (part) {
            if (!part[1]) { p.appendChild(document.createTextNode(part[0])); return; }
            var mark = document.createElement("mark");
            mark.textContent = part[0];
            p.appendChild(mark);
          });
          li.appendChild(p);
        }
        list.appendChild(li);
      });
    };
  };
})();
