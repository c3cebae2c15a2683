"""`kb headers netlify|nginx|caddy`: the built site's HTTP headers, for the host at hand (scripts/publish/headers.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.project import SITE


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=("netlify", "nginx", "caddy"), help="netlify is also Cloudflare Pages' format")
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: site/)")


def run(args: argparse.Namespace) -> int:
    from scripts.plugin.chrome import site_root_path
    from scripts.project import no_site, read_config
    from scripts.publish import headers

    if missing := no_site(args.site):
        print(missing, file=sys.stderr)
        return 2
    raw = read_config()
    try:
        rule_list, pages = headers.for_site(args.site, site_root_path(raw.get("site_url")), raw)
    except headers.HeaderError as error:
        print(error, file=sys.stderr)
        return 2
    common = rule_list[0][1]
    text = {"netlify": lambda: headers.netlify(rule_list), "nginx": lambda: headers.nginx(common, pages),
            "caddy": lambda: headers.caddy(common, pages)}[args.format]()
    sys.stdout.write(text)
    return 0
