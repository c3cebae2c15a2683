"""`./kb coverage`: what is translated, what is missing and what is outdated, per edition.

Pure functions over a repository tree (its root is a parameter, so tests can point them at a temporary
tree), renderers (aligned text, Markdown, JSON, the volunteers' status page) and the subcommand. Every
file is read once, and Git runs only for `--diff`, which needs history.
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import json
import os
import posixpath
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from scripts import project
from scripts.findings import Finding as Problem  # one finding type for every check
from scripts.project import DEFAULT, languages
from scripts.sources import frontmatter, words
from scripts.sources.frontmatter import FrontMatterError, split
from scripts.sources.source_hash import TRANSLATED_KEYS, is_untranslated, is_valid_hash, source_hash
from scripts.translation import countrytexts
from scripts.yamlfile import YAMLFileError, parse

STATUSES = ("machine", "draft", "reviewed")
TRANSLATION_KEYS = ("source_hash", "source_commit", "status", "reviewed_by", "reviewed_on")
CATEGORIES = ("translated", "reviewed", "machine", "draft", "partly", "outdated", "missing", "orphaned", "broken")
OUTDATED_CREDIT = 0.5  # an outdated translation still helps readers, but less than a current one
PRIORITIES = "translation-priorities.yml"  # in data/
_MARKUP = re.compile(r"\{[^}\n]*\}|\]\([^)\n]*\)|<[^>\n]+>|https?://\S+")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_NUMBER = re.compile(r"^[-\d,./%]+$")


def under(root: Path, path: Path) -> Path:
    """The same place as `path` (a scripts.paths constant) in the repository at `root`."""
    return Path(root) / path.relative_to(project.ROOT)


@dataclass
class Page:
    """An English source page."""

    path: str  # inside docs/en, posix: "countries/lb.md"
    title: str
    words: int
    hash: str | None  # None when its front matter is broken


@dataclass
class Entry:
    """One page in one edition."""

    page: str
    state: str  # missing | machine | draft | reviewed | orphaned | broken
    outdated: bool = False
    words: int = 0  # English words; the page's own words when orphaned
    weight: float = 0.0
    rank: int = 0  # index of the priority rule that matched: the tie-break for "what next"
    core: bool = False  # a core page (its priority rule says `core: true`): every edition must have it
    source_hash: str | None = None
    source_commit: str | None = None
    # The file exists but is still the English text (as `new-translation` leaves it): counted as missing.
    untranslated: bool = False
    # Translated, but some lines are still the English ones (a summary box, a paragraph): "partly", half credit.
    partly: bool = False


@dataclass
class LanguageReport:
    """Everything about one edition."""

    code: str
    entries: list[Entry] = field(default_factory=list)
    ui_missing: list[str] = field(default_factory=list)
    ui_unused: list[str] = field(default_factory=list)
    ui_file: bool = True  # locales/<lang>.yml exists
    corridor: list[tuple[str, bool]] = field(default_factory=list)  # (country, its sheet exists)
    problems: list[Problem] = field(default_factory=list)
    coverage: float = 0.0  # percent, weighted by importance

    def count(self, category: str) -> tuple[int, int]:
        """(pages, words) of one of CATEGORIES."""
        if category == "translated":
            chosen = [e for e in self.entries if e.state in STATUSES and not e.partly]
        elif category == "partly":
            chosen = [e for e in self.entries if e.partly]
        elif category == "outdated":
            chosen = [e for e in self.entries if e.outdated]
        else:
            chosen = [e for e in self.entries if e.state == category]
        return len(chosen), sum(e.words for e in chosen)

    def core(self) -> tuple[int, int]:
        """(core pages translated and up to date, core pages)."""
        core = [e for e in self.entries if e.core and e.weight]
        return sum(e.state in STATUSES and not e.outdated and not e.partly for e in core), len(core)

    def next_pages(self) -> list[Entry]:
        """Missing and outdated pages, most important first."""
        todo = [e for e in self.entries if e.state == "missing" or e.outdated or e.partly]
        return sorted(todo, key=lambda e: (-e.weight, e.rank, e.page))


@dataclass
class Report:
    """Coverage of the requested editions against the English source."""

    root: Path
    english: dict[str, Page]
    languages: dict[str, LanguageReport]
    ui_keys: int = 0
    corridors: dict[str, list[str]] = field(default_factory=dict)  # country -> corridor languages
    problems: list[Problem] = field(default_factory=list)  # not tied to one edition
    notes: list[str] = field(default_factory=list)  # worth knowing, not broken

    def all_problems(self) -> list[Problem]:
        """Every broken-metadata problem, those of the English source first."""
        return self.problems + [p for lr in self.languages.values() for p in lr.problems]


# Reading the tree ---------------------------------------------------------------------------------


def count_words(text: str) -> int:
    """Words of Markdown text, not counting link targets, attribute lists and HTML tags."""
    return words.count(_MARKUP.sub(" ", text))


def page_words(meta: dict, body: str) -> int:
    """Words a translator translates: title, summary and body."""
    return count_words(" ".join(str(meta.get(key) or "") for key in TRANSLATED_KEYS) + "\n" + body)


def _load_yaml(path: Path, name: str, problems: list[Problem]) -> object:
    """A YAML data file; a syntax error becomes a Problem and None."""
    try:
        return parse(path.read_text(encoding="utf-8"), name, fix="check indentation and quoting").data
    except YAMLFileError as error:
        problems.append(error.finding)
        return None


def markdown_pages(folder: Path) -> dict[str, Path]:
    """Markdown pages under `folder`, keyed by their posix path inside it."""
    found: dict[str, Path] = {}
    for directory, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".md"):
                full = Path(directory) / name
                found[full.relative_to(folder).as_posix()] = full
    return found


def english_pages(root: Path = project.ROOT) -> tuple[dict[str, Page], list[Problem]]:
    """Every page of docs/en with its title, word count and source hash."""
    pages: dict[str, Page] = {}
    problems: list[Problem] = []
    for rel, full in sorted(markdown_pages(under(root, project.DOCS) / DEFAULT).items()):
        text, name = full.read_text(encoding="utf-8"), f"docs/{DEFAULT}/{rel}"
        try:
            meta, body, _ = split(text, name)
            pages[rel] = Page(rel, str(meta.get("title") or rel), page_words(meta, body), source_hash(text, name))
        except FrontMatterError as error:
            problems.append(Problem(error.path, error.line, error.message))
            pages[rel] = Page(rel, rel, count_words(text), None)
    return pages, problems


def load_priorities(root: Path = project.ROOT) -> tuple[float, list[dict]]:
    """(default weight, rules) from data/translation-priorities.yml; without that file every page weighs 1.

    Raises ValueError("file:line: ...") when the file is malformed (a configuration error).
    """
    path = under(root, project.DATA) / PRIORITIES
    if not path.exists():
        return 1.0, []
    problems: list[Problem] = []
    data = _load_yaml(path, f"data/{PRIORITIES}", problems)
    if problems:
        raise ValueError(str(problems[0]))
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list) or not all(isinstance(r, dict) and {"pattern", "weight"} <= r.keys()
                                              for r in rules):
        raise ValueError(f"data/{PRIORITIES}:1: expected `default:` and `rules:`, each rule with `pattern` and "
                         "`weight` (see the comments at the top of the file)")
    return float(data.get("default", 2)), rules


def is_core(rank: int, priorities: tuple[float, list[dict]]) -> bool:
    """Whether the rule at `rank` (from page_weight) marks core pages."""
    rules = priorities[1]
    return rank < len(rules) and bool(rules[rank].get("core"))


def page_weight(page: str, lang: str, priorities: tuple[float, list[dict]],
                corridors: dict[str, list[str]]) -> tuple[float, int]:
    """(weight, index of the rule) of a page for an edition: the first matching rule wins."""
    default, rules = priorities
    for index, rule in enumerate(rules):
        if not fnmatch.fnmatchcase(page, str(rule["pattern"])):
            continue
        if rule.get("corridor"):
            country = posixpath.splitext(posixpath.basename(page))[0]
            if not page.startswith("countries/") or lang not in corridors.get(country, ()):
                continue
        return float(rule["weight"]), index
    return default, len(rules)


def load_corridors(root: Path = project.ROOT, texts: dict[str, dict] | None = None
                   ) -> tuple[dict[str, list[str]], list[str]]:
    """({country code: corridor language codes}, notes about country files that cannot be read).

    When `texts` is given it is filled with each country's data, for checking its translated texts.
    """
    corridors: dict[str, list[str]] = {}
    notes: list[str] = []
    folder = under(root, project.COUNTRIES)
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        problems: list[Problem] = []
        data = _load_yaml(path, f"data/countries/{path.name}", problems)
        notes += [f"{p} (corridor coverage skips this country)" for p in problems]
        corridor = data.get("corridor") if isinstance(data, dict) else None
        corridors[path.stem] = [str(code) for code in corridor] if isinstance(corridor, list) else []
        if texts is not None and isinstance(data, dict):
            texts[path.stem] = data
    return corridors, notes


def flatten(mapping: object, prefix: str = "") -> dict[str, object]:
    """Nested mappings as {"dotted.key": leaf value}."""
    if not isinstance(mapping, dict):
        return {prefix: mapping} if prefix else {}
    flat: dict[str, object] = {}
    for key, value in mapping.items():
        flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def locale_keys(root: Path, lang: str, problems: list[Problem]) -> dict[str, object]:
    """Flattened locales/<lang>.yml (empty when absent; a syntax error is added to `problems`)."""
    path = under(root, project.LOCALES) / f"{lang}.yml"
    return flatten(_load_yaml(path, f"locales/{lang}.yml", problems)) if path.exists() else {}


# Translation metadata -----------------------------------------------------------------------------


def key_line(text: str, key: str) -> int:
    """File line of `translation.<key>` in the front matter, else of `translation:`, else 1."""
    block = None
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        if re.match(r"translation\s*:", line):
            block = number
        elif block and key and re.match(rf"\s+{re.escape(key)}\s*:", line):
            return number
        elif block and line[:1] not in (" ", "\t", "#", ""):
            break
    return block or 1


def _is_date(value: object) -> bool:
    if isinstance(value, date):
        return True
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def check_translation(meta: dict, text: str, name: str, lang: str, page: str) -> list[Problem]:
    """Problems with a translated page's `translation:` block; an empty list when it is sound."""
    block = meta.get("translation")
    if not isinstance(block, dict):
        return [Problem(name, key_line(text, ""), "no `translation:` mapping in the front matter (add source_hash "
                        f"and status, or start the page again with ./kb new-translation {lang} {page})")]
    found = [Problem(name, key_line(text, str(key)),
                     f"unknown key translation.{key} (allowed: {', '.join(TRANSLATION_KEYS)})")
             for key in block if key not in TRANSLATION_KEYS]
    status = block.get("status")
    if status not in STATUSES:
        found.append(Problem(name, key_line(text, "status"), f"translation.status {status!r} is not one of "
                             f"{', '.join(STATUSES)} (machine: unchecked machine output; draft: translated by a "
                             "person; reviewed: checked by a second person)"))
    if not is_valid_hash(block.get("source_hash")):
        found.append(Problem(name, key_line(text, "source_hash"), f"translation.source_hash "
                             f"{block.get('source_hash')!r} is not sha256:<64 hex digits> (./kb new-translation "
                             f"writes it; `./kb coverage --lang {lang} --format json` lists the English hashes)"))
    commit = block.get("source_commit")
    if commit is not None and not _COMMIT.match(str(commit)):
        found.append(Problem(name, key_line(text, "source_commit"), f"translation.source_commit {commit!r} is "
                             "not a 40-digit Git commit id (correct it or delete the line)"))
    if status == "reviewed":
        if not str(block.get("reviewed_by") or "").strip():
            found.append(Problem(name, key_line(text, "status"), "status is reviewed but translation.reviewed_by "
                                 "is missing (name the person who reviewed it, or set status: draft)"))
        if not _is_date(block.get("reviewed_on")):
            found.append(Problem(name, key_line(text, "reviewed_on" if "reviewed_on" in block else "status"),
                                 "status is reviewed but translation.reviewed_on is not a date (write YYYY-MM-DD)"))
    else:
        found += [Problem(name, key_line(text, key), f"translation.{key} is set but status is {status!r} (delete "
                          "it, or set status: reviewed if that person really reviewed the page)")
                  for key in ("reviewed_by", "reviewed_on") if key in block]
    return found


