"""Content generated from data into a page's Markdown: a country's sheet, the list of countries.

Pages say what they want in their front matter (`country: lb`) or with a marker line
(`<!-- kb:country-list -->`), so translators never copy data into Markdown.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Mapping
from urllib.parse import urljoin

from mkdocs.utils import get_relative_url

from scripts.project import DEFAULT, edition_prefix
from scripts.sources.reading import Sources

COUNTRY_LIST = "<!-- kb:country-list -->"
OFFLINE_CONTROLS = "<!-- kb:offline-controls -->"
TRANSLATION_STATUS = "<!-- kb:translation-status -->"
DIRECTORY_HEALTH = "<!-- kb:directory-health -->"


def correction_link(config, corrections_page: str, page_url: str, lang: str = DEFAULT):
    """Where 'Suggest a correction' leads for a listing: the data file on the repository, or the how-to page."""
    repo = (config.repo_url or "").rstrip("/")
    page = corrections_page
    prefix = edition_prefix(lang)

    def link(listing: dict) -> str:
        if repo:
            return f"{repo}/edit/main/data/countries/{listing.get('_country', '').lower()}.yml"
        target = (prefix + page.removesuffix(".md").removesuffix("index") + "/").replace("//", "/")
        return get_relative_url(target, page_url) + "#corrections"

    return link


def _downloads(country: dict, page_url: str) -> list[tuple[str, str, int]]:
    """(UI key, link, size) of the country's open-data files, which the build writes at the site root."""
    from scripts.postbuild.opendata import exports, site_path

    return [(f"sheet.download_{name.rsplit('.', 1)[1]}", get_relative_url(site_path(name), page_url), len(content))
            for name, content in exports(country).items()]


def page_address(config, page_url: str) -> str:
    """A page's address online: under `site_url` when mkdocs.yml sets it, else its path from the site root
    (the same as `page.canonical_url`, which main.html prints on paper)."""
    if config.site_url:
        return urljoin(config.site_url.rstrip("/") + "/", page_url)
    return "/" + page_url


def _report_link(options, config, t, page_url: str):
    """"Report a problem with this number": the publisher's channel (the kb plugin's `reports` option, checked before
    the build), with a message naming the listing and this page's address; None when no channel is set."""
    from pathlib import Path

    from scripts.directory.reports import configured, report_link

    config_path = Path(config.config_file_path or "mkdocs.yml")
    return report_link(configured(options, config_path), t, page_address(config, page_url))


def offline_controls(t: Callable[..., str]) -> str:
    """Buttons to save the edition for offline reading and to delete what the site stored (needs JavaScript),
    and the edition's ZIP (works without). The build fills in the sizes (scripts/postbuild/offline.py); kb.js
    finds what to save from the page's kb-worker meta (main.html)."""
    words = {key: html.escape(t(f"offline.{key}"), quote=True)
             for key in ("saving", "saved", "updated", "failed", "cleared", "save_data")}
    data = " ".join(f'data-{key.replace("_", "-")}="{value}"' for key, value in words.items())
    return (
        f'<div class="kb-offline" data-kb-offline hidden {data}>'
        f'<p><button type="button" class="md-button" data-kb-save>{t("offline.save")}</button> '
        '<span data-kb-size></span></p>'
        '<p data-kb-status role="status" aria-live="polite"></p>'
        f'<p><button type="button" class="md-button" data-kb-clear>{t("offline.clear")}</button></p>'
        "</div>"
        # The ZIP and the ZIM (Kiwix) work without JavaScript and without a service worker: always shown.
        '<p class="kb-zip"><span data-kb-zip></span> <span data-kb-zim></span></p>'
    )


def _with_help_table(markdown: str, lang: str, page_url: str, sources: Sources) -> str:
    """Get help's table of every country's numbers, right after the page's "In short" box (or at the top)."""
    from scripts.plugin.sheet import render_help_table

    prefix = edition_prefix(lang)
    t = sources.translator(lang)
    countries_link = get_relative_url(f"{prefix}countries/", page_url)
    # The way to every contact first, above the fold on a phone; the table of numbers after "In short".
    button = (f'<p class="kb-all-contacts"><a class="md-button md-button--primary" href="{countries_link}">'
              f'{html.escape(t("countries.choose"))}</a></p>')
    table = render_help_table(sources.countries(), lang, t, lambda cc: get_relative_url(f"{prefix}countries/{cc}/", page_url))
    lines = markdown.lstrip("\n").split("\n")
    end = 0
    if lines and lines[0].startswith("!!!"):  # the admonition runs until its first unindented line
        end = 1
        while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
            end += 1
    return "\n".join([button, ""] + lines[:end] + ["", table, ""] + lines[end:])


