"""Per-edition search: each page's normalised text, written at build time, fetched only when the reader opens search.

The phone builds a lunr index from this text (assets/search.js): shipping the text and building there costs
fewer bytes than a prebuilt lunr index, which is larger than the text and still needs the text for passages
(measured: en 85 KB gzipped for the index alone against 56 KB for the text). The text also serves the
substring search that answers when lunr finds nothing. The same normalisation runs in assets/search.js
(`normalise`) and here; keep them in step.
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
# NFKC splits the Thai and Lao vowel AM into two marks, a spelling no keyboard types and word segmentation
# does not know ("สําคัญ" is cut wrongly where "สำคัญ" is one word): put it back together.
_WHOLE_AM = {"\u0e4d\u0e32": "\u0e33", "\u0ecd\u0eb2": "\u0eb3"}
_SPLIT_AM = re.compile("|".join(_WHOLE_AM))


def normalise(text: str) -> str:
    """Fold case and compatibility forms, keep Thai and Lao AM whole, drop optional Arabic marks, collapse spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SPLIT_AM.sub(lambda m: _WHOLE_AM[m.group(0)], text)
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


_HEADINGS = frozenset({"h2", "h3", "h4"})


def page_text(html: str, skip: frozenset[str] = _NOT_READ) -> str:
    """The readable text of a rendered page body, without the `skip` elements."""
    parser = _TextExtractor(skip, skip_marked=True)
    parser.feed(html)
    return _SPACE.sub(" ", " ".join(parser.parts)).strip()


def all_text(html: str) -> str:
    """Every character of a page that could be drawn: hidden and search-skipped parts too, not scripts or styles."""
    parser = _TextExtractor(frozenset({"script", "style", "template", "title"}), skip_marked=False)
    parser.feed(html)
    return "".join(parser.parts)


class _HeadingExtractor(_TextExtractor):
    """The text of a page's section headings (h2 to h4), one per item, skipping what search skips."""

    def __init__(self) -> None:
        super().__init__(_NOT_READ, skip_marked=True)
        self.headings: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag in _HEADINGS and not self._skip_depth:
            self._depth, self.parts = 1, []

    def handle_endtag(self, tag: str) -> None:
        super().handle_endtag(tag)
        if tag in _HEADINGS and self._depth:
            self._depth = 0
            self.headings.append(_SPACE.sub(" ", "".join(self.parts)).strip())


def headings(html: str) -> list[str]:
    """The section headings of a rendered page body."""
    parser = _HeadingExtractor()
    parser.feed(html)
    return [h for h in parser.headings if h]


def entry(url: str, title: str, summary: str, html: str) -> list[str]:
    """One document of the index: [url, title, summary, headings, normalised text]. Title, headings and
    summary are separate fields so that search can weigh them above the body; the body leaves the headings out
    (each character of the edition's text is sent once)."""
    return [url, title, summary, normalise(" · ".join(headings(html))), normalise(page_text(html, _NOT_READ | _HEADINGS))]


def serialise(entries: list[list[str]]) -> str:
    """The index file's content: compact JSON, entries in URL order so builds are reproducible."""
    return json.dumps({"v": 2, "docs": sorted(entries)}, ensure_ascii=False, separators=(",", ":"))


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
