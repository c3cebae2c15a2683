"""MkDocs hooks: thin adapters between the build and the project's modules.

Each hook reads what MkDocs hands it, calls pure functions, and returns. Nothing here knows about the
theme's internals beyond the documented template context.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from scripts import notices, search_index
from scripts.languages import DEFAULT, direction
from scripts.locales import translator
from scripts.paths import BUILD_CACHE, DOCS
from scripts.theme_strings import write_missing

_search_entries: dict[str, list[list[str]]] = {}
_search_seconds: dict[str, float] = {}  # time spent on each edition's search text, for the build's summary line
_search_figures: dict[str, tuple[float, int]] = {}


def _language(config) -> str:
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) or DEFAULT


def _prefix(lang: str) -> str:
    return "" if lang == DEFAULT else f"{lang}/"


def _today() -> dt.date:
    return dt.date.today()


@event_priority(100)
def on_config(config):
    """Give the theme labels for every edition it lacks, generated from locales/."""
    from scripts.languages import languages

    _forget_sources()
    generated = BUILD_CACHE / "theme"
    dirs = config.theme.dirs
    if str(generated) not in dirs:
        dirs.insert(1 if len(dirs) > 1 else 0, str(generated))
    from scripts.locales import LocaleError

    try:
        write_missing(dirs, languages(), generated)
    except LocaleError as error:  # file:line and the fix, not a traceback, under plain `mkdocs build` too
        raise PluginError(str(error)) from None
    return config


@event_priority(-110)  # after the i18n plugin (-100) has chosen this edition's files
def on_files(files, config):
    """A country with a data file but no page in this edition gets one made from its data: adding a country is
    data only (data/countries/<cc>.yml). Pages written by hand (docs/<lang>/countries/<cc>.md) win."""
    from types import SimpleNamespace

    from mkdocs.structure.files import File

    from scripts import pagedata
    from scripts.languages import languages

    lang = _language(config)
    taken = {file.dest_uri for file in files}
    editions = list(languages())
    for code in pagedata.countries():
        dest = f"{_prefix(lang)}countries/{code}/index.html"
        if dest in taken:
            continue
        file = File.generated(config, f"{lang}/countries/{code}.md", content=pagedata.country_page(code, lang))
        file.dest_uri = dest
        file.url = f"{_prefix(lang)}countries/{code}/"
        # What the i18n plugin gives its own files: the language switcher leads to this country in each edition.
        file.locale = lang
        file.locale_alternate_of = f"countries/{code}/"
        file.alternates = {other: SimpleNamespace(url=f"{_prefix(other)}countries/{code}/") for other in editions}
        files.append(file)
    return files


def _forget_sources() -> None:
    """Every build (and every rebuild of `./kb serve` or `mkdocs serve`) reads the sources afresh: country data,
    interface strings, the list of sources and the languages, which are cached within one build only."""
    from scripts import citations, countries, languages, locales, pagedata, sourcemap

    for cached in (pagedata.countries, locales.strings, citations.catalogue, languages.languages,
                   countries._validator, sourcemap.md_index, sourcemap._data_lines):
        cached.cache_clear()


def on_nav(nav, config, files):
    """Sections are named after their folder (countries/, staff/): name them in the reader's language instead; a
    section of English-only pages lists its index page only."""
    from scripts.chrome import localise_sections, trim_untranslated

    lang = _language(config)
    localise_sections(nav.items, translator(lang))
    trim_untranslated(nav.items, lang, DOCS)
    return nav


def on_page_markdown(markdown: str, page: Page, config, files) -> str:
    """Add what is generated from data: the country sheet and the list of countries."""
    from scripts import pagedata

    lang = _language(config)
    if page.meta.get("kb_title"):  # a page of the site's own chrome (search) is titled from locales/
        page.title = page.meta["title"] = translator(lang)(str(page.meta["kb_title"]))
    try:
        markdown = pagedata.expand(markdown, page.meta, lang, page.url, config)
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    return markdown


def on_page_content(html: str, page: Page, config, files) -> str:
    """Notices above the text (fallback, machine translation, outdated), the review foot below it."""
    lang = _language(config)
    t = translator(lang)
    meta = page.meta
    english = page.file.alternates.get(DEFAULT) if hasattr(page.file, "alternates") else None
    english_url = get_relative_url(english.url, page.url) if english else "./"
    top = ""
    source_locale = getattr(page.file, "locale", lang)
    if source_locale == lang != DEFAULT and _is_untranslated(page):
        source_locale = DEFAULT  # a copy of the English not yet translated: shown as what it is
    if source_locale != lang and not meta.get("kb_chrome"):
        top += notices.fallback_notice(lang, english_url, t)
        html = f'<div lang="{source_locale}" dir="{direction(source_locale)}">{html}</div>'
    else:
        status = (meta.get("translation") or {}).get("status")
        if status == "machine":
            top += notices.machine_notice(t, english_url)
        if lang != DEFAULT and _is_outdated(page, meta):
            top += notices.outdated_notice(t)
    top += notices.stale_notice(meta.get("reviewed"), lang, t, _today())
    foot = "" if meta.get("kb_chrome") else notices.page_foot(meta, lang, t)
    if not meta.get("search_exclude"):
        summary = str(meta.get("summary") or "")
        url = (page.url or "").removeprefix(_prefix(lang))
        # An English page shown in another edition (not translated yet) is found there by its title and summary;
        # its whole English text would cost every reader of that edition bytes for words they do not search in.
        body = "" if source_locale != lang and not meta.get("kb_chrome") else html
        started = time.perf_counter()
        _search_entries.setdefault(lang, []).append(search_index.entry(url, page.title or "", summary, body))
        _search_seconds[lang] = _search_seconds.get(lang, 0.0) + time.perf_counter() - started
    if meta.get("country") and source_locale == lang:
        from scripts.sheet import sheet_title

        top = sheet_title(page.title or "", lang) + top
    return top + html + foot


def _english_source(page: Page) -> Path:
    return DOCS / DEFAULT / Path(page.file.src_uri).relative_to(page.file.src_uri.split("/")[0])


def _is_outdated(page: Page, meta: dict) -> bool:
    recorded = (meta.get("translation") or {}).get("source_hash")
    if not recorded:
        return False
    from scripts.source_hash import source_hash

    english = _english_source(page)
    return english.exists() and source_hash(english.read_text(encoding="utf-8")) != recorded


def _is_untranslated(page: Page) -> bool:
    """The edition's file is still the English text, word for word (scripts/source_hash.py)."""
    from scripts.source_hash import is_untranslated, source_hash

    english = _english_source(page)
    return english.exists() and is_untranslated(page.file.content_string, source_hash(english.read_text(encoding="utf-8")))


