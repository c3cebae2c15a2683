"""What one build reads from the repository, each input read once, when first needed.

The plugin makes a new Sources when a build starts (and for every rebuild of a preview), so an edit to a country
file, an interface string or the list of sources always shows; nothing is kept for the life of the process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scripts.project import COUNTRIES, LOCALES


class Sources:
    """The country data, the catalogue of sources and the interface strings, for one build."""

    def __init__(self, countries_dir: Path = COUNTRIES, locales_dir: Path = LOCALES) -> None:
        self.countries_dir, self.locales_dir = countries_dir, locales_dir
        self._countries: dict[str, dict] | None = None
        self._catalogue = None
        self._strings: dict[str, dict[str, str]] = {}

    def countries(self) -> dict[str, dict]:
        """Every country file, validated (the build has already stopped if one has an error)."""
        if self._countries is None:
            from scripts.sources.countries import load_countries

            self._countries = load_countries(self.countries_dir)
        return self._countries

    def catalogue(self):
        """What pages and data may cite (data/sources.yml)."""
        if self._catalogue is None:
            from scripts.sources.citations import catalogue

            self._catalogue = catalogue()
        return self._catalogue

    def strings(self, lang: str) -> dict[str, str]:
        """The interface strings of `lang`, English filling any gap."""
        if lang not in self._strings:
            from scripts.sources.locales import strings

            self._strings[lang] = strings(lang, self.locales_dir)
        return self._strings[lang]

    def translator(self, lang: str) -> Callable[..., str]:
        """`t(key, **values)` in `lang`."""
        from scripts.sources.locales import translator_for

        return translator_for(self.strings(lang))
