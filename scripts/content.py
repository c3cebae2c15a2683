"""Checks on the Markdown sources of every edition before anything is built.

Front matter must parse and carry the fields every page needs; contributed text must be safe (sanitise.py).
Each problem names the file and line and says how to fix it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import NamedTuple

import yaml

from scripts import sanitise
from scripts.frontmatter import FrontMatterError, split
from scripts.paths import DATA, DOCS, ROOT, relative

REQUIRED = ("title", "summary", "audience", "reviewed", "sources")
AUDIENCES = ("migrants", "staff")


class Problem(NamedTuple):
    """One content problem: `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _line_of_key(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines()[:80], start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


@cache
def known_sources() -> tuple[frozenset[str], frozenset[str]]:
    """(seed file names, instrument names) a page may cite, from data/sources.yml."""
    known = yaml.safe_load((DATA / "sources.yml").read_text(encoding="utf-8")) or {}
    return frozenset(known.get("seeds") or {}), frozenset(known.get("instruments") or [])


def source_problem(source: object) -> str | None:
    """Why one `sources` entry does not point at something real, or None when it does."""
    seeds, instruments = known_sources()
    if not isinstance(source, dict):
        return f"source {source!r} is not a seed, instrument or data file (write `- seed: <file>` with `section:`)"
    if "seed" in source:
        if source["seed"] not in seeds:
            return f"seed {source['seed']!r} is not listed in data/sources.yml (use one of: {', '.join(sorted(seeds))})"
        return None
    if "instrument" in source:
        if source["instrument"] not in instruments:
            return (f"instrument {source['instrument']!r} is not listed in data/sources.yml (use the exact name "
                    "listed there, or add the instrument there with its full name and year)")
        return None
    if "data" in source:
        return None if (ROOT / str(source["data"])).is_file() else f"data file {source['data']!r} does not exist"
    return "a source needs `seed:`, `instrument:` or `data:` (see data/sources.yml)"


def check_page(path: Path, text: str) -> list[Problem]:
    """Problems in one page: front matter syntax and fields, and forbidden constructs."""
    name = relative(path)
    try:
        meta, _body, _line = split(text, name)
    except FrontMatterError as error:
        return [Problem(error.path, error.line, error.message)]
    problems = [Problem(name, f.line, f.message) for f in sanitise.findings(text)]
    if meta.get("kb_chrome"):
        return problems
    for key in REQUIRED:
        if key not in meta or meta[key] in (None, "", []):
            problems.append(Problem(name, 1, f"front matter lacks `{key}` (every page needs: {', '.join(REQUIRED)})"))
    for source in meta.get("sources") or []:
        if message := source_problem(source):
            problems.append(Problem(name, _line_of_key(text, "sources"), message))
    audience = meta.get("audience")
    if audience is not None and audience not in AUDIENCES:
        message = f"audience {audience!r} is unknown: use one of {', '.join(AUDIENCES)}"
        problems.append(Problem(name, _line_of_key(text, "audience"), message))
    reviewed = meta.get("reviewed")
    if reviewed is not None and not isinstance(reviewed, dt.date):
        message = f"reviewed {reviewed!r} is not a date: write it as YYYY-MM-DD"
        problems.append(Problem(name, _line_of_key(text, "reviewed"), message))
    return problems


def check_docs(docs_dir: Path = DOCS) -> list[Problem]:
    """Problems in every Markdown page of every edition."""
    problems: list[Problem] = []
    for path in sorted(docs_dir.rglob("*.md")):
        problems.extend(check_page(path, path.read_text(encoding="utf-8")))
    return problems