# The report ---------------------------------------------------------------------------------------


PARTLY_MIN_WORDS = 4  # an English line this long left in a translation is untranslated text, not a name


def _prose_lines(markdown: str) -> dict[str, str]:
    """{normalised line: line} of a page's body: words only, without Markdown, links and ids."""
    try:
        text, _line = frontmatter.body(markdown, "<page>")  # the body only: no YAML to read
    except FrontMatterError:
        return {}
    found = {}
    for line in text.splitlines():
        label = re.match(r'\s*!!!\s+\w+\s+"([^"]*)"', line)
        found_words = words.WORD.findall(label.group(1) if label else words.prose(line))
        if label or len(found_words) >= PARTLY_MIN_WORDS:
            found[" ".join(found_words).lower()] = line.strip()
    return found


def english_lines_left(english: str, translation: str) -> list[str]:
    """Lines of the English page that a translation still carries word for word (its "In short" label included)."""
    theirs = _prose_lines(translation)
    return [line for key, line in _prose_lines(english).items() if key in theirs]


def language_report(root: Path, lang: str, english: dict[str, Page], priorities: tuple[float, list[dict]],
                    corridors: dict[str, list[str]], en_keys: dict[str, object],
                    data: dict[str, dict] | None = None) -> LanguageReport:
    """Compare docs/<lang> and locales/<lang>.yml with the English source, reading each file once."""
    report = LanguageReport(lang)
    translated = markdown_pages(under(root, project.DOCS) / lang)
    for rel in sorted(set(english) | set(translated)):
        source = english.get(rel)
        weight, rank = page_weight(rel, lang, priorities, corridors)
        entry = Entry(rel, "missing", words=source.words if source else 0, weight=weight if source else 0.0,
                      rank=rank, core=bool(source) and is_core(rank, priorities))
        report.entries.append(entry)
        if rel not in translated:
            continue
        name = f"docs/{lang}/{rel}"
        text = translated[rel].read_text(encoding="utf-8")
        if source is None:  # orphaned: reported, not broken, unless its front matter does not even parse
            entry.state, entry.words = "orphaned", count_words(text)
        try:
            meta, body, _ = split(text, name)
        except FrontMatterError as error:
            report.problems.append(Problem(error.path, error.line, error.message))
            entry.state = entry.state if source is None else "broken"
            continue
        if source is None:
            entry.words = page_words(meta, body)
            continue
        found = check_translation(meta, text, name, lang, rel)
        report.problems += found
        block = meta["translation"] if isinstance(meta.get("translation"), dict) else {}
        entry.source_hash, entry.source_commit = block.get("source_hash"), block.get("source_commit")
        entry.state = "broken" if found else block["status"]
        entry.outdated = not found and source.hash is not None and block["source_hash"] != source.hash
        if not found and source.hash is not None and is_untranslated(text, source.hash):
            # Whatever its status says, a reader of this edition would get English: nothing is translated yet.
            entry.state, entry.outdated, entry.untranslated = "missing", False, True
        elif not found and lang != DEFAULT:
            english_text = (under(root, project.DOCS) / "en" / rel).read_text(encoding="utf-8")
            entry.partly = bool(english_lines_left(english_text, text))
    total = sum(e.weight for e in report.entries)
    done = sum(e.weight * (OUTDATED_CREDIT if e.outdated or e.partly else 1.0)
               for e in report.entries if e.state in STATUSES)
    report.coverage = round(100.0 * done / total, 1) if total else 100.0
    keys = locale_keys(root, lang, report.problems)
    report.ui_file = (under(root, project.LOCALES) / f"{lang}.yml").exists()
    report.ui_missing = sorted(k for k in en_keys if keys.get(k) in (None, ""))
    report.ui_unused = sorted(k for k in keys if k not in en_keys)
    # A corridor sheet is done when its page is translated and so are the texts in its data file.
    data = data or {}
    started = {e.page for e in report.entries if e.untranslated}
    # A country without a page written by hand has one made from its data and locales/ (scripts/plugin/hooks.py).
    written = {e.page for e in report.entries}

    def page_done(cc: str) -> bool:
        page = f"countries/{cc}.md"
        return page not in written or (page in translated and page not in started)

    report.corridor = [(cc, page_done(cc) and not countrytexts.missing(data.get(cc, {}), lang))
                       for cc, codes in sorted(corridors.items()) if lang in codes]
    return report


