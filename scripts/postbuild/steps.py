"""Steps run on a freshly built site before it replaces the old one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def english_alias(site: Path, site_url: str | None = None) -> None:
    """/en/ (the default edition's own code) leads to the default edition, which the i18n plugin builds at the root."""
    from scripts.languages import native_name
    from scripts.project import DEFAULT

    target = site / DEFAULT / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    name = native_name(DEFAULT)
    target.write_text(
        f'<!doctype html><html lang="{DEFAULT}"><meta charset="utf-8"><title>{name}</title>'
        f'<meta http-equiv="refresh" content="0; url=../"><a href="../">{name}</a></html>',
        encoding="utf-8",
    )


def optimise(site: Path, site_url: str | None = None) -> None:
    """Pruned, hashed, non-blocking CSS; CSP; unused assets removed."""
    from scripts.plugin.chrome import site_root_path
    from scripts.postbuild.optimise import optimise as run

    run(site, site_root_path(site_url))


def open_data(site: Path, site_url: str | None = None) -> None:
    """The referral directory as Open Referral HSDS 3.1: Tabular Data Package and service documents."""
    from scripts.postbuild.opendata import write_exports
    from scripts.project import COUNTRIES
    from scripts.sources.countries import load_countries

    write_exports(site, load_countries(COUNTRIES))


def offline(site: Path, site_url: str | None = None) -> None:
    """Service worker settings, per-edition offline page and manifest, and the ZIP of each edition."""
    from scripts.postbuild.offline import ZIP_LIMIT, prepare
    from scripts.project import built_editions, read_config

    built = built_editions(site)
    sizes = prepare(site, built, str(read_config().get("site_name") or "site"))
    shown = ", ".join(f"{lang} {size / 1_000_000:.2f}" for lang, size in sizes)
    print(f"    ZIP per edition (MB): {shown}", file=sys.stderr)
    too_big = [lang for lang, size in sizes if size > ZIP_LIMIT]
    if too_big:
        from scripts.findings import BuildError

        raise BuildError(f"the offline ZIP of {', '.join(too_big)} is over {ZIP_LIMIT / 1_000_000:.0f} MB: "
                         "remove large files from that edition")


def offline_manifests(site: Path, site_url: str | None = None) -> None:
    """What "Save this language" downloads, with a hash per file, and the build's version in sw.js: after the steps
    that change pages (the sizes of the ZIP and ZIM are written into them), so the hashes are of what is served."""
    from scripts.postbuild.offline import write_manifests
    from scripts.project import built_editions

    if (site / "sw.js").exists():
        print(f"    offline version {write_manifests(site, built_editions(site))}", file=sys.stderr)


def print_stylesheet(site: Path, site_url: str | None = None) -> None:
    """print.css (linked with media="print") gets a content-hashed name like the site's other assets."""
    from scripts.postbuild.pdf import fingerprint_print_css

    fingerprint_print_css(site)


def sheets(site: Path, site_url: str | None = None) -> None:
    """Each country page's printable sheet as a PDF next to it, in every language of its corridor."""
    from scripts.findings import BuildError
    from scripts.postbuild.pdf import SheetError, summary, write_sheets

    try:
        done = write_sheets(site, site_url=site_url)
    except SheetError as error:
        raise BuildError(str(error)) from None
    except OSError as error:
        raise BuildError(f"WeasyPrint cannot run ({error}): install Debian's Pango and fonts with "
                         "scripts/system-packages.sh") from None
    print("  " + summary(site, done)[-1].strip(), file=sys.stderr)


def zim(site: Path, site_url: str | None = None) -> None:
    """One ZIM file (Kiwix) per edition, linked with its size beside the ZIP (scripts/publish/zim.py)."""
    from scripts.project import built_editions, read_config
    from scripts.publish.zim import publisher, write_all

    config = read_config()
    built = built_editions(site)
    done = write_all(site, built, str(config.get("site_name")), publisher(config))
    shown = ", ".join(f"{lang} {size / 1_000_000:.2f}" for lang, _, size in done)
    print(f"    ZIM per edition (MB): {shown}", file=sys.stderr)


def host_headers(site: Path, site_url: str | None = None) -> None:
    """_headers and _redirects for the hosts that read them (scripts/publish/headers.py)."""
    from scripts.findings import BuildError
    from scripts.plugin.chrome import site_root_path
    from scripts.project import read_config
    from scripts.publish import headers

    try:
        headers.write(site, site_root_path(site_url), read_config())
    except headers.HeaderError as error:
        raise BuildError(str(error)) from None


def check_links(site: Path, site_url: str | None = None) -> None:
    """Strict builds stop on a broken internal link, naming the Markdown file and line to fix."""
    from scripts.linkcheck import links
    from scripts.project import COUNTRIES, DEFAULT, DOCS, languages

    problems = [p for p in links.check_site(site, DOCS, COUNTRIES, languages(), DEFAULT, site_url)
                if p.severity == "error"]
    if problems:
        from scripts.findings import BuildError

        lines = [problem.text() for problem in problems]
        raise BuildError("\n".join(lines) + f"\n{len(lines)} broken link(s): fix each at the file and line shown.")


# Each step gets the fresh site and its address online (`site_url`, None in a preview without one).
STEPS: list[tuple[str, Callable[[Path, str | None], None]]] = [
    ("optimising pages", optimise),
    ("print stylesheet", print_stylesheet),
    ("English alias", english_alias),
    ("open data", open_data),
    ("country sheets (PDF)", sheets),
    ("offline reading", offline),
    ("ZIM files", zim),
    ("offline manifests", offline_manifests),
    ("host headers", host_headers),
    ("checking links", check_links),
]


# What the preview (`./kb serve`) runs after each rebuild: everything a page needs to look and work right. The
# PDFs, the offline copies and the link check are left to the full build (`./kb build`, `mkdocs build`).
PREVIEW_STEPS = ("optimising pages", "print stylesheet", "English alias", "open data", "host headers")


def run_steps(site: Path, wanted: list[str] | None = None, site_url: str | None = None) -> None:
    """Run the post-build steps on a freshly built `site`, in order: all of them, or those named in `wanted`."""
    known = [name for name, _ in STEPS]
    unknown = [name for name in wanted or [] if name not in known]
    if unknown:
        raise ValueError(f"mkdocs.yml: the kb plugin's post_steps names {unknown} (known steps: {', '.join(known)})")
    for name, step in STEPS:
        if wanted is None or name in wanted:
            print(f"  {name} …", file=sys.stderr, flush=True)
            step(site, site_url)
