"""Languages from CLDR through Babel: each edition's own name and its text direction, never a hand-typed table.

Which editions there are is the project model's (scripts/project.py, from mkdocs.yml).
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError


def locale(code: str) -> Locale:
    """Parse an edition code into a Babel locale, with a clear error for an unknown code."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as error:
        raise ValueError(
            f"unknown language code {code!r}: use a BCP 47 code that CLDR knows, e.g. 'ne' or 'pt-BR'"
        ) from error


def native_name(code: str) -> str:
    """The language's name in its own script, from CLDR (e.g. 'ne' -> 'नेपाली')."""
    parsed = locale(code)
    # The bare language name: CLDR maps some codes to a regional locale (tl -> fil_PH) whose display
    # name would carry the territory.
    name = parsed.languages.get(parsed.language) or parsed.get_display_name(parsed) or code
    return name[:1].upper() + name[1:] if name[:1].islower() else name


def direction(code: str) -> str:
    """'rtl' or 'ltr' from CLDR's character order."""
    return "rtl" if locale(code).character_order == "right-to-left" else "ltr"
