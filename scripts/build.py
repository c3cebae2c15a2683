"""Build every edition into site/, atomically: a failed build leaves the previous site untouched.

Steps: check sources (content, data) -> MkDocs build into a fresh folder -> post-build steps -> swap into place.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from scripts.findings import BuildError
from scripts.project import SITE

__all__ = ["BuildError", "build"]

log = logging.getLogger("kb")


class _Progress(logging.Handler):
    """Print which edition is being built (the i18n plugin logs it) and every warning; keep errors, which become
    the BuildError's message (file:line lines, said once)."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
        elif record.levelno >= logging.WARNING:
            print(f"{record.levelname}: {message}", file=sys.stderr)
        elif message.startswith("Building '"):
            lang = message.split("'")[1]
            print(f"  building {lang} …", file=sys.stderr, flush=True)


def run_mkdocs(site_dir: Path, only: tuple[str, ...] | None, post_steps: list[str] | None = None) -> None:
    """One MkDocs build (all editions through the i18n plugin, then the post-build steps, both run by the project's
    hooks exactly as under plain `mkdocs build`) into `site_dir`, strict."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, MkDocsException

    from scripts.plugin import siteconfig

    handler = _Progress(level=logging.INFO)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        config = siteconfig.load(site_dir=site_dir, only=only, post_steps=post_steps)
        config.strict = True
        mkdocs_build(config)
    except siteconfig.ConfigError as error:
        raise BuildError(str(error)) from None
    except (Abort, MkDocsException) as error:
        # A hook's PluginError (the sources' problems, a failed post-build step) was logged, then MkDocs aborted.
        raise BuildError("\n".join(handler.errors) or f"MkDocs stopped: {error}") from None
    finally:
        logger.removeHandler(handler)


def swap_into_place(fresh: Path, site: Path) -> None:
    """Replace `site` with `fresh` in two renames, so readers never see half a site."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    fresh.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def build(site: Path = SITE, only: tuple[str, ...] | None = None, steps: Sequence[str] | None = None) -> float:
    """Build the site into `site` and return the seconds it took. Raises BuildError; `site` is then untouched.
    `steps` names the post-build steps to run (postbuild.STEPS); None runs them all."""
    from scripts.plugin import siteconfig
    from scripts.project import read_config

    started = time.perf_counter()
    try:  # configuration first: a wrong language code explains every later complaint
        siteconfig.resolved_plugins(read_config())
    except (siteconfig.ConfigError, ValueError) as error:
        raise BuildError(str(error)) from None
    fresh = site.with_name(f".{site.name}.building")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        run_mkdocs(fresh, only, None if steps is None else list(steps))
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    swap_into_place(fresh, site)
    return time.perf_counter() - started


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Options of `kb build`."""
    parser.add_argument("--lang", action="append", help="build only this edition (and English); repeatable")
    parser.add_argument("--site-dir", type=Path, default=SITE, help="where to write the site (default: site/)")
    parser.add_argument("--preview", action="store_true",
                        help="the preview's steps only, as ./kb serve builds: no PDFs, ZIPs, ZIM files or link check")


def run(args: argparse.Namespace) -> int:
    """`kb build`: build every edition; exit 1 with the problems when the sources are wrong."""
    try:
        from scripts.postbuild.steps import PREVIEW_STEPS

        steps = PREVIEW_STEPS if getattr(args, "preview", False) else None
        seconds = build(args.site_dir, tuple(args.lang) if args.lang else None, steps)
    except BuildError as error:
        print(error, file=sys.stderr)
        print(f"Build failed; {args.site_dir} was left as it was.", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir} in {seconds:.1f} s")
    return 0
