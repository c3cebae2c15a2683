"""Per-edition search: a small index built at build time, fetched only when the reader opens search.

The engine is deliberately simple: the phone receives each page's normalised text and looks for every
query word as a substring. Substring matching needs no word segmentation, so Thai and Burmese (written
without spaces) and complex scripts work with no tokenizer; one edition's index is a few tens of KB gzipped.
The same normalisation runs in assets/kb.js (`normalise`) and here; keep them in step.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from html.parser import HTMLParser

# Arabic short vowels and tatweel are optional in writing: drop them so "كفالة" finds "كَفالة".
_ARABIC_OPTIONAL = re.compile("[\u064b-\u065f\u0670\u0640]")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold case and compatibility forms, drop optional Arabic marks, collapse spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_OPTIONAL.sub("", text)
    return _SPACE.sub(" ", text).strip()


class _TextExtractor(HTMLParser):
    """Text of a page; skips the `skip` elements and, when `skip_marked`, those marked `data-search-skip`."""

    def __init__(self, skip: frozenset[str], skip_marked: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip, self._skip_marked = skip, skip_marked
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_depth or tag in self._skip or (self._skip_marked and any(n == "data-search-skip" for n, _ in attrs)):
            self._skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


_NOT_READ = frozenset({"script", "style", "template", "svg"})


def page_text(html: str) -> str:
    """The readable text of a rendered page body."""
    parser = _TextExtractor(_NOT_READ, skip_marked=True)
    parser.feed(html)
    return _SPACE.sub(" ", " ".join(parser.parts)).strip()


def all_text(html: str) -> str:
    """Every character of a page that could be drawn: hidden and search-skipped parts too, not scripts or styles."""
    parser = _TextExtractor(frozenset({"script", "style", "template", "title"}), skip_marked=False)
    parser.feed(html)
    return "".join(parser.parts)


def entry(url: str, title: str, summary: str, html: str) -> list[str]:
    """One document of the index: [url, title, summary, normalised text]."""
    return [url, title, summary, normalise(f"{title} {summary} {page_text(html)}")]


def serialise(entries: list[list[str]]) -> str:
    """The index file's content: compact JSON, entries in URL order so builds are reproducible."""
    return json.dumps({"v": 1, "docs": sorted(entries)}, ensure_ascii=False, separators=(",", ":"))


# Compressed bytes of one edition's index, what a reader on 2G pays on opening search: today about 60 KB (English,
# with the staff pages); tests/test_budgets.py allows 100 KB for the whole search page, index included.
BUDGET = 90_000


def budget_problem(name: str, data: str) -> str | None:
    """Why an edition's index is too big to send (its sizes and the budget), or None."""
    raw = data.encode("utf-8")
    packed = len(gzip.compress(raw, 9))
    if packed <= BUDGET:
        return None
    return (f"{name}: the search index is {packed / 1000:,.0f} KB compressed ({len(raw) / 1000:,.0f} KB), over the "
            f"{BUDGET // 1000} KB budget of one edition, which a reader pays on opening search (shorten or split the "
            "longest pages)")
