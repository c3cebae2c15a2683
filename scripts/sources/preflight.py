"""Before anything is built: every problem in the sources (Markdown front matter and safety, translations'
ids, links and numbers, country data), as `file:line: message (fix)` lines. Run by the MkDocs hooks before the
first edition, so `mkdocs build` and `./kb build` stop on the same list and write nothing."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from scripts.project import COUNTRIES
from scripts.sources import content


class SourceProblems(PluginError):
    """Problems in the sources, one `file:line: message (fix)` per line; nothing was built."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems) + f"\n{len(problems)} problem(s) in the sources; nothing was built.")


class StepFailed(PluginError):
    """A post-build step found the built site wrong (a broken link, a sheet over its page budget): its message
    lists each problem at its file and line."""


def escapes(root: Path, folders: list[Path]) -> list[str]:
    """Every symlink, and every path resolving outside `root`, under `folders`: MkDocs follows links, so a link
    to a system file or folder would be published. Walked without following links so a linked folder is reported
    once, not entered."""
    root = root.resolve()
    problems = []
    for folder in folders:
        if not folder.exists() and not folder.is_symlink():
            continue
        for path in [folder, *_walk(folder)]:
            name = _shown(path, root)
            if path.is_symlink():
                problems.append(f"{name}: is a symbolic link; nothing outside the repository is published"
                                " (replace it with the file itself)")
            elif not path.resolve().is_relative_to(root):
                problems.append(f"{name}: resolves outside the repository (move the file into the repository)")
    return problems


def _walk(folder: Path) -> list[Path]:
    found = []
    for parent, dirs, files in os.walk(folder, followlinks=False):
        found += [Path(parent) / n for n in sorted(dirs) + sorted(files)]
    return found


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.absolute().relative_to(root))
    except ValueError:
        return str(path)


def check_sources() -> list[str]:
    """Every problem in the Markdown and the country data, as `file:line: message` lines."""
    from scripts.project import DATA, DEFAULT, DOCS, LOCALES, OVERRIDES, ROOT, languages
    from scripts.sources import parity

    outside = escapes(ROOT, [DOCS, DATA, LOCALES, OVERRIDES])
    if outside:  # refused before anything else reads (and follows) them
        return outside
    problems = [str(p) for p in content.check_docs()]
    if any("not valid UTF-8" in p for p in problems):  # the checks below read pages as text and would crash
        return problems
    problems += [str(d) for d in parity.check(DOCS, languages(), DEFAULT)]
    if COUNTRIES.exists() and any(COUNTRIES.glob("*.yml")):
        from scripts.sources.countries import validate_countries

        problems += [str(e) for e in validate_countries(COUNTRIES)]
    from scripts.sources import terms  # each edition keeps to its glossary: one word per concept

    editions = [code for code in languages() if code != DEFAULT]
    problems += [str(p) for p in terms.missing_glossaries(editions)]
    problems += [str(p) for lang in editions for p in terms.check(lang)]
    return list(dict.fromkeys(problems))  # a broken English page is reported once, not once per edition
