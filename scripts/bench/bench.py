"""`./kb bench`: build the site, load every edition in Debian's Chromium on a throttled phone, print the table.

Per edition: first visit to Get help (requests, bytes, render-critical bytes, FCP, LCP), a second page, and
search (bytes to open it and get results, time to the first results, keystroke latency with the index
loaded), all under DevTools "Slow 3G" and 6x CPU slowdown. Also the build time (all editions, and one edition
for previews) and, unless --no-baseline, the same content built with stock settings, for the ratio.
Budgets (issue 8) are checked here and shown as ✓ or ✗; `--write FILE` saves the table as Markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.project import DEFAULT, edition_prefix, languages

BUDGETS = {"bytes": 60_000, "critical": 14_000, "fcp": 2600, "search_bytes": 100_000, "search_ms": 300,
           "second": 12_000, "shift": 0.01}
# Issue 20's goal for opening search (the budget is search_bytes).
SEARCH_GOAL = 60_000
# Lighthouse's sample: a left-to-right, a right-to-left and an Ethiopic-script edition (as tests/test_layout_shift.py).
LIGHTHOUSE_EDITIONS = ("en", "ar", "am")
# Material ships no UI translation for these; the stock baseline build leaves them out (it would crash).
NOT_IN_THEME = ("am", "ne", "sw", "tg")


@dataclass
class Row:
    """One edition's figures."""

    lang: str
    requests: int
    bytes: int
    critical: int
    fcp: float
    lcp: float
    second: int
    search_bytes: int
    first_results_ms: float
    keystroke_ms: float
    shift: float = 0.0
    shift_page: str = ""
    engine_bytes: int = 0          # of search_bytes, the engine (lunr, the stemmer, search.js)
    substring_ms: float = 0.0      # keystroke latency of the substring search, same query, same page
    built_ms: float = 0.0          # the phone's time to build the edition's lunr index


def _prefix(lang: str) -> str:
    return edition_prefix(lang)


def measure(base_url: str, langs: list[str], query_for, throttle: bool = True, search: bool = True) -> list[Row]:
    """Load each edition on a throttled phone-sized Chromium; one fresh browser context (cold cache) each."""
    from playwright.sync_api import sync_playwright

    from scripts.bench import pageload

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=pageload.CHROMIUM, args=pageload.CHROMIUM_FLAGS)
        for lang in langs:
            print(f"  measuring {lang} …", file=sys.stderr, flush=True)
            # A visit registers no service worker (only "Save this language" does); blocked all the same, since
            # requests a worker made would be invisible to the page's DevTools session and hide bytes.
            context = browser.new_context(service_workers="block", **pageload.PHONE)
            meter = pageload.Meter(context, context.new_page(), throttle)
            first = pageload.visit(meter, f"{base_url}{_prefix(lang)}get-help/")
            second = pageload.visit(meter, f"{base_url}{_prefix(lang)}countries/")
            search_bytes, first_ms, keystroke, engine, substring_ms, built_ms = 0, 0.0, 0.0, 0, 0.0, 0.0
            if search:
                load, first_ms, _ = pageload.search(meter, f"{base_url}{_prefix(lang)}search/", query_for(lang))
                search_bytes, engine = load.bytes, pageload.engine_bytes(load)
                built_ms = float(meter.page.get_attribute("[data-kb-search]", "data-kb-built-ms") or 0)
                keystroke = pageload.keystroke_latency(meter.page, query_for(lang))
                substring_ms = pageload.keystroke_latency(meter.page, query_for(lang), "substring")
            context.close()
            shift, shift_page = worst_shift(browser, base_url, lang, throttle) if search else (0.0, "")
            rows.append(Row(lang, first.requests, first.bytes, first.critical_bytes(), first.fcp_ms or 0,
                            first.lcp_ms or 0, second.bytes, search_bytes, first_ms, keystroke, shift, shift_page,
                            engine, substring_ms, built_ms))
        browser.close()
    return rows