def on_post_page(output: str, page: Page, config) -> str:
    """Contact cards next to a country page, so they also travel in the offline copy and the ZIP; absolute
    alternates and canonical under `site_url`, and an x-default alternate (scripts/hreflang.py)."""
    from scripts import hreflang, pagedata

    cards = pagedata.vcards(page.meta, _language(config))
    if cards:
        folder = Path(config.site_dir) / Path(page.file.dest_uri).parent
        folder.mkdir(parents=True, exist_ok=True)
        for name, card in cards.items():
            (folder / name).write_text(card, encoding="utf-8", newline="")
    return hreflang.rewrite(output, page.url, config.site_url, DEFAULT)


def on_page_context(context, page, config, nav):
    """Expose the reader's UI strings and the site's own settings to the templates."""
    from scripts import chrome

    # The i18n plugin leaves root-absolute switcher links ("/ar/") on home pages; make them relative like
    # the rest, so the site also works from a folder or a ZIP opened with file://.
    # (It sets `extra.alternate` as an attribute on home pages, as a key elsewhere: read both.)
    alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
    for alternate in alternates:
        if str(alternate.get("link", "")).startswith("/"):
            alternate["link"] = alternate["link"].lstrip("/") or "./"
    context["kb"] = chrome.context(_language(config), page.url, config)
    _localise_site_name(config, context["kb"])
    return context


