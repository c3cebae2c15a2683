"""The link checker's findings as plain data, grouped so one mistake is reported once, and printed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import NamedTuple


class Occurrence(NamedTuple):
    """One place in the built site where a problem shows."""

    edition: str
    page: str  # URL path of the built page, e.g. "/ne/get-help/"
    file: str  # built file relative to site/, e.g. "ne/get-help/index.html"
    target: str  # where the link lands, e.g. "/ne/kafala/#keep-passport", or the link itself


@dataclass
class Problem:
    """One broken or invalid link, with where to fix it (source file and line, or 'template')."""

    kind: str  # missing-page, missing-file, missing-anchor, wrong-edition, missing-translation,
    # outside-site, bad-tel, bad-whatsapp, bad-mailto, external
    source: str  # "docs/<lang>/x.md", "data/countries/<cc>.yml" or "template"
    line: int | None
    link: str  # the href/src as written in the built HTML
    message: str  # what is wrong and how to fix it
    occurrences: list[Occurrence] = field(default_factory=list)
    severity: str = "error"  # or "warning"

    @property
    def editions(self) -> list[str]:
        """Editions the problem shows in, first-seen order."""
        return list(dict.fromkeys(occ.edition for occ in self.occurrences))

    @property
    def page(self) -> str:
        """The first built page it shows on."""
        return self.occurrences[0].page if self.occurrences else ""

    @property
    def where(self) -> str:
        """'file:line', 'file' or 'template'."""
        return f"{self.source}:{self.line}" if self.line else self.source

    def text(self) -> str:
        """One line: `docs/ne/get-help.md:14: [ne] /ne/get-help/ -> ../kafala/#x: reason (fix)`."""
        pages = list(dict.fromkeys(occ.page for occ in self.occurrences))
        more = f" [+{len(pages) - 1} more pages]" if len(pages) > 1 else ""
        level = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.where}: [{','.join(self.editions)}] {self.page} -> {self.link}: {level}{self.message}{more}"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "source": self.source,
            "line": self.line,
            "link": self.link,
            "message": self.message,
            "editions": self.editions,
            "occurrences": [occ._asdict() for occ in self.occurrences],
        }


class Grouper:
    """Collects findings; the same link from the same source line is one problem, across pages and editions."""

    def __init__(self, order: tuple[str, ...]) -> None:
        self._order = {lang: index for index, lang in enumerate(order)}
        self._problems: dict[tuple, Problem] = {}

    def add(self, key: tuple, problem: Problem, occurrence: Occurrence) -> None:
        """Record `problem` under `key` unless the same key was seen, then only add where it shows."""
        existing = self._problems.setdefault(key, problem)
        if occurrence not in existing.occurrences:
            existing.occurrences.append(occurrence)

    def problems(self) -> list[Problem]:
        """All problems, template last, by file and line; editions in configured order."""
        for problem in self._problems.values():
            problem.occurrences.sort(key=lambda occ: (self._order.get(occ.edition, 99), occ.page))
        return sorted(
            self._problems.values(),
            key=lambda p: (p.source == "template", p.source, p.line or 0, p.link, p.kind),
        )


def render_text(problems: list[Problem], summary: dict, external: list[dict] | None = None) -> str:
    """The human report: one line per problem, the external list if asked for, a summary line."""
    out = [problem.text() for problem in problems]
    if external is not None:
        out.append(f"external links: {len(external)}")
        for entry in external:
            where = ", ".join(
                f"{place['where']} [{','.join(place['editions'])}]" for place in entry["places"][:3]
            )
            extra = f" (+{len(entry['places']) - 3} more)" if len(entry["places"]) > 3 else ""
            out.append(f"  {entry['url']}  <- {where}{extra}")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    verdict = "no broken links" if not problems else f"{errors} broken links, {warnings} warnings"
    out.append(
        f"{verdict}; checked {summary['links']} links on {summary['pages']} pages in "
        f"{len(summary['editions'])} editions in {summary['seconds']:.2f} s"
    )
    return "\n".join(out)


def render_json(problems: list[Problem], summary: dict, external: list[dict] | None = None) -> str:
    """The machine report."""
    data: dict = {"summary": summary, "problems": [p.to_dict() for p in problems]}
    if external is not None:
        data["external"] = external
    return json.dumps(data, ensure_ascii=False, indent=1)
