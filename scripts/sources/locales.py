"""UI strings: locales/<lang>.yml is the one home of every word the site's chrome shows.

Files are nested YAML mappings; code refers to a string by its dotted key (`notice.machine`).
A key missing in a language falls back to English, so a half-translated file never breaks a page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from scripts.languages import direction
from scripts.project import DEFAULT, LOCALES, relative

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
        from scripts.sources.frontmatter import UniqueKeyLoader

        tree = yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise LocaleError(
            f"{relative(path)}:{line}: not valid YAML ({getattr(error, 'problem', error)}); "
            "check the indentation and quote values that contain ': '"
        ) from error
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