def _localise_site_name(config, kb: dict) -> None:
    # The theme shows config.site_name in the header and <title>; each edition shows its own (locales/).
    name = kb["t"].get("site.name")
    if name:
        config.site_name = name


def _inside_i18n_loop(config) -> bool:
    """True while the i18n plugin builds the other editions inside the default edition's build."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))


def on_pre_build(config) -> None:
    """Check the sources once, before the first edition is built, so that `mkdocs build` stops on the same
    file:line problems as `./kb build`, before anything is written."""
    if _inside_i18n_loop(config):
        return
    from scripts.preflight import SourceProblems, check_sources
    from scripts.publish import address

    # A release (every post-build step: the sheets with their QR codes) needs the site's address; the preview,
    # which names the steps it runs, does not.
    release = (config.extra or {}).get("kb", {}).get("post_steps") is None
    from scripts.optimise import csp
    from scripts.publish import headers

    try:
        address.check(config.site_url, release=release)
        # The header list is checked now, against the pages' policy, rather than after every page is built.
        headers.security_headers(csp(style_hash="0"), headers.configured({"extra": config.extra}))
    except (address.AddressError, headers.HeaderError) as error:
        raise PluginError(str(error)) from None
    problems = check_sources()
    if problems:
        raise SourceProblems(problems)


@event_priority(-200)  # after the i18n plugin, which builds the other editions inside the default one's post_build
def on_post_build(config) -> None:
    """Write the search index of each edition built so far; once every edition is built, run the post-build
    steps (assets, open data, sheets, offline copies, link check), so `mkdocs build` gives the same site as
    `./kb build`. `extra.kb.post_steps` in mkdocs.yml may name a subset (the preview skips PDFs and ZIPs)."""
    from scripts.search import buildreport

    for lang in list(_search_entries):
        started = time.perf_counter()
        target = Path(config.site_dir) / _prefix(lang) / "search-index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = search_index.serialise(_search_entries.pop(lang))
        target.write_text(text, encoding="utf-8")
        seconds = _search_seconds.pop(lang, 0.0) + time.perf_counter() - started
        _search_figures[lang] = (seconds, buildreport.served_size(text))
    if _inside_i18n_loop(config):
        return
    print(buildreport.line(_search_figures), file=sys.stderr)
    _search_figures.clear()
    from scripts import postbuild
    from scripts.build import BuildError
    from scripts.preflight import StepFailed

    wanted = (config.extra or {}).get("kb", {}).get("post_steps")
    try:
        postbuild.run_steps(Path(config.site_dir), wanted, site_url=config.site_url)
    except (BuildError, ValueError) as error:
        raise StepFailed(str(error)) from None


def on_template_context(context, template_name, config):
    """Static templates (404.html) get the same `kb` context. The 404 page answers for a missing address at any
    depth, so its links and assets start from the site's root path (from `site_url`, else "/")."""
    from scripts import chrome

    lang = _language(config)
    base = chrome.site_root_path(config.site_url) if template_name == "404.html" else None
    context["kb"] = chrome.context(lang, _prefix(lang), config, base=base)
    _localise_site_name(config, context["kb"])
    return context


def on_post_template(output: str, template_name: str, config) -> str:
    """Each edition's build writes the root 404.html again. The default edition's stays at the root (the page a host
    without per-folder error pages serves); every other edition's goes to <lang>/404.html, its own not-found page
    in the reader's language (hosts are told which to serve: scripts/publish/headers.py)."""
    target = Path(config.site_dir) / "404.html"
    lang = _language(config)
    if template_name == "404.html" and lang != DEFAULT and target.exists():
        edition = Path(config.site_dir) / lang / "404.html"
        edition.parent.mkdir(parents=True, exist_ok=True)
        edition.write_text(output, encoding="utf-8")
        return target.read_text(encoding="utf-8")
    return output
