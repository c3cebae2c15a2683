"""`./kb check links`: every broken link in every edition of the BUILT site, and where to fix it.

Checks each href/src of every page in site/: the file exists (directory URLs mean index.html), the
#fragment is an id on the target page, links stay inside their edition when the edition has the page,
language-switcher and hreflang alternates exist, tel:/WhatsApp/mailto links are valid. Each finding is
traced back to the Markdown line or data/countries/<cc>.yml line that produced it, or to "template".
"""

from __future__ import annotations

import argparse
import difflib
import os
import posixpath
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from scripts import project
from scripts.linkcheck.htmlscan import Link, Page, scan_file
from scripts.linkcheck.linkreport import Grouper, Occurrence, Problem, render_json, render_text
from scripts.linkcheck.sourcemap import Layout, PageSource, find_data_line, find_md_line, md_index
from scripts.sources import contactlinks

IGNORED_FILES = frozenset({"404.html"})  # its links are relative to wherever the server shows it
SKIPPED_SCHEMES = ("data:", "javascript:", "blob:", "about:")
PARALLEL_FROM = 150  # pages; below this, starting processes costs more than it saves
FILE_KINDS = {"img": "image", "script": "script", "source": "media file", "iframe": "embedded page"}


@dataclass
class Report:
    """What a check found: problems, external links and their places, and counts."""

    problems: list[Problem]
    # url -> [(where, edition, page)]
    external: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    pages: int = 0
    links: int = 0
    editions: tuple[str, ...] = ()


def _walk(site_dir: Path) -> tuple[set[str], list[str]]:
    files: set[str] = set()
    html: list[str] = []
    for folder, _dirs, names in os.walk(site_dir):
        rel_dir = os.path.relpath(folder, site_dir).replace(os.sep, "/")
        for name in names:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            files.add(rel)
            if name.endswith(".html") and name not in IGNORED_FILES:
                html.append(rel)
    return files, sorted(html)


def scan_site(site_dir: Path, rels: list[str], jobs: int | None = None) -> dict[str, Page]:
    """Parse the pages, over two processes when the site is large enough to gain from it."""
    if jobs is None:
        jobs = min(2, os.cpu_count() or 1) if len(rels) >= PARALLEL_FROM else 1
    args = [(str(site_dir), rel) for rel in rels]
    if jobs <= 1:
        return {page.rel: page for page in map(scan_file, args)}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return {page.rel: page for page in pool.map(scan_file, args, chunksize=16)}


def page_url(rel: str) -> str:
    """URL path of a built file: 'fr/a/index.html' -> '/fr/a/'."""
    return "/" + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)


def language_name(code: str) -> str:
    """English name of a language for messages ('fr' -> 'French')."""
    try:
        from scripts.languages import locale

        return locale(code).get_display_name("en") or code
    except ValueError:
        return code


