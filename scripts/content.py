"""Checks on the Markdown sources of every edition before anything is built.

Front matter must parse and carry the fields every page needs; contributed text must be safe (sanitise.py).
Each problem names the file and line and says how to fix it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from scripts import sanitise
from scripts.frontmatter import FrontMatterError, split
from scripts.paths import DOCS, relative

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
