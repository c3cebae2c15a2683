"""`./kb sheets`: each country's printable sheet as a PDF, in every language of its corridor.

WeasyPrint renders the BUILT country page (so the PDF is what the reader's browser prints: the print stylesheet,
overrides/assets/print.css, makes it a compact sheet with a QR code to the page online) into a PDF next to
the page, named as the page links it: `countries/lb/migrant-rights-help-lebanon-en.pdf` for English at the site
root, `ar/countries/lb/migrant-rights-help-lebanon-ar.pdf` for the others.
Which pages get one: those whose sheet links it (scripts/plugin/sheet.py `pdf_link`, in the corridor's languages only);
the link then gets the file's size in the reader's language. Runs as a post-build step (scripts/postbuild/steps.py,
before the link check) and on its own on a built site.

Nothing is fetched from the network: a URL fetcher serves files from the site folder and refuses the rest. A
sheet fails, naming its country and language, on anything it could not load and on any character that no
installed font can draw (WeasyPrint would print an empty box for it, silently).
"""

from __future__ import annotations

import argparse
import html
import logging
import mimetypes
import os
import posixpath
import re
import subprocess
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from scripts.plugin.search_index import all_text
from scripts.plugin.sheet import file_size
from scripts.project import SITE

PAPER = {"a4": "A4", "letter": "letter"}
WORKERS = 2
_MARKER = re.compile(r'data-kb-sheet="([a-z]{2})"><a href="([^"/]+\.pdf)"')
_LANG = re.compile(r'<html lang="([^"]+)"')
_SIZE = re.compile(r"(<span [^>]*data-kb-pdf-size[^>]*>)[^<]*(</span>)")
_PRINT_CSS = re.compile(r"assets/print\.css\b")
_ANCHOR_HREF = re.compile(r'(<a\b[^>]*?\s)href="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_STYLESHEET = re.compile(r'<link rel="stylesheet"(?: media="print")? href="([^"]+)"\s*/?>|<style>(.*?)</style>', re.DOTALL)


class SheetError(RuntimeError):
    """A sheet could not be rendered as it should; the message names the country and language."""


@dataclass(frozen=True)
class Sheet:
    """One country page of one edition that links its PDF."""

    code: str
    lang: str
    page: Path
    file_name: str  # the name the page links (scripts/publish/names.py)

    @property
    def pdf(self) -> Path:
        return self.page.parent / self.file_name

    @property
    def name(self) -> str:
        return f"{self.code} ({self.lang})"


def find_sheets(site: Path) -> list[Sheet]:
    """Every built country page whose sheet links a PDF, in a stable order."""
    found = []
    for page in sorted(site.rglob("countries/*/index.html")):
        text = page.read_text(encoding="utf-8")
        marker, lang = _MARKER.search(text), _LANG.search(text)
        if marker and lang:
            found.append(Sheet(marker.group(1), lang.group(1), page, marker.group(2)))
    return found


def page_url(site: Path, page: Path) -> str:
    """The page's directory URL from the site root: "countries/lb/", "ar/countries/lb/"."""
    return page.parent.relative_to(site).as_posix() + "/"


def absolute_links(text: str, url: str, site_url: str | None) -> str:
    """Links between pages made meaningful on paper and in a PDF read on its own.

    WeasyPrint would resolve a relative link against the file it read (a path on the build machine). With
    `site_url` a link leads to the page online; without, the link is dropped and its path from the site root
    is kept in `data-kb-href` for print.css to show.
    """
    def one(match: re.Match) -> str:
        start, href = match.group(1), html.unescape(match.group(2))
        if not href or href.startswith(("#", "/")) or _SCHEME.match(href):
            return match.group(0)
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join("/" + url, path)) if path else "/" + url
        if (path.endswith("/") or path in (".", "..")) and not target.endswith("/"):
            target += "/"
        target += f"#{fragment}" if fragment else ""
        if site_url:
            return f'{start}href="{html.escape(site_url.rstrip("/") + target)}"'
        return f'{start}data-kb-href="{html.escape(target)}"'

    return _ANCHOR_HREF.sub(one, text)


def _fetcher_class():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class SiteFetcher(URLFetcher):
        """Serves files from the site folder and `data:` URLs; refuses everything else (no network)."""

        def __init__(self, site: Path) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.root = site.resolve()
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_relative_to(self.root) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            self.refused.append(url)
            raise ValueError(f"refused {url}: a sheet loads files from the site folder only")

    return SiteFetcher


