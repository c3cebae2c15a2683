"""Build every edition into site/, atomically: a failed build leaves the previous site untouched.

Steps: check sources (content, data) -> MkDocs build into a fresh folder -> post-build steps -> swap into place.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from scripts import content
from scripts.paths import COUNTRIES, SITE

log = logging.getLogger("kb")


class BuildError(RuntimeError):
    """The build stopped; the message says why and where."""


def check_sources() -> list[str]:
    """Every problem in the Markdown and the country data, as `file:line: message` lines."""
    from scripts import parity
    from scripts.languages import DEFAULT, LANGUAGES
    from scripts.paths import DOCS

    problems = [str(p) for p in content.check_docs()]
    problems += [str(d) for d in parity.check(DOCS, LANGUAGES, DEFAULT)]
    if COUNTRIES.exists() and any(COUNTRIES.glob("*.yml")):
        from scripts.countries import validate_countries

        problems += [str(e) for e in validate_countries(COUNTRIES)]
    return problems


class _Progress(logging.Handler):
    """Print which edition is being built (the i18n plugin logs it) and every warning or error."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            print(f"{record.levelname}: {message}", file=sys.stderr)
        elif message.startswith("Building '"):
            lang = message.split("'")[1]
            print(f"  building {lang} …", file=sys.stderr, flush=True)


def run_mkdocs(site_dir: Path, only: tuple[str, ...] | None) -> None:
    """One MkDocs build (all editions through the i18n plugin) into `site_dir`, strict."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, MkDocsException

    from scripts import siteconfig

    handler = _Progress(level=logging.INFO)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        config = siteconfig.load(site_dir=site_dir, only=only)
        config.strict = True
        mkdocs_build(config)
    except siteconfig.ConfigError as error:
        raise BuildError(str(error)) from None
    except (Abort, MkDocsException) as error:
        raise BuildError(f"MkDocs stopped: {error}") from None
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


PostStep = Callable[[Path], None]


def post_steps() -> list[tuple[str, PostStep]]:
    """Steps that run on the freshly built folder before it replaces site/ (optimise, exports, checks)."""
    from scripts import postbuild

    return postbuild.STEPS


def build(site: Path = SITE, only: tuple[str, ...] | None = None, steps: list[tuple[str, PostStep]] | None = None) -> float:
    """Build the site into `site` and return the seconds it took. Raises BuildError; `site` is then untouched."""
    from scripts import siteconfig
    from scripts.languages import read_config

    started = time.perf_counter()
    try:  # configuration first: a wrong language code explains every later complaint
        siteconfig.resolved_plugins(read_config())
    except (siteconfig.ConfigError, ValueError) as error:
        raise BuildError(str(error)) from None
    problems = check_sources()
    if problems:
        raise BuildError("\n".join(problems) + f"\n{len(problems)} problem(s) in the sources; nothing was built.")
    fresh = site.with_name(f".{site.name}.building")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        run_mkdocs(fresh, only)
        for name, step in post_steps() if steps is None else steps:
            print(f"  {name} …", file=sys.stderr, flush=True)
            step(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    swap_into_place(fresh, site)
    return time.perf_counter() - started


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Options of `kb build`."""
    parser.add_argument("--lang", action="append", help="build only this edition (and English); repeatable")
    parser.add_argument("--site-dir", type=Path, default=SITE, help="where to write the site (default: site/)")


def run(args: argparse.Namespace) -> int:
    """`kb build`: build every edition; exit 1 with the problems when the sources are wrong."""
    try:
        seconds = build(args.site_dir, tuple(args.lang) if args.lang else None)
    except BuildError as error:
        print(error, file=sys.stderr)
        print(f"Build failed; {args.site_dir} was left as it was.", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir} in {seconds:.1f} s")
    return 0
