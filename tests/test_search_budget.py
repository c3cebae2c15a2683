"""An edition's search index over its size budget stops the build with its sizes (issue 21: a 5 MB index passed)."""

from __future__ import annotations

import random

from scripts.plugin import search_index


def _index(pages: int) -> str:
    words = random.Random(21)  # text that compresses like prose, not like one repeated word
    entries = [[f"/p{n}/", f"Page {n}", "", " ".join(f"w{words.randrange(50_000)}" for _ in range(400))]
               for n in range(pages)]
    return search_index.serialise(entries)


def test_an_index_within_budget_passes() -> None:
    assert search_index.budget_problem("docs/en/", _index(20)) is None


def test_an_index_over_budget_is_refused_with_its_sizes() -> None:
    data = _index(200)
    problem = search_index.budget_problem("docs/my/", data)
    raw = len(data.encode()) / 1000
    assert problem is not None and problem.startswith("docs/my/: the search index is "), problem
    assert f"({raw:,.0f} KB), over the 90 KB budget" in problem, problem
