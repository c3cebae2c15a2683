"""Search that forgives (issue 20), in Debian's Chromium on the built site: every reader's query of
tests/search/queries.yml finds its page among the first five, in each edition the file covers; the engine
loads only when the reader starts to search, and only the edition's own stemmer; page text in results is text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.bench.pageload import PHONE
from scripts.project import DEFAULT, DOCS, edition_prefix
from scripts.search import queries, vendor

QUERIES = queries.load()


def _prefix(lang: str) -> str:
    return edition_prefix(lang)


@pytest.fixture
def phone(browser):
    # No service worker: requests it makes are out of the page's sight (and of page.route).
    context = browser.new_context(service_workers="block", **PHONE)
    yield context.new_page()
    context.close()


def test_the_query_file_covers_the_editions_and_kinds_the_issue_names() -> None:
    assert set(QUERIES) >= {"en", "fr", "es", "ru", "ar", "ne", "am", "tl", "id", "th", "my", "sw"}
    for lang, items in QUERIES.items():
        assert len(items) >= 10, lang
        kinds = {item["kind"] for item in items}
        assert kinds == {"exact", "form", "typo", "body"}, (lang, kinds)
        assert all((DOCS / lang / (item["page"].rstrip("/") + ".md")).exists() for item in items), lang


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_every_query_finds_its_page_in_the_first_five(phone, site: Path, server: str, lang: str, capsys) -> None:
    if not (site / _prefix(lang) / "search").is_dir():
        pytest.skip(f"{lang} was not built (KB_TEST_LANGS)")
    answers = queries.answers(phone, server, lang, QUERIES[lang])
    with capsys.disabled():  # the figures of the closing note: both searches, the same queries
        print("\n" + queries.rate_line(lang, answers))
    missed = [(a.query, a.page, a.found) for a in answers if not a.hit]
    assert not missed, f"{lang}: not in the first five: {missed}"


def test_typos_are_corrected_and_substrings_are_the_fallback(phone, server: str) -> None:
    phone.goto(f"{server}search/")
    found, used = queries.first_five(phone, "pasport")  # no such word: corrected to "passport"
    assert used == "lunr" and "kafala/" in found, found
    # Three letters from inside a word begin no word of the edition: lunr finds nothing, the substring search
    # (the site's first search, kept as the fallback) finds the pages that hold them.
    found, used = queries.first_five(phone, "ssp")
    assert used == "substring" and found, found


def test_the_engine_loads_when_search_starts_with_only_the_editions_stemmer(phone, site: Path, server: str) -> None:
    stemmed = [lang for lang in vendor.record()["stemmers"] if lang != DEFAULT]
    lang = next((code for code in stemmed if (site / code / "search").is_dir()), None)
    if lang is None:
        pytest.skip("no edition with a stemmer of its own was built (KB_TEST_LANGS)")
    requested: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto(f"{server}{lang}/search/")
    assert not [u for u in requested if "vendor/" in u or "search" in u.rsplit("/", 1)[-1]], requested
    queries.first_five(phone, QUERIES[lang][0]["q"])
    names = [u.rsplit("/", 1)[-1] for u in requested]
    assert any(n.startswith("lunr.min.") for n in names) and any(n.startswith(f"lunr.{lang}.min.") for n in names), names
    others = tuple(f"lunr.{code}." for code in stemmed if code != lang)
    assert not [n for n in names if n.startswith(others)], names
    assert phone.locator("[data-kb-results] li .kb-search__passage mark").count() >= 1, "no word marked in a passage"


def test_page_text_in_results_stays_text(phone, server: str) -> None:
    planted = {"v": 2, "docs": [["kafala/", "<img src=x onerror=window.pwned=1>", "<b>summary</b>", "",
                                 "a body with <script>window.pwned=1</script> kafala inside"]]}
    phone.route("**/search-index.*.json", lambda route: route.fulfill(body=json.dumps(planted),
                                                                      content_type="application/json"))
    phone.goto(f"{server}search/")
    queries.first_five(phone, "kafala")
    item = phone.locator("[data-kb-results] li").first
    assert item.locator("a").inner_text() == "<img src=x onerror=window.pwned=1>"
    assert item.locator("img, script, b").count() == 0
    assert "<script>" in item.locator(".kb-search__passage").inner_text()
    assert phone.evaluate("window.pwned") is None


def test_shipped_engine_files_are_the_published_ones(tmp_path: Path) -> None:
    assert vendor.mismatches() == []
    record = vendor.record()
    for package in record["packages"]:
        assert package["version"].count(".") == 2 and len(package["tarball_sha256"]) == 64
        assert Path(package["licence_file"]).read_text(encoding="utf-8").strip(), package["name"]
    for lang, files in record["stemmers"].items():
        assert all(f"overrides/assets/vendor/{name}" in {p for pk in record["packages"] for p in pk["files"]}
                   for name in files), lang
    # A copy changed by one byte is found.
    for package in record["packages"]:
        for path in package["files"]:
            target = tmp_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(Path(path).read_bytes())
    first = tmp_path / next(iter(record["packages"][0]["files"]))
    first.write_bytes(first.read_bytes() + b" ")
    wrong = vendor.mismatches(tmp_path)
    assert len(wrong) == 1 and "lunr.min.js" in wrong[0], wrong
