"""The project model: where things live in the repository, which editions the site has, and the address of each.

One home for these facts: the paths, the list of editions (mkdocs.yml, read here), the default edition and an
edition's URL prefix. Language names and text direction come from CLDR (scripts/languages.py).
"""

from __future__ import annotations

from pathlib import Path

from scripts.yamlfile import read

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DATA = ROOT / "data"
COUNTRIES = DATA / "countries"
SCHEMAS = DATA / "schema"
LOCALES = ROOT / "locales"
OVERRIDES = ROOT / "overrides"
SITE = ROOT / "site"
CONFIG = ROOT / "mkdocs.yml"
# Generated files that are not content (theme partials for languages the theme lacks, caches).
BUILD_CACHE = ROOT / ".cache"

# The default edition: served at the site's root, the one every other edition falls back to, and the language the
# sources are written in (pages in docs/en/, the `en:` texts of data/). mkdocs.yml marks the same edition
# `default: true`; tests/test_layout.py checks that the two agree.
DEFAULT = "en"


def relative(path: Path) -> str:
    """Return `path` relative to the repository root when it is inside it, for messages."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def edition_prefix(lang: str) -> str:
    """An edition's folder in the built site and in its URLs: "" for the default edition, "ar/" for Arabic."""
    return "" if lang == DEFAULT else f"{lang}/"


def read_config(path: Path = CONFIG) -> dict:
    """Read mkdocs.yml as plain data (`!ENV` as MkDocs reads it; scripts/yamlfile.py)."""
    return read(path, relative(path)).data or {}


def config_line(*keys: str | int, path: Path = CONFIG) -> int:
    """The line of a setting in mkdocs.yml, for messages: `config_line("extra", "kb", "headers")`. Where the
    setting is missing, the line of the nearest block that would hold it (1 at worst: the place to add it)."""
    return read(path, relative(path)).line(keys)


def configured_languages(config: dict) -> tuple[str, ...]:
    """Return the locale codes of the i18n plugin's `languages`, default first, in configured order."""
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = plugin["i18n"].get("languages", [])
            codes = [entry["locale"] for entry in entries]
            default = [entry["locale"] for entry in entries if entry.get("default")]
            return tuple(default + [code for code in codes if code not in default])
    raise ValueError("mkdocs.yml: no `i18n` plugin with `languages` found")


def languages(path: Path = CONFIG) -> tuple[str, ...]:
    """The edition codes, default language first (read from mkdocs.yml at every call: a few milliseconds, and
    never stale in a long-running preview)."""
    return configured_languages(read_config(path))


def built_editions(site: Path) -> tuple[str, ...]:
    """The editions a built site holds (a preview or a partial build holds only some): the default always."""
    return tuple(lang for lang in languages() if lang == DEFAULT or (site / lang / "index.html").is_file())


def no_site(site: Path) -> str | None:
    """The message for a command that reads a built site when `site` holds none, else None."""
    if (Path(site) / "index.html").is_file():
        return None
    return f"{relative(site)}: no built site here (build it first: ./kb build, or mkdocs build)"
