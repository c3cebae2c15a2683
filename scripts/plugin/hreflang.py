"""The language alternates and canonical link in a page's <head>, as search engines want them.

Search engines ignore relative `hreflang` alternates and need one to fall back on: when `site_url` is set, every
alternate and the canonical link become absolute, and an `x-default` alternate (the default edition's page) is
added either way. Works on the page's HTML (any theme), through a parser; the visible language menu keeps its
relative links, so the site still works from a folder or a ZIP.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

X_DEFAULT = "x-default"


class _HeadLinks(HTMLParser):
    """The <link> tags of the <head>: (exact tag text, attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, dict[str, str]]] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "body":
            self.done = True
        elif tag == "link" and not self.done:
            self.links.append((self.get_starttag_text() or "", {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.done = self.done or tag == "head"


def page_address(site_url: str | None, page_url: str) -> str:
    """The page's own address: absolute under `site_url`, else its path from the site root."""
    return urljoin((site_url or "/").rstrip("/") + "/", page_url)


def rewrite(html: str, page_url: str, site_url: str | None, default: str) -> str:
    """`html` with absolute alternates/canonical (when `site_url` is set) and an x-default alternate."""
    cut = html.find("</head>")
    if cut < 0:
        return html
    head, rest = html[:cut], html[cut:]
    parser = _HeadLinks()
    parser.feed(head)
    here = page_address(site_url, page_url)

    def absolute(href: str) -> str:
        return urljoin(here, href) if site_url else href

    alternates = {}
    for text, attrs in parser.links:
        rel, href = attrs.get("rel", "").split(), attrs.get("href", "")
        is_alternate = "alternate" in rel and bool(attrs.get("hreflang"))
        if not (is_alternate or "canonical" in rel) or not href:
            continue
        new = text.replace(f'href="{href}"', f'href="{absolute(href)}"', 1)
        head = head.replace(text, new, 1)
        if is_alternate:
            alternates[attrs["hreflang"]] = (new, absolute(href))
    if default in alternates and X_DEFAULT not in alternates:
        last = list(alternates.values())[-1][0]
        head = head.replace(last, f'{last}<link rel="alternate" href="{alternates[default][1]}" hreflang="{X_DEFAULT}">', 1)
    return head + rest
