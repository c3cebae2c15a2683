"""Content generated from data into a page's Markdown: a country's sheet, the list of countries.

Pages say what they want in their front matter (`country: lb`) or with a marker line
(`<!-- kb:country-list -->`), so translators never copy data into Markdown.
"""

from __future__ import annotations

import datetime as dt
import html
from functools import lru_cache
from urllib.parse import urljoin

from mkdocs.utils import get_relative_url

from scripts.languages import DEFAULT
from scripts.locales import translator
from scripts.paths import COUNTRIES

COUNTRY_LIST = "<!-- kb:country-list -->"
OFFLINE_CONTROLS = "<!-- kb:offline-controls -->"
TRANSLATION_STATUS = "<!-- kb:translation-status -->"


@lru_cache(maxsize=1)
def countries() -> dict[str, dict]:
    """All country files, validated (the build already stopped if any has an error)."""
    from scripts.countries import load_countries

    return load_countries(COUNTRIES)


def correction_link(config, page_url: str, lang: str = DEFAULT):
    """Where 'Suggest a correction' leads for a listing: the data file on the repository, or the how-to page."""
    repo = (config.repo_url or "").rstrip("/")
    page = (config.extra or {}).get("kb", {}).get("corrections_page", "staff/contribute.md")
    prefix = "" if lang == DEFAULT else f"{lang}/"

    def link(listing: dict) -> str:
        if repo:
            return f"{repo}/edit/main/data/countries/{listing.get('_country', '').lower()}.yml"
        target = (prefix + page.removesuffix(".md").removesuffix("index") + "/").replace("//", "/")
        return get_relative_url(target, page_url) + "#corrections"

    return link


def _downloads(country: dict, page_url: str) -> list[tuple[str, str, int]]:
    """(UI key, link, size) of the country's open-data files, which the build writes at the site root."""
    from scripts.opendata import exports, site_path

    return [(f"sheet.download_{name.rsplit('.', 1)[1]}", get_relative_url(site_path(name), page_url), len(content))
            for name, content in exports(country).items()]


def page_address(config, page_url: str) -> str:
    """A page's address online: under `site_url` when mkdocs.yml sets it, else its path from the site root
    (the same as `page.canonical_url`, which main.html prints on paper)."""
    if config.site_url:
        return urljoin(config.site_url.rstrip("/") + "/", page_url)
    return "/" + page_url


def offline_controls(lang: str, page_url: str) -> str:
    """Buttons to save the edition for offline reading and to delete what the site stored (needs JavaScript),
    and the edition's ZIP (works without). The build fills in the sizes (scripts/offline.py)."""
    t = translator(lang)
    prefix = "" if lang == DEFAULT else f"{lang}/"
    words = {key: html.escape(t(f"offline.{key}"), quote=True)
             for key in ("saving", "saved", "failed", "cleared", "save_data")}
    data = " ".join(f'data-{key.replace("_", "-")}="{value}"' for key, value in words.items())
    return (
        f'<div class="kb-offline" data-kb-offline hidden data-root="{get_relative_url("", page_url) or "."}/" '
        f'data-manifest="{get_relative_url(prefix + "offline.json", page_url)}" {data}>'
        f'<p><button type="button" class="md-button" data-kb-save>{t("offline.save")}</button> '
        '<span data-kb-size></span></p>'
        '<p data-kb-status role="status" aria-live="polite"></p>'
        f'<p><button type="button" class="md-button" data-kb-clear>{t("offline.clear")}</button></p>'
        "</div>"
        # The ZIP works without JavaScript and without a service worker: always shown.
        '<p class="kb-zip"><span data-kb-zip></span></p>'
    )


def expand(markdown: str, meta: dict, lang: str, page_url: str, config) -> str:
    """Return the page's Markdown with the generated parts in place."""
    code = meta.get("country")
    if code:
        from scripts.sheet import pdf_link, qr_code, render_sheet

        country = countries().get(str(code).lower())
        if country is None:
            raise ValueError(f"front matter `country: {code}` has no data/countries/{str(code).lower()}.yml")
        t = translator(lang)
        in_corridor = lang in [str(c) for c in country.get("corridor") or []]  # scripts/pdf.py renders these
        sheet = render_sheet(country, lang, t, correction_link(config, page_url, lang), dt.date.today(),
                             _downloads(country, page_url), qr=qr_code(page_address(config, page_url), t),
                             pdf=pdf_link(str(code).lower(), t) if in_corridor else "")
        markdown = markdown.rstrip() + "\n\n" + sheet + "\n"
    if COUNTRY_LIST in markdown:
        from scripts.sheet import render_country_list

        prefix = "" if lang == DEFAULT else f"{lang}/"

        def url_for(cc: str) -> str:
            return get_relative_url(f"{prefix}countries/{cc.lower()}/", page_url)

        markdown = markdown.replace(COUNTRY_LIST, render_country_list(countries(), lang, url_for))
    if TRANSLATION_STATUS in markdown:
        from scripts import coverage

        markdown = markdown.replace(TRANSLATION_STATUS, coverage.status_page_body(coverage.build_report()))
    prefix = "" if lang == DEFAULT else f"{lang}/"
    if page_url in ("", prefix, "./") and OFFLINE_CONTROLS not in markdown:  # every edition's home page
        markdown = markdown.rstrip() + "\n\n" + OFFLINE_CONTROLS + "\n"
    if OFFLINE_CONTROLS in markdown:
        markdown = markdown.replace(OFFLINE_CONTROLS, offline_controls(lang, page_url))
    return markdown