class _Checker:
    def __init__(self, layout: Layout, files: set[str], pages: dict[str, Page], site_url: str | None) -> None:
        self.layout, self.files, self.pages = layout, files, pages
        parts = urlsplit(site_url or "/")
        self.base = (parts.path or "/").rstrip("/") + "/"
        self.host = parts.netloc.lower()
        self.grouper = Grouper(layout.languages)
        self.external: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.links = 0
        self._by_edition: dict[str, list[str]] = defaultdict(list)
        for rel in pages:
            edition, inner = layout.split(rel)
            self._by_edition[edition].append(page_url(inner))

    def listed_short_numbers(self) -> dict[str, frozenset[str]]:
        """Short numbers the country data lists, by region: sourced there, and warned about there when
        libphonenumber does not know them, so the link checker does not report them twice."""
        if not hasattr(self, "_short"):
            from scripts.sources.countries import listed_short_numbers

            self._short = listed_short_numbers()
        return self._short

    # -- one page ---------------------------------------------------------------------------
    def check_page(self, page: Page) -> None:
        src = self.layout.page_source(page.rel)
        seen: Counter[str] = Counter()
        for link in page.links:
            value = link.value
            occurrence = seen[value]
            if link.in_content:
                seen[value] += 1
            if not value or value.lower().startswith(SKIPPED_SCHEMES):
                continue
            self.links += 1
            lower = value.lower()
            if lower.startswith("tel:"):
                self._contact(page, src, link, occurrence, "bad-tel", contactlinks.check_tel(
                    value, link.region or src.country, self.listed_short_numbers()))
            elif lower.startswith("mailto:"):
                self._contact(page, src, link, occurrence, "bad-mailto", contactlinks.check_mailto(value))
            elif lower.startswith(("http://", "https://", "//")):
                parts = urlsplit(urljoin("https://x/", value) if value.startswith("//") else value)
                if self.host and parts.netloc.lower() == self.host:
                    self._internal(page, src, link, occurrence, parts.path, parts.fragment, parts.query)
                    continue
                if contactlinks.is_whatsapp(value):
                    self._contact(page, src, link, occurrence, "bad-whatsapp", contactlinks.check_whatsapp(value))
                source, line = self.locate(page, src, link, value, None, occurrence)
                where = f"{source}:{line}" if line else source
                self.external[value].append((where, src.edition, page_url(page.rel)))
            elif ":" in value.split("/", 1)[0].split("#", 1)[0]:
                continue  # another scheme (sms:, geo:, ...): nothing to resolve
            else:
                here = self.base + page_url(page.rel)[1:]
                parts = urlsplit(urljoin("https://x" + here, value))
                self._internal(page, src, link, occurrence, parts.path, parts.fragment, parts.query)

    def _contact(self, page: Page, src: PageSource, link: Link, occurrence: int, kind: str, error: str | None) -> None:
        if error:
            self.report(page, src, link, occurrence, kind, error, link.value, None)

    def _internal(
        self, page: Page, src: PageSource, link: Link, occurrence: int, path: str, fragment: str, query: str
    ) -> None:
        path = unquote(path)
        if not path.startswith(self.base) and path + "/" != self.base:
            self.report(page, src, link, occurrence, "outside-site",
                        f"points to {path}, outside the site (it is served under {self.base})", path, None)
            return
        rel = path[len(self.base):]
        target = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if target not in self.files and f"{target}/index.html" in self.files:
            target = f"{target}/index.html"
        shown = "/" + rel + (f"#{fragment}" if fragment else "")
        resolved = rel + (f"#{unquote(fragment)}" if fragment or "#" in link.value else "#")
        if target not in self.files:
            self._missing(page, src, link, occurrence, rel, shown, resolved)
            return
        switcher = bool(link.hreflang) or "alternate" in link.rel.split()
        target_page = self.pages.get(target)
        if target_page is not None and fragment:
            frag = unquote(fragment)
            if frag not in target_page.ids and fragment not in target_page.ids:
                hint = self._anchor_hint(frag, target_page)
                self.report(page, src, link, occurrence, "missing-anchor",
                            f"anchor #{frag} does not exist on {page_url(target)}{hint}", shown, resolved)
        if target_page is not None and not switcher:
            self._edition(page, src, link, occurrence, target, shown, resolved)

    def _missing(
        self, page: Page, src: PageSource, link: Link, occurrence: int, rel: str, shown: str, resolved: str
    ) -> None:
        if link.hreflang or "alternate" in link.rel.split():
            lang = link.hreflang or "?"
            self.report(page, src, link, occurrence, "missing-translation",
                        f"the {lang} language link points to /{rel}, which is not in the built site "
                        "(check the i18n languages and fallback_to_default in mkdocs.yml)", shown, resolved)
            return
        _stem, ext = posixpath.splitext(rel.rstrip("/"))
        is_page = link.tag == "a" and (rel.endswith("/") or ext in ("", ".html", ".md"))
        if is_page:
            edition, inner = self.layout.split(rel)
            guess = inner[:-3] + "/" if inner.endswith(".md") else inner
            close = difflib.get_close_matches("/" + guess, self._by_edition.get(edition, []), 1, 0.6)
            hint = ""
            if close:
                url = "/" + self.layout.prefix(edition) + close[0][1:]
                md = self._md_form(src, url)
                hint = f"; did you mean {url}{f' (link to {md})' if md else ''}?"
            message = f"no page at /{rel}{hint}"
            if ext == ".md":
                message += " (MkDocs leaves a link to a .md file it cannot find unchanged)"
            self.report(page, src, link, occurrence, "missing-page", message, shown, resolved)
            return
        what = FILE_KINDS.get(link.tag, "stylesheet" if "stylesheet" in link.rel else "file")
        name = posixpath.basename(rel)
        elsewhere = sorted(f for f in self.files if posixpath.basename(f) == name)
        hint = f"; a file of that name is at /{elsewhere[0]}" if elsewhere else ""
        self.report(page, src, link, occurrence, "missing-file", f"{what} /{rel} does not exist{hint}", shown, resolved)

    def _edition(
        self, page: Page, src: PageSource, link: Link, occurrence: int, target: str, shown: str, resolved: str
    ) -> None:
        target_edition, inner = self.layout.split(target)
        if target_edition == src.edition:
            return
        own = self.layout.prefix(src.edition) + inner
        if own not in self.pages:
            return
        fragment = f"#{shown.partition('#')[2]}" if "#" in shown else ""
        md = self._md_form(src, page_url(own), fragment)
        self.report(page, src, link, occurrence, "wrong-edition",
                    f"links into the {language_name(target_edition)} edition ({page_url(target)}); "
                    f"use the {src.edition} page {page_url(own)}{fragment}{f', link to {md}' if md else ''}",
                    shown, resolved)

    # -- hints ------------------------------------------------------------------------------
    @staticmethod
    def _anchor_hint(fragment: str, target: Page) -> str:
        headings = [i for i in target.heading_ids if not i.startswith("__")]
        close = difflib.get_close_matches(fragment, headings, 1, 0.5)
        if close:
            return f" (the heading id is #{close[0]})"
        if headings:
            listed = ", ".join(f"#{h}" for h in headings[:6])
            return f" (its headings are {listed}{', ...' if len(headings) > 6 else ''})"
        return " (that page has no headings with ids)"

    def _md_form(self, src: PageSource, url: str, fragment: str = "") -> str:
        """How to write a link to page `url` in the source Markdown, e.g. '../kafala.md#x' ('' if unknown)."""
        if not src.doc_path:
            return ""
        rel = url.lstrip("/")
        target = self.layout.page_source(rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        if not target.doc_path:
            return ""
        md = posixpath.relpath(target.doc_path, posixpath.dirname(src.doc_path) or ".")
        return md + fragment

    # -- where to fix -----------------------------------------------------------------------
    def locate(
        self, page: Page, src: PageSource, link: Link, href: str, resolved: str | None, occurrence: int
    ) -> tuple[str, int | None]:
        """(source file, line) that produced a link, or ('template', None)."""
        if not link.in_content:
            return "template", None
        layout = self.layout
        if src.source is not None:
            prefix = page.rel[: len(page.rel) - len(src.inner)]  # "fr/", or "" at the root
            line = find_md_line(md_index(src.source), href, resolved, link.text, src.doc_path or "", prefix, occurrence)
            if line:
                return _display(src.source, layout.docs_dir), line
        data = layout.data_file(src.country)
        candidates = [data] if data else []
        if href.lower().startswith(("tel:", "mailto:", "http://", "https://")):
            candidates += sorted((layout.data_dir / "countries").glob("*.yml"))
        for path in dict.fromkeys(candidates):
            line = find_data_line(path, href)
            if line:
                return _display(path, layout.data_dir), line
        return "template", None

    def report(
        self, page: Page, src: PageSource, link: Link, occurrence: int, kind: str, message: str,
        target: str, resolved: str | None, severity: str = "error",
    ) -> None:
        """Record a finding, grouped with the same finding from the same source line elsewhere."""
        source, line = self.locate(page, src, link, link.value, resolved, occurrence)
        edition_free = self.layout.split(target.lstrip("/"))[1] if target.startswith("/") else target
        key = (kind, source, line, link.value if source != "template" else "", edition_free)
        problem = Problem(kind, source, line, link.value, message, severity=severity)
        self.grouper.add(key, problem, Occurrence(src.edition, page_url(page.rel), page.rel, target))


def _display(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder.parent))
    except ValueError:
        return str(path)


