"""The project's MkDocs plugin: a thin adapter between MkDocs and the project's plain functions.

Each event reads what MkDocs hands it, calls pure functions, and returns. The only state is the plugin's own, for
one build (the search entries of the editions built so far), reset when a build starts. Nothing here knows about
the theme's internals beyond the documented template context, so a later build system can call the same functions.
Registered as `kb` (pyproject.toml); its options are typed in scripts/plugin/config.py.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from scripts.languages import direction
from scripts.plugin import notices, search_index
from scripts.plugin.config import KbConfig
from scripts.plugin.theme_strings import write_missing
from scripts.project import BUILD_CACHE, DEFAULT, DOCS, edition_prefix
from scripts.sources.reading import Sources


def _language(config) -> str:
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) or DEFAULT


def _today() -> dt.date:
    return dt.date.today()


def _english_source(page: Page) -> Path:
    return DOCS / DEFAULT / Path(page.file.src_uri).relative_to(page.file.src_uri.split("/")[0])


def _is_outdated(page: Page, meta: dict) -> bool:
    recorded = (meta.get("translation") or {}).get("source_hash")
    if not recorded:
        return False
    from scripts.sources.source_hash import source_hash

    english = _english_source(page)
    return english.exists() and source_hash(english.read_text(encoding="utf-8")) != recorded


def _is_untranslated(page: Page) -> bool:
    """The edition's file is still the English text, word for word (scripts/sources/source_hash.py)."""
    from scripts.sources.source_hash import is_untranslated, source_hash

    english = _english_source(page)
    return english.exists() and is_untranslated(page.file.content_string, source_hash(english.read_text(encoding="utf-8")))


def _localise_site_name(config, kb: dict) -> None:
    # The theme shows config.site_name in the header and <title>; each edition shows its own (locales/).
    name = kb["t"].get("site.name")
    if name:
        config.site_name = name


