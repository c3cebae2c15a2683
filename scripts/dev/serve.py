"""`kb serve`: build every edition, serve site/ on localhost, and rebuild when a source changes."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

from scripts.build import BuildError, build
from scripts.dev.httpserver import start_server
from scripts.postbuild.steps import PREVIEW_STEPS
from scripts.project import CONFIG, DATA, DEFAULT, DOCS, LOCALES, OVERRIDES, SITE

WATCHED = (DOCS, DATA, LOCALES, OVERRIDES, CONFIG)


def snapshot() -> dict[Path, float]:
    """Modification times of every watched source file."""
    times = {}
    for root in WATCHED:
        for path in [root] if root.is_file() else root.rglob("*"):
            if path.is_file():
                times[path] = path.stat().st_mtime
    return times


def editions_to_rebuild(changed: set[Path], only: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The editions an edit affects: a page under docs/<lang>/ needs only its edition (English is always built);
    anything else (data, interface strings, theme, mkdocs.yml) needs every edition the preview shows."""
    pages = [path.relative_to(DOCS).parts[0] for path in changed if DOCS in path.parents]
    if pages and len(pages) == len(changed):
        return tuple(sorted(set(pages) - {DEFAULT}))
    return only


def watch(only: tuple[str, ...] | None, interval: float = 1.0) -> None:
    """Rebuild (atomically) whenever a watched file changes; a failed rebuild keeps the last good site."""
    seen = snapshot()
    while True:
        time.sleep(interval)
        now = snapshot()
        if now != seen:
            changed = {path for path in set(now) | set(seen) if now.get(path) != seen.get(path)}
            seen = now
            editions = editions_to_rebuild(changed, only)
            shown = ", ".join(editions) if editions else "English only" if editions == () else "every edition"
            print(f"Change detected, rebuilding {shown} …", file=sys.stderr)
            try:
                print(f"Rebuilt in {build(SITE, editions, PREVIEW_STEPS):.1f} s", file=sys.stderr)
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
    from scripts.project import read_config

    if not read_config().get("site_url"):
        print("site_url is not set (mkdocs.yml): the preview leaves the sheets' QR codes out; publishing needs it",
              file=sys.stderr)
    if not args.no_build:
        try:
            print(f"Built in {build(SITE, only, PREVIEW_STEPS):.1f} s (PDFs, offline copies and the link check are "
                  "left to ./kb build)", file=sys.stderr)
        except BuildError as error:
            print(f"{error}\nBuild failed.", file=sys.stderr)
            if not SITE.exists():
                return 1
    threading.Thread(target=watch, args=(only,), daemon=True).start()
    server, url = start_server(SITE, args.port, live=True)
    print(f"Serving the site on {url} (Ctrl+C to stop)", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0
