"""`kb serve`: build every edition, serve site/ on localhost, and rebuild when a source changes."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

from scripts.build import BuildError, build
from scripts.httpserver import start_server
from scripts.paths import CONFIG, DATA, DOCS, LOCALES, OVERRIDES, SITE

WATCHED = (DOCS, DATA, LOCALES, OVERRIDES, CONFIG)


def snapshot() -> dict[Path, float]:
    """Modification times of every watched source file."""
    times = {}
    for root in WATCHED:
        for path in [root] if root.is_file() else root.rglob("*"):
            if path.is_file():
                times[path] = path.stat().st_mtime
    return times


def watch(only: tuple[str, ...] | None, interval: float = 1.0) -> None:
    """Rebuild (atomically) whenever a watched file changes; a failed rebuild keeps the last good site."""
    seen = snapshot()
    while True:
        time.sleep(interval)
        now = snapshot()
        if now != seen:
            seen = now
            print("Change detected, rebuilding …", file=sys.stderr)
            try:
                print(f"Rebuilt in {build(SITE, only):.1f} s", file=sys.stderr)
            except BuildError as error:
                print(f"{error}\nRebuild failed; still serving the previous site.", file=sys.stderr)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Options of `kb serve`."""
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--lang", action="append", help="build only this edition (and English), for fast previews")
    parser.add_argument("--no-build", action="store_true", help="serve site/ as it is")


def run(args: argparse.Namespace) -> int:
    """Build, then serve until interrupted."""
    only = tuple(args.lang) if args.lang else None
    if not args.no_build:
        try:
            print(f"Built in {build(SITE, only):.1f} s", file=sys.stderr)
        except BuildError as error:
            print(f"{error}\nBuild failed.", file=sys.stderr)
            if not SITE.exists():
                return 1
    threading.Thread(target=watch, args=(only,), daemon=True).start()
    server, url = start_server(SITE, args.port)
    print(f"Serving the site on {url} (Ctrl+C to stop)", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0