def worst_shift(browser, base_url: str, lang: str, throttle: bool = True) -> tuple[float, str]:
    """The largest cumulative layout shift among the edition's sample pages (cold cache each), and its page."""
    from scripts.bench import pageload

    scores = []
    for kind, path in pageload.SHIFT_SAMPLE.items():
        context = browser.new_context(service_workers="block", **pageload.PHONE)
        meter = pageload.Meter(context, context.new_page(), throttle)
        scores.append((pageload.layout_shift(meter, f"{base_url}{_prefix(lang)}{path}")[0], kind))
        context.close()
    return max(scores)


def lighthouse_table(base_url: str, langs: list[str]) -> list[str]:
    """Lighthouse's four scores on the sample pages of the sampled editions that were built."""
    from scripts.bench import lighthouse
    from scripts.bench.pageload import SHIFT_SAMPLE

    sample = [lang for lang in LIGHTHOUSE_EDITIONS if lang in langs] or langs[:1]
    print(f"Lighthouse on {', '.join(sample)} …", file=sys.stderr)
    try:
        command = lighthouse.install()
        return lighthouse.table(command, base_url, [_prefix(lang) + path for lang in sample for path in SHIFT_SAMPLE.values()])
    except lighthouse.LighthouseError as error:
        return [f"Lighthouse did not run: {error}"]


def baseline_site(workdir: Path) -> Path:
    """The same Markdown built with stock settings: Material defaults, its search, the i18n plugin."""
    from scripts.languages import native_name
    from scripts.project import DOCS

    langs = [lang for lang in languages() if lang not in NOT_IN_THEME]
    # Our own search page needs our template; the stock site has the theme's search instead.
    shutil.copytree(DOCS, workdir / "docs", ignore=lambda d, names: [n for n in names if n in NOT_IN_THEME
                                                                    or n == "search.md"])
    lines = ["site_name: Baseline", "theme:", "  name: material", "markdown_extensions: [attr_list, md_in_html, admonition,"
             " tables]", "plugins:", "  - search", "  - i18n:", "      docs_structure: folder", "      languages:"]
    lines += [f"        - locale: {lang}\n          name: {native_name(lang)}" + ("\n          default: true" if lang == DEFAULT
                                                                                   else "") for lang in langs]
    (workdir / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=workdir, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stderr=subprocess.DEVNULL)
    return workdir / "site"


def _ok(value: float, budget: float) -> str:
    return "✓" if value <= budget else "✗"


def table(rows: list[Row]) -> list[str]:
    """The Markdown table, a budget mark after each budgeted figure."""
    b = BUDGETS
    out = ["| edition | requests | first visit | render-critical | FCP | LCP | 2nd page | search | first results |"
           " keystroke | layout shift (worst page) |", "| --- |" + " ---: |" * 10]
    for r in rows:
        search = (f"{r.search_bytes / 1000:.1f} KB {_ok(r.search_bytes, b['search_bytes'])} | {r.first_results_ms:,.0f} ms | "
                  f"{r.keystroke_ms:,.0f} ms {_ok(r.keystroke_ms, b['search_ms'])}") if r.search_bytes else "– | – | –"
        shift = f"{r.shift:.3f} {_ok(r.shift, b['shift'])} ({r.shift_page})" if r.shift_page else "–"
        out.append(f"| {r.lang} | {r.requests} | {r.bytes / 1000:.1f} KB {_ok(r.bytes, b['bytes'])} | "
                   f"{r.critical / 1000:.1f} KB {_ok(r.critical, b['critical'])} | {r.fcp:,.0f} ms {_ok(r.fcp, b['fcp'])} | "
                   f"{r.lcp:,.0f} ms | {r.second / 1000:.1f} KB {_ok(r.second, b['second'])} | {search} | {shift} |")
    return out


def search_table(rows: list[Row]) -> list[str]:
    """Opening search and typing, per edition: lunr against the substring search it replaced (issue 20).
    The substring search needed the page and the edition's text only: the bytes without the engine."""
    b = BUDGETS
    out = [f"| edition | opening search (budget {b['search_bytes'] // 1000} KB, goal {SEARCH_GOAL // 1000} KB) | of which the "
           f"engine | substring search | index built on the phone | keystroke (budget {b['search_ms']} ms) | "
           "keystroke, substring search |", "| --- |" + " ---: |" * 6]
    for r in rows:
        if not r.search_bytes:
            continue
        goal = "goal ✓" if r.search_bytes <= SEARCH_GOAL else "goal ✗"
        out.append(f"| {r.lang} | {r.search_bytes / 1000:.1f} KB {_ok(r.search_bytes, b['search_bytes'])} {goal} | "
                   f"{r.engine_bytes / 1000:.1f} KB | {(r.search_bytes - r.engine_bytes) / 1000:.1f} KB | {r.built_ms:,.0f} ms | "
                   f"{r.keystroke_ms:,.0f} ms {_ok(r.keystroke_ms, b['search_ms'])} | {r.substring_ms:,.0f} ms |")
    return out


