"""Where things live in the repository. One home for every path the tooling uses."""

from __future__ import annotations

from pathlib import Path

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


def relative(path: Path) -> str:
    """Return `path` relative to the repository root when it is inside it, for messages."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
