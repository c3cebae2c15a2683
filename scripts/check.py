"""`kb check`: everything that can be wrong before (content, data) and after (links) a build."""

from __future__ import annotations

import argparse
import datetime as dt
import sys


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Options of `kb check`."""
    parser.add_argument("what", nargs="?", choices=("all", "content", "data", "translations", "terms", "links"), default="all",
                        help="what to check (default: all; links needs a built site)")
    parser.add_argument("--lang", action="append", help="only this edition (translations, terms); repeatable")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format for links")
    parser.add_argument("--external", action="store_true", help="also check external links over the network")
    parser.add_argument("--report", action="store_true",
                        help="data: also print the directory's coverage (listings by kind per country, what is missing)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="data: check source dates as if today were YYYY-MM-DD")


def run(args: argparse.Namespace) -> int:
    """Run the chosen checks; exit 1 if any finds a problem."""
    status = 0
    if args.what in ("all", "content"):
        from scripts.project import DATA, DOCS, LOCALES, OVERRIDES, ROOT
        from scripts.sources.content import check_docs
        from scripts.sources.preflight import escapes

        # links are refused before any page is read, as in the build's preflight
        problems = escapes(ROOT, [DOCS, DATA, LOCALES, OVERRIDES]) or check_docs()
        for problem in problems:
            print(problem)
        print(f"content: {len(problems)} problem(s)" if problems else "content: OK", file=sys.stderr)
        status |= bool(problems)
    if args.what in ("all", "data"):
        from scripts.project import COUNTRIES
        from scripts.sources import countries

        # The country files' check with its warnings (old sources) and, asked for, the directory's coverage.
        found = countries.run(argparse.Namespace(data_dir=COUNTRIES, today=args.today, report=args.report))
        print("data: problems above" if found else "data: OK", file=sys.stderr)
        status |= found != 0
    if args.what in ("all", "translations"):
        from scripts.project import DEFAULT, DOCS, languages
        from scripts.sources import parity

        differences = parity.check(DOCS, args.lang or languages(), DEFAULT)
        for difference in differences:
            print(difference)
        print(f"translations: {len(differences)} difference(s) from English in ids, links or numbers"
              if differences else "translations: OK (ids, links and numbers match English)", file=sys.stderr)
        status |= bool(differences)
    if args.what in ("all", "terms"):
        from scripts.sources import terms

        status |= terms.run(argparse.Namespace(lang=args.lang)) != 0
    if args.what in ("all", "links"):
        if status:
            print("links: not checked: fix the problems above first (the site is built from these sources)",
                  file=sys.stderr)
        else:
            status |= _check_links(args)
    return 1 if status else 0


def _check_links(args: argparse.Namespace) -> int:
    """Check the links of a site built now from the sources, never of a stale site/."""
    import tempfile
    from pathlib import Path

    from scripts.build import BuildError, build
    from scripts.linkcheck import links
    from scripts.postbuild.steps import STEPS

    print("links: building the site from the sources to check it (a few minutes) …", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        try:  # every step but the link check itself, which runs below with the options asked for
            build(site, steps=[name for name, _ in STEPS if name != "checking links"])
        except BuildError as error:
            print(error, file=sys.stderr)
            return 1
        return 1 if links.run(argparse.Namespace(site=site, format=args.format, external=args.external,
                                                 list_external=False)) != 0 else 0