def _inside_i18n_loop(config) -> bool:
    """True while the i18n plugin builds the other editions inside the default edition's build."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))


class KbPlugin(BasePlugin[KbConfig]):
    """Checks the sources, renders what comes from data, and runs the post-build steps."""

    def __init__(self) -> None:
        self.search_entries: dict[str, list[list[str]]] = {}  # per edition, written at the end of its build
        self.search_seconds: dict[str, float] = {}  # time spent on each edition's search text, for the build's line
        self.search_figures: dict[str, tuple[float, int]] = {}  # per edition written: (seconds, gzipped bytes)
        self.sources = Sources()  # what this build reads (country data, sources cited, interface strings)
        self.command = "build"  # or "serve": set by MkDocs at startup

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_serve(self, server, config, builder):
        """`mkdocs serve` watches docs/ and mkdocs.yml; the site is also made from country data, interface strings and
        theme extensions, so an edit there rebuilds and reloads too (each build reads them afresh)."""
        from scripts.project import DATA, LOCALES, OVERRIDES

        for folder in (DATA, LOCALES, OVERRIDES):
            server.watch(str(folder))
        return server

    @event_priority(100)
    def on_config(self, config):
        """Start a build: read the sources afresh, and give the theme labels for every edition it lacks (from
        locales/). The i18n plugin builds each other edition inside the default one's build, through this event
        too: the search entries of the editions built so far are kept then."""
        from scripts.project import languages

        if not _inside_i18n_loop(config):
            self.search_entries, self.search_seconds, self.search_figures = {}, {}, {}
            self.sources = Sources()
        generated = BUILD_CACHE / "theme"
        dirs = config.theme.dirs
        if str(generated) not in dirs:
            dirs.insert(1 if len(dirs) > 1 else 0, str(generated))
        from scripts.sources.locales import LocaleError

        try:
            write_missing(dirs, languages(), generated)
        except LocaleError as error:  # file:line and the fix, not a traceback, under plain `mkdocs build` too
            raise PluginError(str(error)) from None
        return config

    @event_priority(-110)  # after the i18n plugin (-100) has chosen this edition's files
    def on_files(self, files, config):
        """A country with a data file but no page in this edition gets one made from its data: adding a country is
        data only (data/countries/<cc>.yml). Pages written by hand (docs/<lang>/countries/<cc>.md) win."""
        from types import SimpleNamespace

        from mkdocs.structure.files import File

        from scripts.plugin import pagedata
        from scripts.project import languages

        lang = _language(config)
        taken = {file.dest_uri for file in files}
        editions = list(languages())
        for code in self.sources.countries():
            dest = f"{edition_prefix(lang)}countries/{code}/index.html"
            if dest in taken:
                continue
            made = pagedata.country_page(code, lang, self.sources.translator(lang))
            file = File.generated(config, f"{lang}/countries/{code}.md", content=made)
            file.dest_uri = dest
            file.url = f"{edition_prefix(lang)}countries/{code}/"
            # What the i18n plugin gives its own files: the language switcher leads to this country in each edition.
            file.locale = lang
            file.locale_alternate_of = f"countries/{code}/"
            file.alternates = {other: SimpleNamespace(url=f"{edition_prefix(other)}countries/{code}/") for other in editions}
            files.append(file)
        return files

    def on_nav(self, nav, config, files):
        """Sections are named after their folder (countries/, staff/): name them in the reader's language instead; a
        section of English-only pages lists its index page only."""
        from scripts.plugin.chrome import localise_sections, trim_untranslated

        lang = _language(config)
        localise_sections(nav.items, self.sources.translator(lang))
        trim_untranslated(nav.items, lang, DOCS)
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config, files) -> str:
        """Add what is generated from data: the country sheet and the list of countries."""
        from scripts.plugin import pagedata

        lang = _language(config)
        if page.meta.get("kb_title"):  # a page of the site's own chrome (search) is titled from locales/
            page.title = page.meta["title"] = self.sources.translator(lang)(str(page.meta["kb_title"]))
        try:
            markdown = pagedata.expand(markdown, page.meta, lang, page.url, config, self.config, self.sources)
        except ValueError as error:
            raise PluginError(f"{page.file.src_uri}: {error}") from None
        return markdown

    def on_page_content(self, html: str, page: Page, config, files) -> str:
        """Notices above the text (fallback, machine translation, outdated), the review foot below it."""
        lang = _language(config)
        t = self.sources.translator(lang)
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
        foot = "" if meta.get("kb_chrome") else notices.page_foot(meta, lang, t, self.sources.catalogue())
        if not meta.get("search_exclude"):
            summary = str(meta.get("summary") or "")
            url = (page.url or "").removeprefix(edition_prefix(lang))
            # An English page shown in another edition (not translated yet) is found there by its title and summary;
            # its whole English text would cost every reader of that edition bytes for words they do not search in.
            body = "" if source_locale != lang and not meta.get("kb_chrome") else html
            started = time.perf_counter()
            self.search_entries.setdefault(lang, []).append(search_index.entry(url, page.title or "", summary, body))
            self.search_seconds[lang] = self.search_seconds.get(lang, 0.0) + time.perf_counter() - started
        if meta.get("country") and source_locale == lang:
            from scripts.plugin.sheet import sheet_title

            top = sheet_title(page.title or "", lang) + top
        return top + html + foot

    def on_post_page(self, output: str, page: Page, config) -> str:
        """Contact cards next to a country page, so they also travel in the offline copy and the ZIP; absolute
        alternates and canonical under `site_url`, and an x-default alternate (scripts/plugin/hreflang.py)."""
        from scripts.plugin import hreflang, pagedata

        cards = pagedata.vcards(page.meta, _language(config), self.sources.countries())
        if cards:
            folder = Path(config.site_dir) / Path(page.file.dest_uri).parent
            folder.mkdir(parents=True, exist_ok=True)
            for name, card in cards.items():
                (folder / name).write_text(card, encoding="utf-8", newline="")
        return hreflang.rewrite(output, page.url, config.site_url, DEFAULT)

    def on_page_context(self, context, page, config, nav):
        """Expose the reader's UI strings and the site's own settings to the templates."""
        from scripts.plugin import chrome

        # The i18n plugin leaves root-absolute switcher links ("/ar/") on home pages; make them relative like
        # the rest, so the site also works from a folder or a ZIP opened with file://.
        # (It sets `extra.alternate` as an attribute on home pages, as a key elsewhere: read both.)
        alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
        for alternate in alternates:
            if str(alternate.get("link", "")).startswith("/"):
                alternate["link"] = alternate["link"].lstrip("/") or "./"
        lang = _language(config)
        context["kb"] = chrome.context(lang, page.url, config, self.config, self.sources.strings(lang))
        _localise_site_name(config, context["kb"])
        return context

    def on_pre_build(self, config) -> None:
        """Check the sources once, before the first edition is built, so that `mkdocs build` stops on the same
        file:line problems as `./kb build`, before anything is written."""
        if _inside_i18n_loop(config):
            return
        from scripts.publish import address
        from scripts.sources.preflight import SourceProblems, check_sources

        # A release (every post-build step: the sheets with their QR codes) needs the site's address; the preview,
        # which names the steps it runs, does not.
        release = self.config.post_steps is None
        from scripts.directory import reports
        from scripts.postbuild.optimise import csp
        from scripts.publish import headers

        try:
            address.check(config.site_url, release=release)
            reports.configured(self.config, Path(config.config_file_path or "mkdocs.yml"))  # the channel, mkdocs.yml:line
            # The header list is checked now, against the pages' policy, rather than after every page is built.
            headers.security_headers(csp(style_hash="0"), dict(self.config.headers))
        except (address.AddressError, headers.HeaderError, reports.ChannelError) as error:
            raise PluginError(str(error)) from None
        problems = check_sources()
        if problems:
            raise SourceProblems(problems)

    @event_priority(-200)  # after the i18n plugin, which builds the other editions inside the default one's post_build
    def on_post_build(self, config) -> None:
        """Write the search index of each edition built so far; once every edition is built, run the post-build
        steps (assets, open data, sheets, offline copies, link check), so `mkdocs build` gives the same site as
        `./kb build`. The plugin's `post_steps` option may name a subset (the preview skips PDFs and ZIPs)."""
        from scripts.search import buildreport

        for lang in list(self.search_entries):
            started = time.perf_counter()
            target = Path(config.site_dir) / edition_prefix(lang) / "search-index.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            text = search_index.serialise(self.search_entries.pop(lang))
            if problem := search_index.budget_problem(f"docs/{lang}/", text):
                raise PluginError(problem)
            target.write_text(text, encoding="utf-8")
            seconds = self.search_seconds.pop(lang, 0.0) + time.perf_counter() - started
            self.search_figures[lang] = (seconds, buildreport.served_size(text))
        if _inside_i18n_loop(config):
            return
        print(buildreport.line(self.search_figures), file=sys.stderr)
        self.search_figures = {}
        from scripts.findings import BuildError
        from scripts.postbuild import steps as postbuild
        from scripts.sources.preflight import StepFailed

        wanted = self.config.post_steps
        if wanted is None and self.command == "serve":
            # `mkdocs serve` previews as `./kb serve` does: no PDFs, ZIPs or link check at every edit (`mkdocs build`
            # and `./kb build` make them).
            wanted = list(postbuild.PREVIEW_STEPS)
        try:
            postbuild.run_steps(Path(config.site_dir), wanted, site_url=config.site_url)
        except (BuildError, ValueError) as error:
            raise StepFailed(str(error)) from None

    def on_template_context(self, context, template_name, config):
        """Static templates (404.html) get the same `kb` context. The 404 page answers for a missing address at any
        depth, so its links and assets start from the site's root path (from `site_url`, else "/")."""
        from scripts.plugin import chrome

        lang = _language(config)
        base = chrome.site_root_path(config.site_url) if template_name == "404.html" else None
        strings = self.sources.strings(lang)
        context["kb"] = chrome.context(lang, edition_prefix(lang), config, self.config, strings, base=base)
        _localise_site_name(config, context["kb"])
        return context

    def on_post_template(self, output: str, template_name: str, config) -> str:
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
