"""Translations keep what must not change: heading ids, link targets and numbers, exactly as in English.

A translated page may reword anything, but a reader who follows a deep link, dials a number or looks up an
article must land on the same thing in every edition. `compare(english, translation)` lists each difference
with the line to fix; `./kb check translations [--lang L]` runs it over every translated page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scripts.sources.frontmatter import FrontMatterError, body, split

_HEADING_ID = re.compile(r"\{[^}\n]*#([-\w]+)[^}\n]*\}")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|\b(?:href|src)=\"([^\"]+)\"")
_CODE = re.compile(r"`[^`\n]*`")
# Digits with their separators ("24", "1,000", "1 000", "2009", "9611234567"). Separators and digits are then
# normalised, so "1.000" (es) equals "1,000" (en) and a reader's own digits (১২, ၁၂, ๑๒) equal 12.
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+|[\u00a0\u202f ]\d{3}(?!\d))*")


def _normalised(number: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in number if char.isdecimal())


@dataclass(frozen=True)
class Difference:
    """One thing the translation changed that must stay identical: `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _items(text: str, first_line: int) -> dict[str, list[tuple[str, int]]]:
    """Heading ids, link targets and numbers of a Markdown body, each with its line number."""
    found: dict[str, list[tuple[str, int]]] = {"id": [], "link": [], "number": []}
    for offset, line in enumerate(text.splitlines()):
        number = first_line + offset
        for match in _HEADING_ID.finditer(line):
            found["id"].append((match.group(1), number))
        for match in _LINK.finditer(line):
            found["link"].append((match.group(1) or match.group(2), number))
        prose = _CODE.sub(" ", _LINK.sub(" ", _HEADING_ID.sub(" ", line)))
        for match in _NUMBER.finditer(prose):
            found["number"].append((_normalised(match.group(0)), number))
    return found


_WHAT = {"id": "heading id {{#{}}}", "link": "link target ({})", "number": "number {}"}
_FIX = {
    "id": "copy the id exactly as in English; ids are never translated",
    "link": "use the same target as the English page",
    "number": "write the same number, in the same digits (0-9), as the English",
}


def _missing(english: list[tuple[str, int]], translated: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Items of `english` the translation lacks, counting repeats (a number used twice must appear twice)."""
    left = [value for value, _ in translated]
    missing = []
    for value, line in english:
        if value in left:
            left.remove(value)
        else:
            missing.append((value, line))
    return missing


def compare(english: str, translation: str, english_name: str, translation_name: str) -> list[Difference]:
    """Every heading id, link target and number that differs between an English page and its translation."""
    try:  # the bodies only: a front matter's YAML is the content check's to report, once, not once per edition
        en_body, en_first = body(english, english_name)
        tr_body, tr_first = body(translation, translation_name)
    except FrontMatterError as error:
        return [Difference(error.path, error.line, error.message)]
    en, tr = _items(en_body, en_first), _items(tr_body, tr_first)
    out: list[Difference] = []
    for kind in ("id", "link", "number"):
        for value, line in _missing(en[kind], tr[kind]):
            out.append(Difference(translation_name, _near(line, en_first, tr_first),
                                  f"{_WHAT[kind].format(value)} of {english_name}:{line} is missing ({_FIX[kind]})"))
        for value, line in _missing(tr[kind], en[kind]):
            out.append(Difference(translation_name, line,
                                  f"{_WHAT[kind].format(value)} is not in {english_name} ({_FIX[kind]})"))
    if not out and [v for v, _ in en["id"]] != [v for v, _ in tr["id"]]:
        out.append(Difference(translation_name, tr_first, f"heading ids are in another order than in {english_name} "
                                                          "(keep the sections in the English order)"))
    return sorted(out, key=lambda d: d.line)


def _near(english_line: int, en_first: int, tr_first: int) -> int:
    # Translations keep the English structure line for line often enough that the same offset is the best guess.
    return max(tr_first, english_line - en_first + tr_first)


def _is_current(english: str, translation: str) -> bool:
    """Whether the translation was made from this English text (its recorded source_hash matches)."""
    from scripts.sources.source_hash import source_hash

    try:
        meta = split(translation)[0]
        recorded = (meta.get("translation") or {}).get("source_hash")
        return recorded is None or recorded == source_hash(english)
    except (FrontMatterError, AttributeError):
        return True  # let compare() report the broken front matter


def check(docs: Path, languages: Iterable[str], default: str = "en") -> list[Difference]:
    """Compare every translated page in `docs/<lang>/` with its English source.

    A translation made from an older English text is skipped: it is reported as outdated (coverage, and a
    notice on the page), and a change to the English must not break the build of every edition at once.
    """
    out: list[Difference] = []
    root = docs.parent
    for lang in languages:
        if lang == default:
            continue
        for path in sorted((docs / lang).rglob("*.md")):
            page = path.relative_to(docs / lang)
            source = docs / default / page
            if not source.is_file():
                continue  # an orphan: `./kb coverage` reports it
            english, translation = source.read_text(encoding="utf-8"), path.read_text(encoding="utf-8")
            if _is_current(english, translation):
                out += compare(english, translation, str(source.relative_to(root)), str(path.relative_to(root)))
    return out
