"""Pages stand still while they load (issue 24): the first-paint CSS inlined in each page already gives the first
screen its final layout, so nothing moves when the full stylesheet arrives. Measured in Debian's Chromium with
the Layout Instability API, the full stylesheet held back until the first paint (as on 2G), so the score does
not depend on timing. Editions: left-to-right (en), right-to-left (ar) and Ethiopic script (am)."""

from __future__ import annotations

import pytest

from scripts.bench import pageload
from scripts.project import DEFAULT

BUDGET = 0.01
EDITIONS = ("en", "ar", "am")


@pytest.fixture
def meter(browser):
    context = browser.new_context(service_workers="block", **pageload.PHONE)
    yield pageload.Meter(context, context.new_page(), throttle=False)
    context.close()


@pytest.mark.parametrize("kind", list(pageload.SHIFT_SAMPLE))
@pytest.mark.parametrize("lang", EDITIONS)
def test_first_screen_does_not_move_when_the_full_stylesheet_arrives(meter, server: str, lang: str, kind: str) -> None:
    url = f"{server}{'' if lang == DEFAULT else lang + '/'}{pageload.SHIFT_SAMPLE[kind]}"
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
