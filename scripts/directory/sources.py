"""The external check of every source page the directory cites (`./kb directory health --check-sources`).

A source page that is gone (HTTP 404 or 410) needs attention: the number it gave may have moved with it. Other
failures (timeouts, a server refusing robots, 5xx) are reported as warnings, since a bad moment is not a finding.
Answers are cached like the link checker's (scripts/linkcheck/external.py), so a weekly run asks each host little.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.project import BUILD_CACHE, relative

CACHE = BUILD_CACHE / "external-sources.json"


@dataclass(frozen=True)
class SourcePage:
    path: Path
    line: int
    url: str


def source_pages(data_dir: Path) -> list[SourcePage]:
    """Every `url` of a `source:` page in the country files (listings', contacts', facts'), with its file and line."""
    from scripts.sources.countries import _parse, _walk

    found = []
    for path in sorted(Path(data_dir).glob("*.yml")):
        doc = _parse(path)
        for where, value in _walk(doc.data):
            if where and where[-1] == "url" and "source" in where[:-1] and isinstance(value, str):
                found.append(SourcePage(path, doc.line(where), value))
    return found


def check(pages: list[SourcePage], cache: Path | None = CACHE) -> tuple[list[str], list[str]]:
    """(problems, warnings) as `file:line: ...` lines, after checking each distinct address once."""
    from scripts.linkcheck.external import LASTING, check_urls

    results = check_urls([page.url for page in pages], cache)
    problems, warnings = [], []
    for page in pages:
        result = results[page.url.split("#", 1)[0]]
        if result.ok:
            continue
        where = f"{relative(page.path)}:{page.line}"
        if result.status in LASTING:
            problems.append(f"{where}: source page {page.url} is gone ({result.describe()}); find where the number is "
                            "published now, or confirm it by phone (./kb directory verify)")
        else:
            warnings.append(f"{where}: warning: source page {page.url} could not be checked ({result.describe()})")
    return problems, warnings