def build_report(root: Path = project.ROOT, langs: list[str] | None = None) -> Report:
    """The coverage report of `langs` (default: every edition but English).

    Raises ValueError when data/translation-priorities.yml is malformed.
    """
    root = Path(root)
    editions = languages(under(root, project.CONFIG))
    codes = list(langs) if langs else [code for code in editions if code != DEFAULT]
    english, problems = english_pages(root)
    data: dict[str, dict] = {}
    corridors, notes = load_corridors(root, data)
    en_keys = locale_keys(root, DEFAULT, problems)
    priorities = load_priorities(root)
    report = Report(root, english, {}, len(en_keys), corridors, problems, notes)
    for code in codes:
        report.languages[code] = language_report(root, code, english, priorities, corridors, en_keys, data)
    report.notes += [f"data/countries/{cc}.yml: corridor language {code!r} is not an edition in mkdocs.yml"
                     for cc, codes_ in corridors.items() for code in codes_ if code not in editions]
    return report


# Rendering ----------------------------------------------------------------------------------------

COLUMNS = ("lang", "coverage", "core", "translated", "reviewed", "machine", "draft", "partly", "outdated", "(words)", "missing",
           "(words)", "orphaned", "broken", "ui missing", "ui unused", "corridor")


def _bar(percent: float, width: int = 10) -> str:
    filled = round(percent / 100 * width)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def summary_rows(report: Report) -> list[list[str]]:
    """One row of COLUMNS per edition; the coverage cell is the bar and the percentage."""
    rows = []
    for code, lr in report.languages.items():
        n = {c: lr.count(c) for c in CATEGORIES}
        corridor = f"{sum(ok for _, ok in lr.corridor)}/{len(lr.corridor)}" if lr.corridor else "-"
        core_done, core_total = lr.core()
        rows.append([code, f"{_bar(lr.coverage)} {lr.coverage:3.0f}%", f"{core_done}/{core_total}",
                     f"{n['translated'][0]}/{len(report.english)}",
                     str(n["reviewed"][0]), str(n["machine"][0]), str(n["draft"][0]), str(n["partly"][0]),
                     str(n["outdated"][0]),
                     f"{n['outdated'][1]:,}", str(n["missing"][0]), f"{n['missing'][1]:,}", str(n["orphaned"][0]),
                     str(n["broken"][0]), str(len(lr.ui_missing)), str(len(lr.ui_unused)), corridor])
    return rows