def country_page(code: str, lang: str, t: Callable[..., str]) -> str:
    """The Markdown of a country page made from data: title from CLDR, summary from locales/, then the sheet
    (emergency numbers first: no "In short" box pushes them down)."""
    from scripts.sources.countries import country_name

    name = country_name(code, lang)
    summary = t("country_page.summary").replace("{country}", name)
    # Its words come from locales/ and the data's texts, machine-drafted in every edition but English so far:
    # the page says so (the notice that links to the English).
    status = "" if lang == DEFAULT else "translation:\n  status: machine\n"
    return (f"---\ntitle: {json.dumps(name, ensure_ascii=False)}\nsummary: {json.dumps(summary, ensure_ascii=False)}\n"
            f"audience: migrants\ncountry: {code}\ngenerated: true\n{status}---\n")


def vcards(meta: dict, lang: str, directory: Mapping[str, dict]) -> dict[str, str]:
    """{file name: vCard} of every listing on a country page, written next to it by the build."""
    code = meta.get("country")
    country = directory.get(str(code).lower()) if code else None
    if not country:
        return {}
    from scripts.plugin.sheet import page_listings, vcard, vcard_name

    return {vcard_name(service): vcard(org, service, lang) for org, service in page_listings(country, directory)
            if service.get("contacts")}


def expand(markdown: str, meta: dict, lang: str, page_url: str, config, options: Mapping, sources: Sources) -> str:
    """Return the page's Markdown with the generated parts in place. `options` are the project plugin's; `sources`
    what this build has read (country data, sources cited, interface strings)."""
    code = meta.get("country")
    t = sources.translator(lang)
    if code:
        from scripts.plugin.sheet import pdf_link, qr_code, render_sheet

        country = sources.countries().get(str(code).lower())
        if country is None:
            raise ValueError(f"front matter `country: {code}` has no data/countries/{str(code).lower()}.yml")
        from scripts.plugin import sms
        from scripts.project import read_config
        from scripts.publish.names import sheet_pdf
        from scripts.sources.countries import country_name

        # mkdocs.yml's own site name: config.site_name is the edition's, set per edition while pages render.
        pdf_name = sheet_pdf(str(read_config().get("site_name")), country_name(str(code), DEFAULT), lang)
        in_corridor = lang in [str(c) for c in country.get("corridor") or []]  # scripts/postbuild/pdf.py renders these
        text = sms.summary(country, country_name(str(code), lang), sms.words(t))
        # Without the site's address (a preview) a QR code could only hold a bare path no camera can open.
        qr = qr_code(page_address(config, page_url), t) if config.site_url else ""
        corrections = correction_link(config, options["corrections_page"], page_url, lang)
        sheet = render_sheet(country, lang, t, corrections, dt.date.today(),
                             _downloads(country, page_url), qr=qr,
                             pdf=pdf_link(str(code).lower(), pdf_name, t) if in_corridor else "", directory=sources.countries(),
                             sms_text=text, known=sources.catalogue(), report=_report_link(options, config, t, page_url))
        # The page's own "In short" box is for the screen; paper starts with the emergency numbers.
        markdown = re.sub(r"^!!! summary(?= |$)", "!!! summary kb-screen-only", markdown, count=1, flags=re.M)
        markdown = markdown.rstrip() + "\n\n" + sheet + "\n"
    if COUNTRY_LIST in markdown:
        from scripts.plugin.sheet import render_country_list

        prefix = edition_prefix(lang)

        def url_for(cc: str) -> str:
            return get_relative_url(f"{prefix}countries/{cc.lower()}/", page_url)

        markdown = markdown.replace(COUNTRY_LIST, render_country_list(sources.countries(), lang, url_for))
    if meta.get("help_table"):
        markdown = _with_help_table(markdown, lang, page_url, sources)
    if TRANSLATION_STATUS in markdown:
        from scripts.translation import coverage

        markdown = markdown.replace(TRANSLATION_STATUS, coverage.status_page_body(coverage.build_report()))
    if DIRECTORY_HEALTH in markdown:
        from scripts.directory import health

        today, months = dt.date.today(), health.fresh_months(options)
        body = health.page_body(health.directory_health(sources.countries(), today, months), today, months)
        markdown = markdown.replace(DIRECTORY_HEALTH, body)
    prefix = edition_prefix(lang)
    if page_url in ("", prefix, "./") and OFFLINE_CONTROLS not in markdown:  # every edition's home page
        markdown = markdown.rstrip() + "\n\n" + OFFLINE_CONTROLS + "\n"
    if OFFLINE_CONTROLS in markdown:
        markdown = markdown.replace(OFFLINE_CONTROLS, offline_controls(t))
    return markdown
