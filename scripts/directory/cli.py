"""`./kb directory verify|health`: record a person's confirmation of a listing; print the directory's health.

Exit codes: 0 ok, 1 findings (health: a country with no recent listing, a listing found changed or closed, or with
--check-sources a source page that is gone;
verify: the record was refused), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from scripts.project import COUNTRIES


def configure_parser(p: argparse.ArgumentParser) -> None:
    from scripts.directory.records import HOW, OUTCOMES

    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="record that a person confirmed a listing (writes its country file)")
    verify.add_argument("listing", help="the listing's id (a service id, e.g. lb-...-hotline)")
    verify.add_argument("--by", required=True, help="who confirmed it: a name, or an organisation and role, as they "
                                                    "agree to be named")
    verify.add_argument("--how", required=True, choices=HOW)
    verify.add_argument("--outcome", required=True, choices=OUTCOMES)
    verify.add_argument("--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    verify.add_argument("--note", default="", help="optional, for maintainers: what changed, whom they spoke to")
    health = sub.add_parser("health", help="per country: evidence age, never confirmed, missing hours or languages")
    health.add_argument("--today", type=dt.date.fromisoformat, default=None, help="report as if today were YYYY-MM-DD")
    health.add_argument("--check-sources", action="store_true",
                        help="also fetch every source page over the network; one that is gone (404, 410) needs attention")
    for parser in (verify, health):
        parser.add_argument("--data-dir", type=Path, default=COUNTRIES, help="folder of <cc>.yml files")


def run(args: argparse.Namespace) -> int:
    if args.action == "verify":
        return _verify(args)
    return _health(args)


def _verify(args: argparse.Namespace) -> int:
    from scripts.directory.verify import VerifyError, verify
    from scripts.project import relative

    today = dt.date.today()
    try:
        written = verify(args.listing, args.by, args.how, args.outcome, args.date or today, args.note,
                         data_dir=args.data_dir, today=today)
    except VerifyError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{relative(written.path)}:{written.line}: recorded: {args.listing} {args.outcome} ({args.how}, "
          f"{(args.date or today).isoformat()})")
    return 0


def _health(args: argparse.Namespace) -> int:
    from scripts.directory import health
    from scripts.plugin.config import option_line, raw_options
    from scripts.project import read_config
    from scripts.sources.countries import DataError, load_countries

    today = args.today or dt.date.today()
    try:
        raw = read_config()
        months = health.fresh_months(raw_options(raw)[1])
    except ValueError as error:
        line = option_line(raw, "directory_fresh_months")
        print(f"mkdocs.yml:{line}: {error} (write e.g. `directory_fresh_months: 24`)", file=sys.stderr)
        return 2
    try:
        countries = load_countries(args.data_dir, today=today)
    except DataError as error:
        print(error, file=sys.stderr)
        return 2
    report = health.directory_health(countries, today, months)
    print(health.render_text(report, today, months))
    gone: list[str] = []
    if args.check_sources:
        from scripts.directory import sources

        pages = sources.source_pages(args.data_dir)
        gone, warnings = sources.check(pages)
        print("\n".join(gone + warnings))
        print(f"source pages: {len({p.url for p in pages})} addresses, cited {len(pages)} times; {len(gone)} citations of a "
              f"page that is gone, {len(warnings)} of a page that did not answer")
    return 1 if health.needs_attention(report) or gone else 0