def _align(rows: list[list[str]]) -> list[str]:
    """Aligned text: columns of numbers right-aligned, the others left-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    numeric = [all(_NUMBER.match(row[i]) for row in rows[1:]) for i in range(len(widths))]
    return ["  ".join(cell.rjust(w) if num else cell.ljust(w)
                      for cell, w, num in zip(row, widths, numeric, strict=False)).rstrip()
            for row in rows]


def _md_table(rows: list[list[str]]) -> list[str]:
    cells = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    return ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])] + [
        "| " + " | ".join(row) + " |" for row in cells[1:]]


def format_summary(report: Report, markdown: bool = False, color: bool = False) -> str:
    """Every requested edition on one line, as aligned text (optionally coloured) or a Markdown table."""
    words = sum(p.words for p in report.english.values())
    head = f"Translation coverage: English has {len(report.english)} pages, {words:,} words, " \
           f"{report.ui_keys} interface strings"
    rows = [list(COLUMNS), *summary_rows(report)]
    if markdown:
        return "\n".join([f"**{head}**", "", *_md_table(rows)] + [f"\n_Note: {n}_" for n in report.notes]) + "\n"
    lines = _align(rows)
    if color:
        shade = ["32" if lr.coverage >= 80 else "33" if lr.coverage >= 40 else "31"
                 for lr in report.languages.values()]
        lines[1:] = [f"\033[{s}m{line}\033[0m" for s, line in zip(shade, lines[1:], strict=False)]
    return "\n".join([head, "", *lines] + [f"note: {n}" for n in report.notes]) + "\n"


def format_detail(report: Report, lang: str, markdown: bool = False) -> str:
    """One edition in detail: counts in pages and words, then each page to create or update, with its files."""
    lr = report.languages[lang]
    q, item = ("`", "- ") if markdown else ("", "  ")
    table = _md_table if markdown else (lambda rows: ["  " + line for line in _align(rows)])
    out = [(f"{'## ' if markdown else ''}{lang}: coverage {lr.coverage:.0f}% (weighted by importance, "
           f"data/{PRIORITIES})"), "",
           *table([["", "pages", "words"]] + [[c, *(f"{n:,}" for n in lr.count(c))] for c in CATEGORIES]), ""]
    todo = lr.next_pages()
    if todo:
        out += [f"To do, most important first: {len(todo)} pages, {sum(e.words for e in todo):,} English words", ""]
        out += table([["action", "weight", "words", "English page", "file to create or edit"]] + [
            ["update" if e.outdated else "translate" if e.untranslated else "create", f"{e.weight:g}", f"{e.words:,}",
             f"{q}docs/{DEFAULT}/{e.page}{q}", f"{q}docs/{lang}/{e.page}{q}"] for e in todo])
        if any(e.outdated for e in todo):
            out += ["", f"What changed in English: {q}./kb coverage --diff PAGE --lang {lang}{q}"]
        out.append("")
    orphans = [e.page for e in lr.entries if e.state == "orphaned"]
    if orphans:
        out += ["Orphaned (no English source: delete them, or move them to the English page's path):", ""]
        out += [f"{item}{q}docs/{lang}/{page}{q}" for page in orphans] + [""]
    out += [(f"Interface strings, {q}locales/{lang}.yml{q}: {len(lr.ui_missing)} missing, {len(lr.ui_unused)} "
            f"unused, of {report.ui_keys}"), ""]
    if not lr.ui_file:
        out.append(f"{item}the file does not exist yet: start it as a copy of {q}locales/{DEFAULT}.yml{q}, then translate "
                   "the values (keep the keys)")
    else:
        out += [f"{item}missing: {q}{k}{q}" for k in lr.ui_missing]
        out += [f"{item}unused:  {q}{k}{q}" for k in lr.ui_unused]
    if lr.corridor:
        out += ["", "Country sheets of the countries on this language's corridors:", ""]
        done = set(markdown_pages(under(report.root, project.DOCS) / lang))
        written = set(report.english)  # a country without a page written by hand has one made from its data
        for cc, ok in lr.corridor:
            page = f"countries/{cc}.md"
            todo = f"texts in data/countries/{cc}.yml to translate (./kb country-texts export {lang})"
            if page not in written:
                out.append(f"{item}{cc}: {q}data/countries/{cc}.yml{q} {'done' if ok else todo}")
                continue
            state = "done" if ok else todo if page in done else "page missing"
            out.append(f"{item}{cc}: {q}docs/{lang}/{page}{q} {state}")
    return "\n".join(out).rstrip() + "\n"


def report_dict(report: Report) -> dict:
    """The report as JSON-ready data."""
    return {
        "english": {"pages": len(report.english), "words": sum(p.words for p in report.english.values()),
                    "interface_strings": report.ui_keys,
                    "hashes": {p.path: p.hash for p in report.english.values()}},
        "languages": {code: {"coverage": lr.coverage,
                             "counts": {c: dict(zip(("pages", "words"), lr.count(c), strict=False)) for c in CATEGORIES},
                             "pages": [asdict(e) for e in lr.entries],
                             "ui_missing": lr.ui_missing, "ui_unused": lr.ui_unused,
                             "corridor": [{"country": cc, "exists": ok} for cc, ok in lr.corridor]}
                      for code, lr in report.languages.items()},
        "corridors": report.corridors,
        "problems": [asdict(p) | {"text": str(p)} for p in report.all_problems()],
        "notes": report.notes,
    }


def _language_name(code: str) -> str:
    """'Nepali · नेपाली' from CLDR; the bare code when CLDR does not know it."""
    from babel import Locale

    from scripts.languages import native_name

    try:
        native = native_name(code)
    except ValueError:
        native = ""
    return " · ".join(dict.fromkeys(n for n in (Locale("en").languages.get(code), native) if n)) or code


def _html_bar(percent: float) -> str:
    # A native <meter>: a bar with no CSS of its own, so it passes the site's Content-Security-Policy.
    return f'<meter min="0" max="100" low="50" high="90" optimum="100" value="{percent:.0f}"></meter> {percent:.0f}%'


def status_page_body(report: Report, **options) -> str:
    """The status page without its front matter and title, for a page that has its own (the built site's)."""
    text = status_page_markdown(report, **options)
    return text.split("{#translation-status}\n", 1)[1].lstrip("\n")


def status_page_markdown(report: Report, location: str = "staff/translation-status.md", limit: int = 5,
                         today: date | None = None) -> str:
    """The "Translation status" page for volunteers (English, audience: staff), to live at docs/en/<location>.

    One table row per edition with an inline CSS bar (no external assets), then per edition the next `limit`
    pages to translate or update, most important first, each with a relative link to the English page and
    the repository path of the file to create or edit.
    """
    day = (today or date.today()).isoformat()
    folder = posixpath.dirname(location) or "."
    words = sum(p.words for p in report.english.values())
    out = ["---", "title: Translation status",
           "summary: How much of the knowledge base is translated into each language, and what to translate next.",
           "audience: staff", f"reviewed: {day}", "sources: []", "---", "",
           "# Translation status {#translation-status}", "",
           (f"Made from the repository on {day}. The English edition has {len(report.english)} pages and {words:,} "
            f"words. Coverage is weighted by how much each page matters (data/{PRIORITIES}); a translation that "
            "is out of date counts for half. How to help: CONTRIBUTING.md in the repository."), "",
           "## Coverage by language {#coverage}", "",
           "| Language | Coverage | Translated | Reviewed | Outdated | Missing | Interface strings | Country sheets |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for code, lr in report.languages.items():
        sheets = f"{sum(ok for _, ok in lr.corridor)} of {len(lr.corridor)}" if lr.corridor else "–"
        out.append(f"| {_language_name(code)} (`{code}`) | {_html_bar(lr.coverage)} | "
                   f"{lr.count('translated')[0]} of {len(report.english)} | {lr.count('reviewed')[0]} | "
                   f"{lr.count('outdated')[0]} | {lr.count('missing')[0]} | "
                   f"{report.ui_keys - len(lr.ui_missing)} of {report.ui_keys} | {sheets} |")
    out += ["", "## What to translate next {#next}", "",
            ("Most important first: Get help now, then the pages about rights, then the country sheets of the "
             "countries that readers of the language go to."), ""]
    for code, lr in report.languages.items():
        out += [f"### {_language_name(code)} (`{code}`) {{#next-{code}}}", ""]
        todo = lr.next_pages()[:limit]
        for number, e in enumerate(todo, start=1):
            title = report.english[e.page].title.replace("[", "\\[").replace("]", "\\]")
            verb, where = ("Update", "edit") if e.outdated else ("Translate", "edit" if e.untranslated else "create")
            words = f"{e.words:,} word{'' if e.words == 1 else 's'}"
            out.append(f"{number}. {verb} [{title}]({posixpath.relpath(e.page, folder)}) ({words}): "
                       f"{where} `docs/{code}/{e.page}`")
        out += [] if todo else ["Everything is translated and up to date. Thank you!"]
        out.append("")
    return "\n".join(out)


# History: only --diff and new-translation run Git ------------------------------------------------


def git(root: Path, *args: str) -> str | None:
    """Output of `git -C root ARGS`, or None when Git is missing or the command fails."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def git_blobs(root: Path, specs: list[str]) -> list[str | None]:
    """Texts of `commit:path` specs, through one `git cat-file --batch`; None for each one Git lacks."""
    try:
        data = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], capture_output=True, check=False,
                              input="".join(spec + "\n" for spec in specs).encode()).stdout
    except OSError:
        return [None] * len(specs)
    texts: list[str | None] = []
    at = 0
    for _ in specs:
        end = data.find(b"\n", at)
        header = data[at:end].split() if end >= 0 else []
        if len(header) != 3:  # "<spec> missing"
            texts.append(None)
            at = end + 1
            continue
        size = int(header[2])
        texts.append(data[end + 1:end + 1 + size].decode("utf-8", "replace"))
        at = end + 2 + size
    return texts


def find_source_version(root: Path, page: str, wanted: str, commit: str | None = None) -> tuple[str, str] | None:
    """(commit, text) of docs/en/<page> when it hashed to `wanted`, or None when the history cannot tell.

    Tries `commit` first, then every commit of `git log --follow` on the file, newest first.
    """
    rel = f"docs/{DEFAULT}/{page}"
    candidates = [(commit, rel)] if commit else []
    for chunk in (git(root, "log", "--follow", "--format=%x01%H", "--name-only", "--", rel) or "").split("\x01")[1:]:
        lines = [line for line in chunk.splitlines() if line.strip()]
        candidates += [(lines[0], lines[1] if len(lines) > 1 else rel)] if lines else []
    for (sha, _), text in zip(candidates, git_blobs(root, [f"{sha}:{name}" for sha, name in candidates]), strict=False):
        try:
            if text is not None and source_hash(text) == wanted:
                return sha, text
        except FrontMatterError:  # an old version with broken front matter cannot be the source
            continue
    return None


def diff_report(root: Path, page: str, lang: str) -> tuple[str, int]:
    """What changed in docs/en/<page> since docs/<lang>/<page> was translated, and the exit code."""
    en_rel, tr_rel = f"docs/{DEFAULT}/{page}", f"docs/{lang}/{page}"
    en_path, tr_path = under(root, project.DOCS) / DEFAULT / page, under(root, project.DOCS) / lang / page
    if not tr_path.exists():
        return f"{tr_rel} does not exist: nothing to compare (start it with ./kb new-translation {lang} {page})\n", 2
    if not en_path.exists():
        return f"{tr_rel} is orphaned: there is no {en_rel} (delete it, or move it to the English page's path)\n", 0
    try:
        translation = tr_path.read_text(encoding="utf-8")
        meta = split(translation, tr_rel)[0]
        english = en_path.read_text(encoding="utf-8")
        now = source_hash(english, en_rel)
    except FrontMatterError as error:
        return f"{error}\n", 1
    block = meta["translation"] if isinstance(meta.get("translation"), dict) else {}
    was, commit = block.get("source_hash"), block.get("source_commit")
    if not is_valid_hash(was):
        return (f"{tr_rel}:{key_line(translation, 'source_hash')}: translation.source_hash {was!r} is not "
                f"sha256:<64 hex digits>, so the English it was made from is unknown (English now: {now})\n"), 1
    if was == now:
        return f"{tr_rel} is up to date: {en_rel} has not changed since it was translated ({now})\n", 0
    found = find_source_version(root, page, was, str(commit) if commit else None)
    if found is None:
        return (f"The English text {tr_rel} was translated from is unknown: no version of {en_rel} in the Git "
                f"history hashes to its source_hash.\n  translated from: {was}\n  English now:     {now}\n"
                f"Compare {tr_rel} with {en_rel} by hand; once they say the same, set its source_hash to {now} and "
                "delete its source_commit line.\n"), 0
    sha, old = found
    how = "its source_commit" if sha == commit else "found by its source_hash in the history of the file"
    lines = difflib.unified_diff(old.splitlines(keepends=True), english.splitlines(keepends=True),
                                 f"{en_rel} @ {sha[:12]} (translated from)", f"{en_rel} (now)")
    return (f"{tr_rel} was translated from {en_rel} at commit {sha[:12]} ({how}). Changes since then:\n\n"
            + "".join(line if line.endswith("\n") else line + "\n" for line in lines)
            + f"\nOnce {tr_rel} says the same again, set its source_hash to {now} and delete its source_commit "
            "line.\n"), 0


# Command line -------------------------------------------------------------------------------------


def page_path(argument: str) -> str:
    """A page as typed ('kafala', 'docs/en/kafala.md', 'countries\\lb.md') as a path in docs/<lang>."""
    page = argument.replace("\\", "/").removeprefix("./")
    parts = page.split("/")
    if len(parts) > 2 and parts[0] == "docs":
        page = "/".join(parts[2:])
    return page if page.endswith(".md") else page + ".md"


def language_error(code: str, editions: tuple[str, ...]) -> str | None:
    """Why `code` is not a translated edition, or None when it is one."""
    others = " ".join(c for c in editions if c != DEFAULT)
    if code == DEFAULT:
        return f"{code} is the source language, not a translation (editions: {others})"
    if code in editions:
        return None
    close = difflib.get_close_matches(code, editions, n=3, cutoff=0.3)
    return f"unknown language code {code!r} ({'did you mean ' + ' or '.join(close) + '? ' if close else ''}" \
           f"editions in mkdocs.yml: {others})"


def configure_parser(p: argparse.ArgumentParser) -> None:
    """Options of `./kb coverage`."""
    p.add_argument("--lang", action="append", metavar="LANG",
                   help="only this edition, shown in detail (repeatable)")
    p.add_argument("--diff", metavar="PAGE",
                   help="what changed in the English PAGE since the --lang translation was made")
    p.add_argument("--format", choices=("table", "markdown", "json"), default="table",
                   help="output format (default: table)")
    p.add_argument("--fail-under", type=float, metavar="PCT",
                   help="exit 1 when a requested edition's coverage is below PCT percent")
    p.add_argument("--root", type=Path, default=project.ROOT, help=argparse.SUPPRESS)  # for tests


def run(args: argparse.Namespace) -> int:
    """Print the report. Exit 0; 1 when below --fail-under or metadata is broken; 2 on usage errors."""
    root = Path(getattr(args, "root", None) or project.ROOT)
    try:
        editions = languages(under(root, project.CONFIG))
    except (OSError, ValueError) as error:
        print(f"mkdocs.yml: cannot read the editions ({error})", file=sys.stderr)
        return 2
    for code in args.lang or []:
        if message := language_error(code, editions):
            print(f"kb coverage: {message}", file=sys.stderr)
            return 2
    if args.fail_under is not None and not 0 <= args.fail_under <= 100:
        print("kb coverage: --fail-under takes a percentage from 0 to 100", file=sys.stderr)
        return 2
    if args.diff:
        if len(args.lang or []) != 1:
            print("kb coverage: --diff PAGE needs one --lang LANG, e.g. --diff kafala.md --lang ne", file=sys.stderr)
            return 2
        text, code = diff_report(root, page_path(args.diff), args.lang[0])
        print(text, end="", file=sys.stdout if code == 0 else sys.stderr)
        return code
    try:
        report = build_report(root, list(dict.fromkeys(args.lang or [])))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report_dict(report), ensure_ascii=False, indent=2))
    else:
        markdown = args.format == "markdown"
        color = not markdown and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        print(format_summary(report, markdown, color), end="")
        for code in report.languages if args.lang else []:
            print("\n" + format_detail(report, code, markdown), end="")
    problems = report.all_problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    below = [c for c, lr in report.languages.items() if args.fail_under is not None and lr.coverage < args.fail_under]
    if below:
        print(f"coverage below {args.fail_under:g}%: {', '.join(below)}", file=sys.stderr)
    return 1 if below or problems else 0


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(prog="kb coverage")
    configure_parser(_parser)
    sys.exit(run(_parser.parse_args()))
