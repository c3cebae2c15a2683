"""Offline reading in Chromium (issue 9): pages read once read again offline; a saved edition works offline,
search included; the ZIP of an edition opens from file:// with links and search and no request to any host."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from scripts.bench.pageload import PHONE
from scripts.sources.locales import strings


@pytest.fixture
def phone(browser):
    context = browser.new_context(service_workers="allow", **PHONE)
    yield context
    context.close()


def _controlled(page, url: str) -> None:
    """Open `url` and wait until the service worker controls the page."""
    page.goto(url)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null"
                           " || (location.reload(), false)", polling=1000, timeout=30_000)


def test_a_page_read_once_reads_again_offline(phone, server: str) -> None:
    page = phone.new_page()
    _controlled(page, server + "am/")
    page.goto(server + "am/kafala/")
    title = page.inner_text("h1")
    phone.set_offline(True)
    page.reload()
    assert page.inner_text("h1") == title
    page.goto(server + "am/shelters/")  # never opened, not saved
    assert strings("am")["offline.offline_page"] in page.inner_text("article")
    phone.set_offline(False)


def test_a_saved_edition_works_offline_with_search_then_delete_clears_it(phone, server: str) -> None:
    page = phone.new_page()
    _controlled(page, server + "my/")
    t = strings("my")
    box = page.locator("[data-kb-offline]")
    assert box.is_visible()
    assert page.inner_text("[data-kb-size]").strip(), "the size is shown before anything is downloaded"
    page.click("[data-kb-save]")
    page.wait_for_function(f"() => document.querySelector('[data-kb-offline] [data-kb-status]').textContent === "
                           f"{t['offline.saved']!r}", timeout=60_000)
    phone.set_offline(True)
    page.goto(server + "my/staff/four-ps/")  # never opened before
    assert page.locator("article h1").count() == 1 and t["offline.offline_page"] not in page.inner_text("article")
    page.goto(server + "my/search/?q=ILO")
    page.wait_for_selector("[data-kb-results] li", timeout=10_000)
    phone.set_offline(False)
    page.goto(server + "my/")
    page.click("[data-kb-clear]")
    page.wait_for_function(f"() => document.querySelector('[data-kb-offline] [data-kb-status]').textContent === "
                           f"{t['offline.cleared']!r}")
    left = page.evaluate("async () => [(await caches.keys()).length, "
                         "(await navigator.serviceWorker.getRegistrations()).length]")
    assert left == [0, 0]


def test_nothing_is_saved_for_offline_before_the_reader_asks(phone, server: str) -> None:
    page = phone.new_page()
    _controlled(page, server + "th/")
    names = page.evaluate("async () => await caches.keys()")
    assert not [n for n in names if n.startswith("kb-saved")], names


@pytest.mark.parametrize("lang", ["ar", "my"])
def test_the_zip_edition_opens_from_file_with_links_and_search(browser, site: Path, tmp_path: Path, lang: str) -> None:
    archive = next((site / "downloads").glob(f"*-{lang}.zip"))
    assert archive.stat().st_size < 5_000_000
    zipfile.ZipFile(archive).extractall(tmp_path)
    context = browser.new_context(**PHONE)
    requests: list[str] = []
    context.route("**/*", lambda route: (requests.append(route.request.url), route.abort()
                                         if not route.request.url.startswith("file:") else route.continue_()))
    page = context.new_page()
    page.goto((tmp_path / lang / "index.html").as_uri())
    page.click(".kb-bar a[href*='countries']")
    assert page.url.endswith("/countries/index.html")
    page.click(".kb-country-list a >> nth=0")
    assert page.url.endswith("/index.html") and page.locator("article h1").count() == 1
    page.goto((tmp_path / lang / "search" / "index.html").as_uri() + "?q=ILO")
    page.wait_for_selector("[data-kb-results] li", timeout=10_000)
    assert page.get_attribute("[data-kb-results]", "data-kb-used") == "lunr", "the engine did not load from the ZIP"
    page.click("[data-kb-results] a >> nth=0")
    assert page.url.startswith("file:") and page.url.endswith("index.html")
    assert [u for u in requests if not u.startswith("file:")] == []
    context.close()
