"""Byte budgets of issue 8, on the real site in Debian's Chromium, every edition (bytes do not drift; times
are in the benchmark, `./kb bench`). Also: search finds a core page by a word of its own text, in every edition."""

from __future__ import annotations

import pytest

from scripts.bench import pageload
from scripts.project import edition_prefix, languages

KB = 1000
FIRST_VISIT, CRITICAL, SECOND_PAGE, SEARCH = 60 * KB, 14 * KB, 12 * KB, 100 * KB


def _prefix(lang: str) -> str:
    return edition_prefix(lang)


@pytest.fixture
def meter(browser):
    # A visit registers no worker (test_offline.py); blocked so that none could hide requests from DevTools.
    context = browser.new_context(service_workers="block", **pageload.PHONE)
    page = context.new_page()
    yield pageload.Meter(context, page, throttle=False)
    context.close()


@pytest.mark.parametrize("lang", languages())
def test_first_visit_and_second_page_stay_within_budget(meter, server: str, lang: str) -> None:
    first = pageload.visit(meter, f"{server}{_prefix(lang)}get-help/")
    assert not first.foreign(), first.foreign()
    total = first.bytes
    assert total <= FIRST_VISIT, f"{lang}: first visit {total:,} B > {FIRST_VISIT:,} B: {first.responses}"
    assert first.critical_bytes() <= CRITICAL, f"{lang}: render-critical {first.critical_bytes():,} B: {first.blocking}"
    early = [u for u in first.responses if "search" in u or "/vendor/" in u]
    assert not early, f"search files were fetched before search was opened: {early}"
    second = pageload.visit(meter, f"{server}{_prefix(lang)}countries/")
    assert second.responses, "the second page was not measured"
    assert second.bytes <= SECOND_PAGE, f"{lang}: second page {second.bytes:,} B: {second.responses}"


@pytest.mark.parametrize("lang", languages())
def test_search_finds_a_core_page_by_its_own_words_within_budget(meter, server: str, lang: str) -> None:
    query = pageload.search_word(lang)
    load, _, hits = pageload.search(meter, f"{server}{_prefix(lang)}search/", query)
    assert hits >= 1, f"{lang}: nothing found for {query!r}"
    links = meter.page.eval_on_selector_all("[data-kb-results] a", "els => els.map(a => a.href)")
    assert any(link.endswith(f"/{_prefix(lang)}get-help/") for link in links), (query, links)
    assert load.responses and load.bytes <= SEARCH, f"{lang}: search cost {load.bytes:,} B"
    index = [u for u in load.responses if "search-index" in u]
    assert len(index) == 1 and f"/{_prefix(lang)}search-index" in index[0], index
