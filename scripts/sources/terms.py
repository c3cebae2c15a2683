"""One vocabulary per edition: each edition's glossary (locales/glossary/<lang>.yml) and `./kb check terms`.

An edition speaks with one voice only if its pages, its country-data texts and its interface strings use the same
word for the same thing. The glossary names that word (`use`) and the words that must not stand for it (`avoid`);
the check reports, as `file:line: message (fix)`:

- a word the glossary says to avoid;
- in an edition not written in Latin script, a run of Latin-script words with no gloss in the edition's script
  next to it (a reader who does not read Latin letters sees nothing there; a name may stay, with the local
  rendering before it or in brackets after it);
- a number grouped the way another language groups it ("5,000" reads as five in Indonesian), by CLDR through Babel.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from babel.core import get_global
from babel.numbers import get_decimal_symbol, get_group_symbol

from scripts.project import COUNTRIES, DEFAULT, DOCS, LOCALES, relative
from scripts.sources.content import Problem
from scripts.sources.frontmatter import FrontMatterError, split
from scripts.sources.source_hash import is_untranslated, source_hash
from scripts.sources.words import prose
from scripts.yamlfile import read

GLOSSARY = "glossary"
LATIN_WORD = r"[A-Za-z][A-Za-z'’\-]*"
LATIN_RUN = re.compile(rf"{LATIN_WORD}(?:[ ,/&]+{LATIN_WORD})+")
# Grouped numbers: 1-3 digits then groups of exactly three, e.g. 5,000 or 1.500.000 (any Unicode digits).
GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:([.,])\d{3})+(?![\d.,]*\d)")


class Line(NamedTuple):
    """One line of an edition's text, where it is, and what kind of text it is."""

    path: str
    line: int
    text: str


def glossary_path(lang: str, locales_dir: Path = LOCALES) -> Path:
    return locales_dir / GLOSSARY / f"{lang}.yml"


def load_glossary(lang: str, locales_dir: Path = LOCALES) -> dict[str, dict]:
    """{concept: {use, avoid, note}} for `lang` ({} when the edition has no glossary yet)."""
    path = glossary_path(lang, locales_dir)
    if not path.is_file():
        return {}
    data = read(path, relative(path)).data or {}
    return {concept: entry or {} for concept, entry in (data.get("terms") or {}).items()}


def concepts(locales_dir: Path = LOCALES) -> list[str]:
    """The concepts every glossary covers, from the English master list."""
    return list(load_glossary("en", locales_dir))