def analyse(
    site_dir: Path, docs_dir: Path, data_dir: Path, languages: tuple[str, ...], default: str,
    site_url: str | None = None, jobs: int | None = None,
) -> Report:
    """Check the built site and return problems plus the external links found."""
    layout = Layout(Path(site_dir), Path(docs_dir), Path(data_dir), tuple(languages), default)
    files, html = _walk(layout.site_dir)
    pages = scan_site(layout.site_dir, html, jobs)
    checker = _Checker(layout, files, pages, site_url)
    for rel in html:
        checker.check_page(pages[rel])
    editions = tuple(lang for lang in languages if lang == default or lang in layout.prefixed)
    return Report(checker.grouper.problems(), dict(checker.external), len(pages), checker.links, editions)


def check_site(
    site_dir: Path, docs_dir: Path, data_dir: Path, languages: tuple[str, ...], default: str,
    site_url: str | None = None, jobs: int | None = None,
) -> list[Problem]:
    """Every broken internal link and invalid tel:/WhatsApp/mailto link in the built site, grouped."""
    return analyse(site_dir, docs_dir, data_dir, languages, default, site_url, jobs).problems


def external_problems(report: Report, results: dict) -> list[Problem]:
    """Problems for external links that failed: 404/410/no such host are errors, the rest warnings."""
    problems = []
    for url, places in sorted(report.external.items()):
        result = results.get(url.split("#", 1)[0])
        if result is None or result.ok:
            continue
        lasting = result.status in (404, 410) or (result.status is None and "Name or service" in (result.error or ""))
        for where in dict.fromkeys(w for w, _, _ in places):
            source, _, line = where.rpartition(":") if where != "template" else (where, "", "")
            problem = Problem("external", source, int(line) if line else None, url,
                              f"{result.describe()}: the page is gone or unreachable; "
                              "find where it moved or remove the link", severity="error" if lasting else "warning")
            problem.occurrences = [Occurrence(e, p, "", url) for w, e, p in dict.fromkeys(places) if w == where]
            problems.append(problem)
    return problems


