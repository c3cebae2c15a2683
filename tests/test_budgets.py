"""Byte budgets of issue 8, on the real site in Debian's Chromium, every edition (bytes do not drift; times
are in the benchmark, `./kb bench`). Also: search finds a core page by a word of its own text, in every edition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts import pageload
from scripts.frontmatter import split
from scripts.languages import DEFAULT, LANGUAGES

KB = 1000
FIRST_VISIT, CRITICAL, SECOND_PAGE, SEARCH = 60 * KB, 14 * KB, 12 * KB, 100 * KB
ROOT = Path(__file__).resolve().parent.parent


def _prefix(lang: str) -> str:
    return "" if lang == DEFAULT else f"{lang}/"


@pytest.fixture
def meter(browser):
    context = browser.new_context(**pageload.PHONE)
    page = context.new_page()
    yield pageload.Meter(context, page, throttle=False)
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_visit_and_second_page_stay_within_budget(meter, server: str, lang: str) -> None:
    first = pageload.visit(meter, f"{server}{_prefix(lang)}get-help/")
    assert not first.foreign(), first.foreign()
    assert first.bytes <= FIRST_VISIT, f"{lang}: first visit {first.bytes:,} B > {FIRST_VISIT:,} B: {first.responses}"
    assert first.critical_bytes() <= CRITICAL, f"{lang}: render-critical {first.critical_bytes():,} B: {first.blocking}"
    assert not [u for u in first.responses if "search" in u], "search files were fetched before search was opened"
    second = pageload.visit(meter, f"{server}{_prefix(lang)}countries/")
    assert second.bytes <= SECOND_PAGE, f"{lang}: second page {second.bytes:,} B: {second.responses}"


def _query(lang: str) -> str:
    """A word from the edition's own Get help page (its summary), or part of one in scripts without spaces."""
    path = ROOT / "docs" / lang / "get-help.md"
    if not path.exists():
        path = ROOT / "docs" / DEFAULT / "get-help.md"
    summary = str(split(path.read_text(encoding="utf-8"))[0]["summary"])
    words = sorted(re.findall(r"\w{4,}", summary), key=len, reverse=True)
    return words[0][:6] if words else summary[:4]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_a_core_page_by_its_own_words_within_budget(meter, server: str, lang: str) -> None:
    query = _query(lang)
    load, _, hits = pageload.search(meter, f"{server}{_prefix(lang)}search/", query)
    assert hits >= 1, f"{lang}: nothing found for {query!r}"
    links = meter.page.eval_on_selector_all("[data-kb-results] a", "els => els.map(a => a.href)")
    assert any(link.endswith(f"/{_prefix(lang)}get-help/") for link in links), (query, links)
    assert load.bytes <= SEARCH, f"{lang}: search cost {load.bytes:,} B"
    index = [u for u in load.responses if "search-index" in u]
    assert len(index) == 1 and f"/{_prefix(lang)}search-index" in index[0], index
