"""UI strings: locales/<lang>.yml is the one home of every word the site's chrome shows.

Files are nested YAML mappings; code refers to a string by its dotted key (`notice.machine`).
A key missing in a language falls back to English, so a half-translated file never breaks a page.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from pathlib import Path

from scripts.languages import direction
from scripts.project import DEFAULT, LOCALES, relative
from scripts.yamlfile import YAMLFileError, read

LRI, PDI = "\u2066", "\u2069"  # Unicode left-to-right isolate and its end


class LocaleError(ValueError):
    """A locales file that cannot be read, with the file and line to fix."""


def flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    """Turn a nested mapping into {dotted.key: value}; keys that already contain dots stay whole."""
    flat: dict[str, str] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = "" if value is None else str(value)
    return flat


def load(path: Path) -> dict[str, str]:
    """Read one locales file into a flat {key: string} mapping."""
    if not path.exists():
        return {}
    try:
        tree = read(path, relative(path), fix="check the indentation, and quote values that contain ': '").data or {}
    except YAMLFileError as error:
        raise LocaleError(str(error)) from None
    if not isinstance(tree, dict):
        raise LocaleError(f"{relative(path)}:1: expected a mapping of keys to strings")
    return flatten(tree)


def strings(lang: str, locales_dir: Path = LOCALES) -> dict[str, str]:
    """All UI strings of `lang`, English filling any gap (read afresh at every call: a build reads them once through
    scripts/sources/reading.py)."""
    merged = dict(load(locales_dir / f"{DEFAULT}.yml"))
    if lang != DEFAULT:
        own = {k: v for k, v in load(locales_dir / f"{lang}.yml").items() if v}
        if direction(lang) == "rtl":
            # An English fallback inside a right-to-left page is isolated (LRI ... PDI), so its full stop stays at
            # its end: without this, "Not known. Ask first." shows as ".Not known. Ask first".
            merged = {key: f"{LRI}{value}{PDI}" for key, value in merged.items()}
        merged.update(own)
    return merged


def translator(lang: str, locales_dir: Path = LOCALES) -> Callable[..., str]:
    """Return `t(key, **values)` for `lang`; an unknown key returns the key itself, visibly."""
    return translator_for(strings(lang, locales_dir))


def translator_for(table: dict[str, str]) -> Callable[..., str]:
    """`t(key, **values)` over a table of strings; an unknown key returns the key itself, visibly."""

    def t(key: str, **values: object) -> str:
        text = table.get(key, key)
        return text.format(**values) if values else text

    return t


# Interface strings land in pages as they are (MkDocs' templates do not escape), inside text and inside quoted
# attributes: they are plain text, so these characters, which would start markup or end an attribute, are refused.
MARKUP = re.compile(r"[<>\"&]")


def placeholders(text: str) -> set[str] | None:
    """The `{name}` fields of a string, or None when its braces do not pair up (str.format would raise)."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return None


def key_lines(path: Path) -> dict[str, int]:
    """The 1-based line of every dotted key in a locales file, for messages."""
    parsed = read(path)
    lines = {".".join(map(str, where)): line for where, line in parsed.lines.items()}
    return lines


def check(langs: Iterable[str], locales_dir: Path = LOCALES) -> list[str]:
    """Every problem in the locales files, as `file:line: what (fix)` lines: YAML that does not parse, strings with
    markup, and placeholders that differ from English (a missing `{language}` printed "not translated into  yet";
    a misspelt one stopped the build with a KeyError blaming a page)."""
    problems, tables = [], {}
    for lang in dict.fromkeys([DEFAULT, *langs]):
        path = locales_dir / f"{lang}.yml"
        try:
            tables[lang] = load(path)
        except LocaleError as error:
            problems.append(str(error))
    english = tables.get(DEFAULT, {})
    for lang, table in tables.items():
        path = locales_dir / f"{lang}.yml"
        where = key_lines(path) if table else {}
        for key, text in table.items():
            line = f"{relative(path)}:{where.get(key, 1)}: {key}"
            if markup := MARKUP.search(text):
                problems.append(f"{line}: interface strings are plain text and {markup.group()!r} would "
                                "land in pages as markup (remove it; write quotation marks as “ ”)")
            own = placeholders(text)
            if own is None:
                problems.append(f"{line}: a {{ or }} does not pair up (placeholders are written {{name}})")
                continue
            if lang == DEFAULT or key not in english or not text:
                continue
            wanted = placeholders(english[key]) or set()
            if own != wanted:
                missing, extra = sorted(wanted - own), sorted(own - wanted)
                said = "; ".join(part for part in (
                    "lacks " + ", ".join(f"{{{name}}}" for name in missing) if missing else "",
                    "has " + ", ".join(f"{{{name}}}" for name in extra) + " that English does not" if extra else "",
                ) if part)
                keep = ", ".join(f"{{{name}}}" for name in sorted(wanted)) or "none"
                problems.append(f"{line}: {said} (keep the placeholders of locales/{DEFAULT}.yml exactly: {keep})")
    return problems