def hit_rates(base_url: str, langs: list[str]) -> list[str]:
    """Top-5 hit rates of the readers' queries (tests/search/queries.yml), the search and the substring search
    on the same queries, unthrottled (a rate does not depend on the connection)."""
    from playwright.sync_api import sync_playwright

    from scripts.bench import pageload
    from scripts.search import queries

    wanted = queries.load()
    lines = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=pageload.CHROMIUM, args=pageload.CHROMIUM_FLAGS)
        context = browser.new_context(service_workers="block", **pageload.PHONE)
        page = context.new_page()
        for lang in langs:
            if lang in wanted:
                lines.append("- " + queries.rate_line(lang, queries.answers(page, base_url, lang, wanted[lang])))
        browser.close()
    return lines


def chart(rows: list[Row], baseline: list[Row]) -> str:
    """First-visit kilobytes per edition as an inline SVG bar chart, with the budget line (no external assets)."""
    base = {r.lang: r.bytes for r in baseline}
    top = max([BUDGETS["bytes"], *(r.bytes for r in rows), *base.values()])
    width, bar, gap = 560, 12, 6
    scale = (width - 120) / top
    parts = []
    for i, r in enumerate(rows):
        y = i * (bar * 2 + gap) + 4
        parts.append(f'<text x="0" y="{y + bar}" font-size="11">{r.lang}</text>'
                     f'<rect x="40" y="{y}" width="{r.bytes * scale:.0f}" height="{bar}" fill="#00695c"/>'
                     f'<text x="{44 + r.bytes * scale:.0f}" y="{y + bar - 2}" font-size="10">{r.bytes / 1000:.0f} KB</text>')
        if r.lang in base:
            parts.append(f'<rect x="40" y="{y + bar}" width="{base[r.lang] * scale:.0f}" height="{bar - 4}" fill="#999"/>'
                         f'<text x="{44 + base[r.lang] * scale:.0f}" y="{y + 2 * bar - 4}" font-size="10">'
                         f'{base[r.lang] / 1000:.0f} KB stock</text>')
    height = len(rows) * (bar * 2 + gap) + 8
    x = 40 + BUDGETS["bytes"] * scale
    parts.append(f'<line x1="{x:.0f}" y1="0" x2="{x:.0f}" y2="{height}" stroke="#b00020" stroke-dasharray="4 3"/>'
                 f'<text x="{x + 3:.0f}" y="{height - 2}" font-size="10" fill="#b00020">budget 60 KB</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" aria-label="First visit, kilobytes per edition">{"".join(parts)}</svg>')


def page(report: str, svg: str) -> str:
    """The maintainers' page with one run's results (docs/en/staff/performance.md)."""
    from datetime import date

    return "\n".join([
        "---", "title: Performance on a cheap phone", "summary: \"One run of ./kb bench: what a first visit, a second page "
        "and a search cost in each edition on a throttled phone, against the budgets and a stock-settings site.\"",
        "audience: staff", f"reviewed: {date.today().isoformat()}", "sources:", "  - data: scripts/bench/bench.py", "---", "",
        '!!! summary "In short"',
        "    - Budgets: first visit 60 KB, render-critical 14 KB, first paint 2.6 s on Slow 3G with 6x CPU slowdown.",
        "    - Search costs nothing until it is opened; a second page costs a few KB.",
        "    - Made by `./kb bench --write docs/en/staff/performance.md`; run it again after changes to the theme.",
        "", "## First visit per edition {#chart}", "", svg, "", "## Figures {#figures}", "", report, ""])


