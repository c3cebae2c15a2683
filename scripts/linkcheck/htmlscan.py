"""Read one built HTML page into plain data: the ids it defines and the links it makes.

The standard library's html.parser is fast enough for the site's size and adds no dependency; the
result is plain tuples so it can cross a process boundary cheaply when parsing runs in parallel.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

# Which attribute of which element points at something the browser fetches or the reader follows.
LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "source": ("src",),
    "iframe": ("src",),
}
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class Link(NamedTuple):
    """One link as it appears in the built page."""

    tag: str
    value: str  # the href/src as written in the HTML (entities decoded)
    text: str  # anchor text for <a>, alt text for <img>, else ""
    in_content: bool  # inside Material's <article> (page content) rather than the theme's chrome
    hreflang: str  # language switcher and alternate links carry one
    rel: str
    classes: str
    html_line: int
    region: str = ""  # data-region="QA": the country a short number belongs to, on pages that are no country page


class Page(NamedTuple):
    """What the checker needs to know about one built page."""

    rel: str  # path relative to site/, e.g. "fr/kafala/index.html"
    ids: frozenset[str]
    heading_ids: tuple[str, ...]  # in document order, for "did you mean" hints
    links: tuple[Link, ...]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.heading_ids: list[str] = []
        self.links: list[Link] = []
        self._article_depth = 0
        self._text: list[str] | None = None  # collecting the text of the open <a>
        self._open_link: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        ident = attr.get("id")
        if ident:
            self.ids.add(ident)
            if tag in HEADINGS:
                self.heading_ids.append(ident)
        if tag == "a" and attr.get("name"):
            self.ids.add(attr["name"])
        # Material wraps the rendered Markdown in <article class="md-content__inner ...">.
        if tag == "article" and (self._article_depth or "md-content__inner" in attr.get("class", "")):
            self._article_depth += 1
        names = LINK_ATTRS.get(tag)
        if names:
            for name in names:
                value = attr.get(name)
                if value is None:
                    continue
                self.links.append(
                    Link(
                        tag=tag,
                        value=value.strip(),
                        text=attr.get("alt", "") if tag == "img" else "",
                        in_content=self._article_depth > 0,
                        hreflang=attr.get("hreflang", ""),
                        rel=attr.get("rel", ""),
                        classes=attr.get("class", ""),
                        html_line=self.getpos()[0],
                        region=attr.get("data-region", "").upper(),
                    )
                )
                if tag == "a":
                    self._text = []
                    self._open_link = len(self.links) - 1
        elif tag == "a":
            self._text, self._open_link = None, None
        if tag == "img" and self._text is not None and attr.get("alt"):
            self._text.append(attr["alt"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._article_depth:
            self._article_depth -= 1
        elif tag == "a" and self._text is not None and self._open_link is not None:
            text = " ".join("".join(self._text).split())
            self.links[self._open_link] = self.links[self._open_link]._replace(text=text)
            self._text, self._open_link = None, None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def scan_html(text: str, rel: str) -> Page:
    """Parse HTML text into a Page."""
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return Page(rel, frozenset(scanner.ids), tuple(scanner.heading_ids), tuple(scanner.links))


def scan_file(args: tuple[str, str]) -> Page:
    """Parse site_dir/rel (one tuple argument, so it maps over a process pool)."""
    site_dir, rel = args
    text = (Path(site_dir) / rel).read_text(encoding="utf-8", errors="replace")
    return scan_html(text, rel)