def script(lang: str) -> str:
    """The ISO 15924 script CLDR expects for `lang` (Latn, Arab, Deva ...)."""
    likely = get_global("likely_subtags").get(lang.split("-")[0], "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else "Latn"


def page_lines(lang: str, docs_dir: Path = DOCS) -> Iterator[Line]:
    """The prose of the edition's pages: title and summary, then the body, one Line per source line."""
    for path in sorted((docs_dir / lang).rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        english = docs_dir / DEFAULT / path.relative_to(docs_dir / lang)
        try:
            untranslated = english.is_file() and is_untranslated(text, source_hash(english.read_text(encoding="utf-8")))
        except FrontMatterError:
            untranslated = False  # the English page's own front matter is broken: the content check reports it
        if untranslated:
            continue  # a copy not translated yet (new-translation): the page says it is English, and is
        try:
            meta, body, first = split(text, relative(path))
        except FrontMatterError:
            continue  # the content check reports it
        for number, line in enumerate(text.splitlines()[:first], start=1):
            if line.startswith(("title:", "summary:")):
                yield Line(relative(path), number, line.split(":", 1)[1])
        for number, line in enumerate(body.splitlines(), start=first):
            yield Line(relative(path), number, prose(line))


def data_lines(lang: str, countries_dir: Path = COUNTRIES) -> Iterator[Line]:
    """The edition's texts in the country data: the `<lang>:` entries of text maps."""
    key = re.compile(rf"^\s+{re.escape(lang)}:\s*(.*)$")
    for path in sorted(countries_dir.glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = key.match(line)
            if match:
                yield Line(relative(path), number, prose(match.group(1)))


def string_lines(lang: str, locales_dir: Path = LOCALES) -> Iterator[Line]:
    """The edition's interface strings: every `key: value` line of locales/<lang>.yml."""
    path = locales_dir / f"{lang}.yml"
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#") or ":" not in stripped:
            continue
        value = stripped.split(":", 1)[1].split(" #", 1)[0]
        yield Line(relative(path), number, re.sub(r"\{[a-z_]+\}", " ", value))


def edition_lines(lang: str, docs_dir: Path = DOCS, countries_dir: Path = COUNTRIES,
                  locales_dir: Path = LOCALES) -> list[Line]:
    return [*page_lines(lang, docs_dir), *data_lines(lang, countries_dir), *string_lines(lang, locales_dir)]


def _contains(text: str, word: str, latin: bool) -> bool:
    if latin:
        return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE) is not None
    return word.casefold() in text.casefold()  # scripts without spaces between words: a stem may be listed


def avoided_words(lang: str, lines: Iterable[Line], glossary: dict[str, dict], locales_dir: Path = LOCALES) -> list[Problem]:
    latin = script(lang) == "Latn"
    where = relative(glossary_path(lang, locales_dir))
    problems = []
    for line in lines:
        for concept, entry in glossary.items():
            for word in entry.get("avoid") or []:
                if _contains(line.text, str(word), latin):
                    problems.append(Problem(line.path, line.line, f"{word!r} is not the word for {concept.replace('_', ' ')} "
                                                                   f"in this edition: write {entry.get('use')!r} ({where})"))
    return problems


def _local_letters(text: str) -> bool:
    """Whether `text` has a letter that is not Latin (the edition's own script, in a non-Latin edition)."""
    return any(ch.isalpha() and not ("a" <= ch.lower() <= "z") for ch in text)


def unglossed_latin(lang: str, lines: Iterable[Line]) -> list[Problem]:
    """Runs of two or more Latin-script words with no gloss in the edition's script beside them."""
    if script(lang) == "Latn":
        return []
    problems = []
    for line in lines:
        for match in LATIN_RUN.finditer(line.text):
            before = line.text[:match.start()].rstrip(" \"'“”«»")
            after = line.text[match.end():].lstrip(" \"'“”«»")
            glossed_before = before.endswith("(") and _local_letters(before[-40:-1])  # local word (Latin name)
            glossed_after = after.startswith("(") and _local_letters(after[1:40])     # Latin name (local word)
            local_around = _local_letters(before[-3:]) or _local_letters(after[:3])
            if not (glossed_before or glossed_after or local_around and len(match.group(0).split()) < 3):
                problems.append(Problem(line.path, line.line, f"{match.group(0)!r} is in Latin letters with no word in "
                                                              "the edition's script beside it (translate it, or keep a "
                                                              "name and add the local rendering in brackets)"))
    return problems


def misgrouped_numbers(lang: str, lines: Iterable[Line]) -> list[Problem]:
    """Numbers grouped with a separator that, in this language, means something else (CLDR, through Babel)."""
    group = get_group_symbol(lang, numbering_system="latn")
    decimal = get_decimal_symbol(lang, numbering_system="latn")
    problems = []
    for line in lines:
        for match in GROUPED.finditer(line.text):
            if match.group(1) != group:
                right = match.group(0).replace(match.group(1), group)
                problems.append(Problem(line.path, line.line, f"{match.group(0)} reads differently in this language "
                                                              f"(it groups with {group!r}, decimals with {decimal!r}): "
                                                              f"write {right}"))
    return problems


def check(lang: str, docs_dir: Path = DOCS, countries_dir: Path = COUNTRIES, locales_dir: Path = LOCALES) -> list[Problem]:
    """Every terms problem of one edition."""
    lines = edition_lines(lang, docs_dir, countries_dir, locales_dir)
    glossary = load_glossary(lang, locales_dir) if lang != "en" else {}
    return [*avoided_words(lang, lines, glossary, locales_dir), *unglossed_latin(lang, lines), *misgrouped_numbers(lang, lines)]


def missing_glossaries(editions: Iterable[str], locales_dir: Path = LOCALES) -> list[Problem]:
    """Editions without a glossary, or whose glossary lacks a concept of the English master list."""
    wanted = concepts(locales_dir)
    problems = []
    for lang in editions:
        path = glossary_path(lang, locales_dir)
        if not path.is_file():
            problems.append(Problem(relative(path), 1, f"no glossary for {lang} (copy {GLOSSARY}/en.yml and give each "
                                                      "concept its `use` word)"))
            continue
        have = load_glossary(lang, locales_dir)
        for concept in wanted:
            if not (have.get(concept) or {}).get("use"):
                problems.append(Problem(relative(path), 1, f"concept {concept!r} has no `use` word (add it)"))
    return problems


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", action="append", help="only this edition; repeatable")


def run(args: argparse.Namespace) -> int:
    from scripts.project import DEFAULT, languages

    editions = args.lang or [code for code in languages() if code != DEFAULT]
    problems = missing_glossaries(editions)
    for lang in editions:
        problems += check(lang)
    for problem in problems:
        print(problem)
    print(f"terms: {len(problems)} problem(s)" if problems else "terms: OK", file=sys.stderr)
    return 1 if problems else 0
