"""Pages stand still while they load (issue 24): the first-paint CSS inlined in each page already gives the first
screen its final layout, so nothing moves when the full stylesheet arrives, nor while the page's own HTML is still
arriving. Measured in Debian's Chromium with the Layout Instability API, as on 2G: the HTML trickles in (about
20 KB a second, so the browser paints a page before it has all of it) and the full stylesheet is held back until
the first paint, so the score does not depend on the machine's speed. Editions: left-to-right (en), right-to-left
(ar) and Ethiopic script (am)."""

from __future__ import annotations

import random
import string

import pytest

from scripts.bench import pageload
from scripts.dev.httpserver import start_server
from scripts.project import edition_prefix

BUDGET = 0.01
EDITIONS = ("en", "ar", "am")


@pytest.fixture(scope="module")
def slow_server(site):
    """The built site sent as slowly as 2G sends it."""
    httpd, url = start_server(site, port=0, trickle=True)
    yield url
    httpd.shutdown()


@pytest.fixture
def meter(browser):
    context = browser.new_context(service_workers="block", **pageload.PHONE)
    yield pageload.Meter(context, context.new_page(), throttle=False)
    context.close()


@pytest.mark.parametrize("kind", list(pageload.SHIFT_SAMPLE))
@pytest.mark.parametrize("lang", EDITIONS)
def test_first_screen_does_not_move_while_the_page_arrives(meter, slow_server: str, lang: str, kind: str) -> None:
    url = f"{slow_server}{edition_prefix(lang)}{pageload.SHIFT_SAMPLE[kind]}"
    score, moved = pageload.layout_shift(meter, url)
    assert score <= BUDGET, f"{url}: layout shift {score:.3f} > {BUDGET} (moved: {', '.join(moved)})"


# A page whose first-paint CSS leaves out its header's height, served by the test itself.
_PLANTED = ("<!doctype html><html><head><meta name=viewport content='width=device-width'><style>{inline}</style>"
            "</head><body><header>Header</header><main><p>Text to read.</p><p>Get help now</p></main>"
            "<link rel=stylesheet href='/assets/site.0123456789.css'></body></html>")
_FULL_CSS = "header{display:block;height:300px;background:#ccc}"


@pytest.mark.parametrize(("inline", "moves"), [("header{display:block}", True), (_FULL_CSS, False)])
def test_a_planted_late_header_rule_is_measured(meter, inline: str, moves: bool) -> None:
    page = meter.page
    page.route("http://planted.test/", lambda route: route.fulfill(body=_PLANTED.format(inline=inline),
                                                                  content_type="text/html"))
    page.route("http://planted.test/assets/*.css", lambda route: route.fulfill(body=_FULL_CSS, content_type="text/css"))
    score, _ = pageload.layout_shift(meter, "http://planted.test/")
    assert (score > BUDGET) is moves, score


# A bar whose last item's label comes late: painted before the label arrives, the row breaks elsewhere afterwards
# (the language menu of the site's own bar did this on 2G). Random, incompressible padding between the menu and its
# label spans several of the slow server's chunks, so the browser paints in between every time.
_BAR = ("<!doctype html><html><head><meta name=viewport content='width=device-width'><style>"
        "nav{{display:flex;flex-wrap:wrap;gap:8px;font:16px sans-serif}} .end{{margin-inline-start:auto}}{extra}"
        "</style></head><body><nav><a href=#>Choose your country</a><a class=end href=#>Search</a>"
        "<details><!--{padding}--><summary>Select language: English</summary><ul><li>English</li></ul></details>"
        "</nav><p>Text to read.</p></body></html>")


@pytest.mark.parametrize(("extra", "moves"), [("", True), ("details{{flex-basis:100%}}", False)])
def test_a_planted_late_label_is_measured(meter, tmp_path, extra: str, moves: bool) -> None:
    padding = "".join(random.Random(0).choices(string.ascii_letters + string.digits, k=6000))
    (tmp_path / "index.html").write_text(_BAR.format(extra=extra.format(), padding=padding), encoding="utf-8")
    httpd, url = start_server(tmp_path, port=0, trickle=True)
    try:
        score, _ = pageload.layout_shift(meter, url)
    finally:
        httpd.shutdown()
    assert (score > BUDGET) is moves, score
