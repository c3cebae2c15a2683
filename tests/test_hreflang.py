"""Search engines' language links (issue 24): absolute alternates and canonical when site_url is set, relative
when it is not, and an x-default alternate (the English page) on every page."""

from __future__ import annotations

from pathlib import Path

from scripts.linkcheck import htmlscan
from scripts.plugin import hreflang
from scripts.project import DEFAULT

HEAD = ('<html><head><meta charset="utf-8"><link rel="canonical" href="https://example.org/kb/ar/get-help/">'
        '<link rel="icon" href="../../assets/favicon.svg"><link rel="alternate" href="../../get-help/" hreflang="en">'
        '<link rel="alternate" href="./" hreflang="ar"></head><body><a href="./" hreflang="ar">العربية</a></body></html>')


def _links(html: str) -> dict[str, str]:
    parser = hreflang._HeadLinks()
    parser.feed(html)
    return {a.get("hreflang") or a["rel"]: a["href"] for _, a in parser.links}


def test_with_site_url_alternates_and_canonical_are_absolute_and_x_default_is_english() -> None:
    out = hreflang.rewrite(HEAD, "ar/get-help/", "https://example.org/kb/", DEFAULT)
    assert _links(out) == {"canonical": "https://example.org/kb/ar/get-help/", "icon": "../../assets/favicon.svg",
                           "en": "https://example.org/kb/get-help/", "ar": "https://example.org/kb/ar/get-help/",
                           "x-default": "https://example.org/kb/get-help/"}
    assert '<a href="./" hreflang="ar">' in out, "the visible language menu keeps its relative link"


def test_without_site_url_links_stay_relative_and_x_default_is_added() -> None:
    out = hreflang.rewrite(HEAD, "ar/get-help/", None, DEFAULT)
    assert _links(out)["en"] == "../../get-help/" and _links(out)["x-default"] == "../../get-help/"
    assert hreflang.rewrite(out, "ar/get-help/", None, DEFAULT) == out, "x-default is added once"


def test_a_page_without_an_english_alternate_gets_no_x_default() -> None:
    page = HEAD.replace('<link rel="alternate" href="../../get-help/" hreflang="en">', "")
    assert "x-default" not in hreflang.rewrite(page, "ar/get-help/", None, DEFAULT)


def test_every_built_page_with_alternates_has_x_default_pointing_to_english(site: Path) -> None:
    checked = 0
    for page in site.rglob("index.html"):
        links = [link for link in htmlscan.scan_html(page.read_text(encoding="utf-8"), "").links
                 if link.tag == "link" and link.hreflang]
        if not links:
            continue
        by_lang = {link.hreflang: link.value for link in links}
        assert by_lang.get("x-default") == by_lang.get(DEFAULT), (page, by_lang)
        checked += 1
    assert checked > 10
