"""The one reader of data/sources.yml, and how a citation reads to a reader.

Maintainers cite by file name and full instrument name (page front matter, data/countries/*.yml); readers see the
document's title, publisher and year, or the instrument and article, in their language (`source.<key>` strings in
locales/), never a seed file name or a repository path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from scripts.project import DATA, relative
from scripts.yamlfile import read

T = Callable[..., str]


class Catalogue(NamedTuple):
    """What may be cited: seeds by file name ({key, title}) and instruments by full name ({key, articles})."""

    seeds: dict[str, dict]
    instruments: dict[str, dict]


def catalogue() -> Catalogue:
    """data/sources.yml, read afresh (a build reads it once through scripts/sources/reading.py)."""
    known = read(DATA / "sources.yml", relative(DATA / "sources.yml")).data or {}
    return Catalogue(dict(known.get("seeds") or {}), dict(known.get("instruments") or {}))


def article_number(article: object) -> int | None:
    """The article an `article:` value points at: "8" and "8(2)" both give 8; anything else gives None."""
    text = str(article).strip()
    digits = text.split("(", 1)[0].strip()
    if not digits.isdigit():
        return None
    rest = text[len(digits):]
    if rest and not (rest.startswith("(") and rest.endswith(")") and rest[1:-1].isalnum()):
        return None
    return int(digits)


def problem(source: object, known: Catalogue) -> str | None:
    """Why one citation (`{seed, section}` or `{instrument, article}`) does not point at something real, or None."""
    if not isinstance(source, Mapping):
        return f"source {source!r} is not a seed or an instrument (write `- seed: <file>` with `section:`)"
    if "seed" in source:
        if source["seed"] not in known.seeds:
            return f"seed {source['seed']!r} is not listed in data/sources.yml (use one of: {', '.join(sorted(known.seeds))})"
        return None
    if "instrument" in source:
        name = source["instrument"]
        if name not in known.instruments:
            return (f"instrument {name!r} is not listed in data/sources.yml (use the exact name listed there, or add "
                    "the instrument there with its full name, year and number of articles)")
        if "article" not in source:
            return None
        number, articles = article_number(source["article"]), known.instruments[name].get("articles")
        if number is None:
            return f"article {source['article']!r} of {name!r} is not an article number (write it as \"8\" or \"8(2)\")"
        if not articles:
            return f"{name!r} has no article count in data/sources.yml (add `articles:` from the instrument's text)"
        if not 1 <= number <= int(articles):
            return (f"article {number} of {name!r} does not exist: it has articles 1 to {articles} "
                    "(check the article against the instrument's text)")
        return None
    return "a source needs `seed:` or `instrument:` (see data/sources.yml)"


def _named(entry: Mapping, fallback: str, t: T) -> str:
    key = f"source.{entry.get('key')}"
    shown = t(key) if entry.get("key") else key
    return fallback if shown == key else shown


def shown_date(value: str, lang: str) -> str:
    """A source's own date as its reader writes it: "26 June 2024", "June 2024" or "2024" (CLDR, through Babel)."""
    parts = value.split("-")
    try:
        locale = Locale.parse(lang, sep="-")
        if len(parts) == 3:
            return format_date(dt.date(*map(int, parts)), format="long", locale=locale)
        if len(parts) == 2:
            return format_date(dt.date(int(parts[0]), int(parts[1]), 1), format="LLLL y", locale=locale)
    except (UnknownLocaleError, ValueError):
        return value
    return value


def label(source: object, lang: str, t: T, known: Catalogue, country_name: Callable[[str, str], str] | None = None) -> str:
    """Plain text a reader sees for one citation, in `lang`. Seed sections (English headings of English documents)
    are shown only in the English edition; the other editions give the document's translated title.
    `country_name(code, lang)` names a country whose data is cited (countries.country_name; passed in, so that
    this module stays below the country validator, which uses it)."""
    if isinstance(source, Mapping):
        if "seed" in source:
            entry = known.seeds.get(str(source["seed"])) or {}
            title = _named(entry, str(entry.get("title") or t("page.source_document")), t)
            section = source.get("section")
            return f"{title}, “{section}”" if section and lang == "en" else title
        if "instrument" in source:
            entry = known.instruments.get(str(source["instrument"])) or {}
            name = _named(entry, str(source["instrument"]), t)
            article = source.get("article")
            return f"{name}, {t('page.article')} {article}" if article else name
        if "data" in source:  # a country's data: each fact on its page names its own source
            code = PurePosixPath(str(source["data"])).stem
            if PurePosixPath(str(source["data"])).parent.name == "countries" and len(code) == 2:
                name = country_name(code.upper(), lang) if country_name else code.upper()
                return t("page.country_data", country=name)
            return t("page.data")
        if "url" in source:  # a public page with its own date
            parts = [str(source.get("title") or source["url"])]
            parts += [str(source["publisher"])] if source.get("publisher") else []
            parts += [shown_date(str(source["published"]), lang)] if source.get("published") else []
            return ", ".join(parts)
    if isinstance(source, list):
        shown = [label(item, lang, t, known, country_name) for item in source]
        return "; ".join(dict.fromkeys(shown))  # one document cited for two sections reads once without them
    return str(source)