def external_listing(report: Report) -> list[dict]:
    """External URLs with the places (source:line) and editions that link to them."""
    listing = []
    for url, places in sorted(report.external.items()):
        grouped: dict[str, list[str]] = defaultdict(list)
        for where, edition, _page in places:
            if edition not in grouped[where]:
                grouped[where].append(edition)
        listing.append({"url": url, "places": [{"where": w, "editions": e} for w, e in grouped.items()]})
    return listing


# -- command line ---------------------------------------------------------------------------
def configure_parser(p: argparse.ArgumentParser) -> None:
    """Options of `./kb check links`."""
    p.add_argument("--site", type=Path, default=project.SITE, help="built site folder (default: site/)")
    p.add_argument("--docs", type=Path, default=project.DOCS, help="Markdown sources (default: docs/)")
    p.add_argument("--data", type=Path, default=project.DATA, help="data folder (default: data/)")
    p.add_argument("--site-url", default=None, help="site_url the site is served under (default: from mkdocs.yml)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--edition", action="append", metavar="LANG", help="only report these editions (repeatable)")
    p.add_argument("--jobs", type=int, default=None, help="parsing processes (default: 2 for large sites)")
    p.add_argument("--list-external", action="store_true", help="list external links and where they are")
    p.add_argument("--external", action="store_true", help="also check external links over the network")
    p.add_argument("--cache-days", type=float, default=7.0, help="reuse external results this young (default 7)")
    p.add_argument("--cache-dir", type=Path, default=project.BUILD_CACHE / "links")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per external request (default 10)")
    p.add_argument("--retries", type=int, default=2, help="retries of transient external failures (default 2)")
    p.add_argument("--threads", type=int, default=8, help="concurrent external requests (default 8)")


def _with_defaults(args: argparse.Namespace) -> argparse.Namespace:
    """Fill options a caller's Namespace lacks (e.g. `kb check` passes only a few) with their defaults."""
    parser = argparse.ArgumentParser(add_help=False)
    configure_parser(parser)
    full = parser.parse_args([])
    full.__dict__.update({k: v for k, v in vars(args).items() if not k.startswith("_")})
    return full


def run(args: argparse.Namespace) -> int:
    """Check the built site; exit 0 clean, 1 findings, 2 usage or configuration error."""
    from scripts.project import DEFAULT, languages, read_config

    args = _with_defaults(args)
    from scripts.project import no_site

    if missing := no_site(args.site):
        print(missing, file=sys.stderr)
        return 2
    if not languages():
        print("mkdocs.yml: no languages found in the i18n plugin; cannot tell the editions apart", file=sys.stderr)
        return 2
    unknown = [lang for lang in args.edition or [] if lang not in languages()]
    if unknown:
        print(f"--edition {', '.join(unknown)}: not an edition; choose from {', '.join(languages())}", file=sys.stderr)
        return 2
    site_url = args.site_url
    if site_url is None:
        try:
            site_url = read_config().get("site_url")
        except OSError:
            site_url = None
    started = time.perf_counter()
    report = analyse(args.site, args.docs, args.data, languages(), DEFAULT, site_url, args.jobs)
    problems = list(report.problems)
    if args.external:
        from scripts.linkcheck.external import check_urls

        wanted = [url for url in report.external if not contactlinks.is_whatsapp(url)]
        cache = None if args.cache_days <= 0 else args.cache_dir / "external.json"
        results = check_urls(wanted, cache, args.cache_days, args.threads, args.timeout, args.retries)
        problems += external_problems(report, results)
    if args.edition:
        problems = [p for p in problems if set(p.editions) & set(args.edition) or p.kind == "external"]
    summary = {
        "pages": report.pages, "links": report.links, "editions": list(report.editions),
        "problems": len(problems), "errors": sum(p.severity == "error" for p in problems),
        "seconds": round(time.perf_counter() - started, 3),
    }
    listing = external_listing(report) if args.list_external else None
    render = render_json if args.format == "json" else render_text
    print(render(problems, summary, listing))
    return 1 if summary["errors"] else 0