class _Problems(logging.Handler):
    """WeasyPrint's messages that make a sheet wrong: a resource it could not load.

    (Its many notes about screen-only CSS it ignores are not problems for paper.)
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.found.append(record.getMessage())


# Characters that are never drawn, so need no font: controls, format marks (bidi marks, ZWJ, ZWNJ), spaces.
_UNDRAWN = {"Cc", "Cf", "Zs", "Zl", "Zp"}


@lru_cache(maxsize=1)
def installed_charset() -> frozenset[int]:
    """Every code point some installed font can draw, from fontconfig (`fc-list`, one call).

    Pango falls back through fontconfig to any font that has a character; a character no installed font has
    is drawn as an empty box, and WeasyPrint says nothing about it.
    """
    try:
        out = subprocess.run(["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise OSError(f"fc-list (Debian's fontconfig) cannot list the fonts: {error}") from None
    points: set[int] = set()
    for token in out.split():
        first, _, last = token.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


def missing_glyphs(text: str, charset: frozenset[int] | None = None) -> list[str]:
    """The characters of `text` that no installed font can draw, as "U+E000" labels, in order of first use."""
    charset = installed_charset() if charset is None else charset
    seen = dict.fromkeys(ch for ch in text if ord(ch) not in charset and unicodedata.category(ch) not in _UNDRAWN)
    return [f"U+{ord(ch):04X}" for ch in seen]


@lru_cache(maxsize=64)
def _parsed_css(css: str, base_url: str):
    """A stylesheet parsed once per process: every page links the same few, and parsing is a third of the
    time of a sheet. (Kept in the order the page has them, they cascade as they would from the page.)"""
    from weasyprint import CSS

    return CSS(string=css, base_url=base_url, font_config=_font_config())


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _stylesheets(text: str, page: Path, fetcher) -> tuple[str, list]:
    """The page without its stylesheets, and those stylesheets parsed (cached), in the page's order."""
    found = []
    for match in _STYLESHEET.finditer(text):
        if match.group(1) is not None:  # a <link>: read through the fetcher, so only site files
            url = urljoin(page.resolve().as_uri(), html.unescape(match.group(1)))
            response = fetcher.fetch(url)
            try:
                css = response.read().decode("utf-8")
            finally:
                response.close()
            found.append((match.start(), css, url))
        else:
            found.append((match.start(), match.group(2), page.resolve().as_uri()))
    return _STYLESHEET.sub("", text), [_parsed_css(css, base) for _, css, base in sorted(found)]


def source_line(char: str, site: Path, page: Path) -> str | None:
    """Where a character of a built country page was written: "docs/ar/countries/lb.md:16", or None.

    Looks in the files a sheet is made from: the page's Markdown (the edition's, then the English), the
    country's data file and the edition's interface strings.
    """
    from scripts.project import COUNTRIES, DEFAULT, DOCS, LOCALES, languages, relative

    parts = page.parent.relative_to(site).parts
    lang = parts[0] if parts and parts[0] in languages() else DEFAULT
    code = parts[-1] if parts else ""
    for path in (DOCS / lang / "countries" / f"{code}.md", DOCS / DEFAULT / "countries" / f"{code}.md",
                 COUNTRIES / f"{code}.yml", LOCALES / f"{lang}.yml"):
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if char in line:
                    return f"{relative(path)}:{number}"
    return None


def render_pdf(page: Path, site: Path, paper: str = "A4", site_url: str | None = None,
               html_text: str | None = None) -> bytes:
    """One page of the built site as a PDF. Raises SheetError on a character no installed font can draw or
    a resource not loaded.

    `html_text` replaces the page's own HTML (the tests render planted faults through the same path).
    """
    from weasyprint import HTML

    logger = logging.getLogger("weasyprint")
    logger.propagate = False  # the CSS notes would flood the build's output
    logger.setLevel(logging.WARNING)
    problems = _Problems()
    logger.addHandler(problems)
    fetcher = _fetcher_class()(site)
    try:
        text = page.read_text(encoding="utf-8") if html_text is None else html_text
        text = absolute_links(text, page_url(site, page), site_url)
        text, sheets = _stylesheets(text, page, fetcher)
        document = HTML(string=text, base_url=page.resolve().as_uri(), url_fetcher=fetcher)
        paper_css = _parsed_css(f"@page {{ size: {paper} }}", page.resolve().as_uri())
        data = document.write_pdf(stylesheets=[*sheets, paper_css], font_config=_font_config())
    except ValueError as error:  # a stylesheet the fetcher refused
        raise SheetError(str(error)) from None
    finally:
        logger.removeHandler(problems)
    issues = [f"refused {url}" for url in fetcher.refused] + problems.found
    missing = missing_glyphs(all_text(text))
    if missing:
        found = [f"{label} at {where}" if where else label for label, where in
                 ((label, source_line(chr(int(label[2:], 16)), site, page)) for label in missing)]
        issues.append(f"no installed font can draw {', '.join(found)}: remove the character(s) or install a font "
                      "that has them (scripts/system-packages.sh)")
    if issues:
        raise SheetError("; ".join(dict.fromkeys(issues)))
    return data


