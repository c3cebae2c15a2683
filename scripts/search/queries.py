"""The readers' queries of tests/search/queries.yml, typed into an edition's search page in a browser.

Used by the browser test (every query's page in the first five) and by `./kb bench` (the hit rates of the
search and of the substring search it falls back on, on the same queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.project import ROOT, edition_prefix, relative
from scripts.yamlfile import read

QUERIES = ROOT / "tests" / "search" / "queries.yml"
TOP = 5


@dataclass
class Answer:
    """One query typed: what the search and the substring search put first."""

    query: str
    page: str
    kind: str
    found: list[str]       # the search's first five, paths inside the edition
    used: str              # "lunr", or "substring" when lunr found nothing
    substring: list[str]   # the substring search's first five

    @property
    def hit(self) -> bool:
        return self.page in self.found

    @property
    def substring_hit(self) -> bool:
        return self.page in self.substring


def load(path: Path = QUERIES) -> dict[str, list[dict]]:
    """{edition: [{q, page, kind}, …]} from the query file."""
    return read(path, relative(path)).data


def first_five(page, query: str, mode: str = "") -> tuple[list[str], str]:
    """Type `query` into the open search page (`mode` "substring" asks for the substring search alone):
    the first five results as paths inside the edition, and which search answered."""
    page.evaluate("""mode => { const form = document.querySelector('[data-kb-search]');
      if (mode) form.setAttribute('data-kb-mode', mode); else form.removeAttribute('data-kb-mode'); }""", mode)
    answered = "q => (document.querySelector('[data-kb-results]').getAttribute('data-kb-for') || '') === q"
    page.fill("#kb-q", "")
    page.wait_for_function(answered, arg="", timeout=60_000)  # the previous answer is gone
    page.fill("#kb-q", query)
    page.wait_for_function(answered, arg=query, timeout=60_000)
    links = page.eval_on_selector_all("[data-kb-results] > li > a", "els => els.map(a => a.href)")
    search = page.url.split("?")[0]
    edition = search[: -len("search/")]
    found = [link.removeprefix(edition) for link in links[:TOP]]
    return found, page.get_attribute("[data-kb-results]", "data-kb-used") or ""


def answers(page, base_url: str, lang: str, queries: list[dict]) -> list[Answer]:
    """Every query of an edition, typed on its search page, answered by both searches."""
    page.goto(f"{base_url}{edition_prefix(lang)}search/")
    out = []
    for item in queries:
        query = str(item["q"])
        found, used = first_five(page, query)
        substring, _ = first_five(page, query, "substring")
        out.append(Answer(query, item["page"], item.get("kind", ""), found, used, substring))
    return out


def rate_line(lang: str, result: list[Answer]) -> str:
    """`ar: search 11/12 (92%), substring 6/12 (50%); lunr answered 11`."""
    n = len(result) or 1
    hits, old = sum(a.hit for a in result), sum(a.substring_hit for a in result)
    by_lunr = sum(a.used == "lunr" for a in result)
    return (f"{lang}: top-{TOP} hits, search {hits}/{len(result)} ({hits / n:.0%}), substring search {old}/{len(result)} "
            f"({old / n:.0%}); lunr answered {by_lunr}, the substring fallback {len(result) - by_lunr}")
