"""Checks on the Markdown sources of every edition before anything is built.

Front matter must parse and carry the fields every page needs; contributed text must be safe (sanitise.py).
Each problem names the file and line and says how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from scripts.findings import Finding as Problem  # one finding type for every check
from scripts.project import DOCS, ROOT, relative
from scripts.sources import citations, sanitise
from scripts.sources.frontmatter import FrontMatterError, split

# "(Article 7)" or "(Universal Declaration of Human Rights, Article 8)" in English page text.
INLINE_ARTICLE = re.compile(r"\((?:([^()]*?),\s*)?Article (\d+)\)")
REQUIRED = ("title", "summary", "audience", "reviewed", "sources")
AUDIENCES = ("migrants", "staff")
# A page's Markdown, in bytes: the longest page today is about 22 KB; 200 KB of text is minutes of download on 2G.
PAGE_BUDGET = 200_000


def _line_of_key(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines()[:80], start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def source_problem(source: object, known: citations.Catalogue) -> str | None:
    """Why one `sources` entry does not point at something real, or None when it does."""
    if isinstance(source, dict) and "data" in source:
        return None if (ROOT / str(source["data"])).is_file() else f"data file {source['data']!r} does not exist"
    return citations.problem(source, known)


def check_page(path: Path, text: str, known: citations.Catalogue | None = None) -> list[Problem]:
    """Problems in one page: front matter syntax and fields, and forbidden constructs. `known` is what may be
    cited (data/sources.yml; read here when not given)."""
    name = relative(path)
    known = known or citations.catalogue()
    try:
        meta, _body, _line = split(text, name)
    except FrontMatterError as error:
        return [Problem(error.path, error.line, error.message)]
    problems = [Problem(name, f.line, f.message) for f in sanitise.findings(text)]
    size = len(text.encode("utf-8"))
    if size > PAGE_BUDGET:
        problems.append(Problem(name, 1, f"the page is {size / 1000:,.0f} KB, over the {PAGE_BUDGET // 1000} KB budget "
                                         "for one page (a reader on 2G waits for all of it): split it into pages"))
    if meta.get("kb_chrome"):
        return problems
    for key in REQUIRED:
        if key not in meta or meta[key] in (None, "", []):
            problems.append(Problem(name, 1, f"front matter lacks `{key}` (every page needs: {', '.join(REQUIRED)})"))
    for source in meta.get("sources") or []:
        if message := source_problem(source, known):
            problems.append(Problem(name, _line_of_key(text, "sources"), message))
    problems.extend(_inline_article_problems(name, text, meta, known))
    audience = meta.get("audience")
    if audience is not None and audience not in AUDIENCES:
        message = f"audience {audience!r} is unknown: use one of {', '.join(AUDIENCES)}"
        problems.append(Problem(name, _line_of_key(text, "audience"), message))
    reviewed = meta.get("reviewed")
    if reviewed is not None and not _is_date(reviewed):
        message = f"reviewed {reviewed!r} is not a date: write it as YYYY-MM-DD"
        problems.append(Problem(name, _line_of_key(text, "reviewed"), message))
    return problems


def _is_date(value: object) -> bool:
    """A YYYY-MM-DD date (YAML 1.2 keeps dates as the text written; MkDocs' own reader makes them dates)."""
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _inline_article_problems(name: str, text: str, meta: dict, known: citations.Catalogue) -> list[Problem]:
    """An "(Article N)" in the text must exist in an instrument the page cites in `sources` (or in the one the
    parenthesis names, as in "(Universal Declaration of Human Rights, Article 8)")."""
    instruments = {name: int(entry.get("articles") or 0) for name, entry in known.instruments.items()}
    cited = {s["instrument"] for s in meta.get("sources") or [] if isinstance(s, dict) and s.get("instrument") in instruments}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in INLINE_ARTICLE.finditer(line):
            named, article = (match.group(1) or "").strip(" ,"), int(match.group(2))
            pool = [i for i in instruments if named and i.startswith(named)] or sorted(cited)
            if not pool:
                problems.append(Problem(name, number, f"Article {article} is cited but the page's `sources` cite no "
                                                      "instrument (add `- instrument:` with `article:`)"))
            elif not any(1 <= article <= instruments[i] for i in pool):
                problems.append(Problem(name, number, f"Article {article} does not exist in {' or '.join(pool)} "
                                                      "(check the article number against the instrument's text)"))
    return problems


def check_docs(docs_dir: Path = DOCS) -> list[Problem]:
    """Problems in every Markdown page of every edition."""
    problems: list[Problem] = []
    known = citations.catalogue()
    for path in sorted(docs_dir.rglob("*.md")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            problems.append(Problem(relative(path), line, f"not valid UTF-8 (byte 0x{data[error.start]:02x});"
                                    " save the file as UTF-8"))
            continue
        problems.extend(check_page(path, text, known))
    return problems