def configure_parser(p: argparse.ArgumentParser) -> None:
    """Options of `./kb bench`."""
    p.add_argument("--lang", action="append", help="only these editions, built alone with English (default: all)")
    p.add_argument("--no-baseline", action="store_true", help="skip the stock-settings baseline")
    p.add_argument("--write", type=Path, help="also write the results as Markdown to this file")
    p.add_argument("--lighthouse", action="store_true",
                   help="also run Lighthouse (npm, pinned in scripts/bench/npm) on the layout-shift sample pages of "
                        f"{', '.join(LIGHTHOUSE_EDITIONS)}: its four category scores per page")


def run(args: argparse.Namespace) -> int:
    """Build, measure, print; exit 1 when a budget is missed."""
    from scripts.bench.pageload import search_word
    from scripts.build import BuildError, build
    from scripts.dev.httpserver import start_server
    from scripts.postbuild.steps import PREVIEW_STEPS

    langs = args.lang or list(languages())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("Building the editions …", file=sys.stderr)
        try:
            full = build(work / "site", tuple(args.lang) if args.lang else None)
            # What `./kb serve` does after an edit to a Nepali page: that edition and English, preview steps only.
            edit = build(work / "preview", ("ne",), PREVIEW_STEPS)
        except BuildError as error:
            print(error, file=sys.stderr)
            return 1
        server, url = start_server(work / "site", 0)
        rows = measure(url, langs, search_word)
        print("Readers' queries, both searches …", file=sys.stderr)
        rates = hit_rates(url, langs)
        audits = lighthouse_table(url, langs) if args.lighthouse else []
        server.shutdown()
        baseline: list[Row] = []
        if not args.no_baseline:
            print("Building the stock-settings baseline …", file=sys.stderr)
            started = time.perf_counter()
            plain = baseline_site(work / "baseline")
            plain_seconds = time.perf_counter() - started
            server, url = start_server(plain, 0)
            sample = [lang for lang in langs if lang not in NOT_IN_THEME][:3]
            baseline = measure(url, sample, search_word, search=False)
            server.shutdown()
    built = f"{', '.join(sorted(set(langs) | {DEFAULT}))} only" if args.lang else f"all {len(languages())} editions"
    lines = [f"Machine: {platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}, "
             f"{_chromium_version()}; throttling: DevTools Slow 3G (2,000 ms, 400 kbit/s) and 6x CPU.", "",
             f"Build: {built} in {full:.1f} s. After an edit to a Nepali page, the preview "
             f"(`./kb serve`) rebuilds ne and English in {edit:.1f} s: {edit / full:.2f} of a full build "
             "(target: under 0.20).",
             "", *table(rows), "", "Search (issue 20): lunr built on the phone, against the substring search it "
             "replaced; the keystroke includes the 80 ms typing pause.", "", *search_table(rows),
             "", "Readers' queries (tests/search/queries.yml), page in the first five:", "", *rates]
    if baseline:
        ours = {r.lang: r for r in rows}
        lines += ["", "Stock settings (Material defaults, its search, the i18n plugin; search not measured; "
                  f"{plain_seconds:.1f} s to build):",
                  "", *table(baseline), ""]
        for r in baseline:
            if r.lang in ours:
                o = ours[r.lang]
                lines.append(f"- {r.lang}: first visit {r.bytes / max(o.bytes, 1):.0f}x the bytes, FCP "
                             f"{r.fcp / max(o.fcp, 1):.1f}x later with stock settings.")
    if audits:
        lines += ["", "Lighthouse (mobile profile, simulated throttling; scores out of 100):", "", *audits]
    report = "\n".join(lines)
    print(report)
    if args.write:
        args.write.write_text(page(report, chart(rows, baseline)), encoding="utf-8")
    b = BUDGETS
    missed = [r.lang for r in rows if r.bytes > b["bytes"] or r.critical > b["critical"] or r.fcp > b["fcp"]
              or r.search_bytes > b["search_bytes"] or r.keystroke_ms > b["search_ms"] or r.second > b["second"]
              or r.shift > b["shift"]]
    if missed:
        print(f"Budgets missed in: {', '.join(missed)}", file=sys.stderr)
    return 1 if missed else 0


def _cpus() -> int:
    return os.cpu_count() or 1


def _chromium_version() -> str:
    try:
        return subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "Chromium (version unknown)"
