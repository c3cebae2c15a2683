"""Theme UI strings for languages the theme does not ship, generated from locales/ at build time.

Material resolves its labels through `partials/languages/<code>.html`, one `t(key)` macro over a dict per
language. For a language it lacks (am, ne, sw, tg...) the build would stop with TemplateNotFound; we write
that file from locales/<code>.yml (section `theme`) into a generated theme folder instead of copying
templates by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

from scripts.languages import direction
from scripts.sources.locales import strings

PARTIAL = "partials/languages/{code}.html"


def theme_has_language(theme_dirs: list[str], code: str) -> bool:
    """True when one of the theme's template folders already has labels for `code`."""
    return any((Path(folder) / PARTIAL.format(code=code)).exists() for folder in theme_dirs)


def partial_source(code: str) -> str:
    """The Jinja source of the labels partial for `code`, from locales (English filling gaps)."""
    table = {key.removeprefix("theme."): value for key, value in strings(code).items() if key.startswith("theme.")}
    table["language"] = code
    table["direction"] = direction(code)
    body = json.dumps(table, ensure_ascii=False, indent=2, sort_keys=True)
    return (
        "{#- Generated from locales/" + code + ".yml by scripts/plugin/theme_strings.py: edit that file, not this. -#}\n"
        "{% macro t(key) %}{{ " + body + "[key] }}{% endmacro %}\n"
    )


def write_missing(theme_dirs: list[str], codes: tuple[str, ...], out_dir: Path) -> list[str]:
    """Write label partials for every code the theme lacks into `out_dir`; return those codes."""
    written = []
    for code in codes:
        if theme_has_language([d for d in theme_dirs if Path(d) != out_dir], code):
            continue
        target = out_dir / PARTIAL.format(code=code)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = partial_source(code)
        if not target.exists() or target.read_text(encoding="utf-8") != source:
            target.write_text(source, encoding="utf-8")
        written.append(code)
    return written