def _render_job(job: tuple[str, str, str, str, str | None]) -> tuple[str, int, float, str | None]:
    site, page, out, paper, site_url = job
    started = time.perf_counter()
    try:
        data = render_pdf(Path(page), Path(site), paper, site_url)
    except SheetError as error:
        return out, 0, time.perf_counter() - started, str(error)
    except Exception as error:  # any failure is reported with the sheet it belongs to
        return out, 0, time.perf_counter() - started, f"{type(error).__name__}: {error}"
    Path(out).write_bytes(data)
    return out, len(data), time.perf_counter() - started, None


def fingerprint_print_css(site: Path) -> str | None:
    """Give assets/print.css a content-hashed name (cacheable for good, like site.css) and point pages at it."""
    from scripts.postbuild.optimise import fingerprint

    if not (site / "assets" / "print.css").is_file():
        return None
    new_rel = fingerprint(site, "assets/print.css")
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "assets/print.css" in text:
            page.write_text(_PRINT_CSS.sub(new_rel, text), encoding="utf-8")
    return new_rel


def write_sheets(site: Path, paper: str = "A4", site_url: str | None = None,
                 workers: int = WORKERS) -> list[tuple[Sheet, int]]:
    """Render every sheet into its page's folder and put its size on the page; (sheet, bytes) each.

    Raises SheetError naming every sheet that failed (the others are written).
    """
    import weasyprint  # noqa: F401 - here, once, so a missing Pango is one OSError, not one per sheet

    sheets = find_sheets(site)
    jobs = [(str(site), str(s.page), str(s.pdf), paper, site_url) for s in sheets]
    workers = max(1, min(workers, os.cpu_count() or 1, len(jobs)))
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_render_job, jobs))
    else:
        results = [_render_job(job) for job in jobs]
    failed = [f"{sheet.pdf.relative_to(site).as_posix()}: {sheet.name}: {error}"
              for sheet, (_, _, _, error) in zip(sheets, results, strict=True) if error]
    if failed:
        raise SheetError("\n".join(failed) + f"\n{len(failed)} country sheet(s) failed.")
    done = [(sheet, size) for sheet, (_, size, _, _) in zip(sheets, results, strict=True)]
    for sheet, size in done:
        text = sheet.page.read_text(encoding="utf-8")
        shown = html.escape(f"({file_size(size, sheet.lang)})", quote=False)
        sheet.page.write_text(_SIZE.sub(lambda m, s=shown: m.group(1) + s + m.group(2), text, count=1), encoding="utf-8")
    return done


def summary(site: Path, done: list[tuple[Sheet, int]]) -> list[str]:
    """One line per PDF (path, size) and the total."""
    lines = [f"  {sheet.pdf.relative_to(site).as_posix():<28} {size / 1000:7.1f} kB" for sheet, size in done]
    total = sum(size for _, size in done)
    lines.append(f"  {len(done)} PDFs, {total / 1_000_000:.2f} MB in all")
    return lines


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Options of `kb sheets`."""
    parser.add_argument("--site-dir", type=Path, default=SITE, help="the built site to add the PDFs to (default: site/)")
    parser.add_argument("--paper", choices=sorted(PAPER), default="a4", help="paper size (default: a4)")
    parser.add_argument("--jobs", type=int, default=WORKERS, help=f"processes (default: {WORKERS})")


def run(args: argparse.Namespace) -> int:
    """`kb sheets`: render the PDFs into a built site; print each size and the total; exit 1 on a failed sheet."""
    from scripts.project import read_config

    site = args.site_dir
    from scripts.project import no_site

    if missing := no_site(site):
        print(missing, file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        done = write_sheets(site, PAPER[args.paper], read_config().get("site_url"), args.jobs)
    except SheetError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:  # WeasyPrint could not load Pango
        print(f"WeasyPrint cannot run: {error}\nInstall Debian's Pango and fonts: scripts/system-packages.sh",
              file=sys.stderr)
        return 2
    print("\n".join(summary(site, done)))
    print(f"Wrote {len(done)} country sheets in {time.perf_counter() - started:.1f} s")
    return 0
