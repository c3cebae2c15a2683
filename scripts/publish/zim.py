"""One ZIM file per edition, for Kiwix (openZIM): libraries, schools, Kiwix on Android, hotspots in camps.

Each edition's pages as in its ZIP (links lead to index.html files), with what Kiwix replaces taken out: the site's
script (search, "Save this language", the service worker) and the offline controls. Kiwix searches with the
full-text index libzim writes into the file. Named after the openZIM convention,
`<project>_<language>_<selection>_<YYYY-MM>.zim`, and linked, with its size, beside the edition's ZIP.

Metadata are what Kiwix requires (openZIM's metadata list): Name, Title, Description, Language (ISO 639-3),
Creator, Publisher, Date, and a 48x48 PNG illustration, rendered from the site's own icon.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import re
import sys
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from scripts.postbuild.offline import edition_pages, file_links, manifest
from scripts.project import OVERRIDES, SITE, edition_prefix
from scripts.publish.names import slug
from scripts.search.vendor import ENGINE_FILE
from scripts.sources.locales import translator

FOLDER = "downloads"
_SCRIPT = re.compile(r'<script src="[^"]*"[^>]*></script>|<meta name="kb-worker"[^>]*>')
# The site's own markup (pagedata.offline_controls, main.html's search link), not contributed text.
_OFFLINE = re.compile(r'<div class="kb-offline".*?</div>|<p class="kb-zip">.*?</p>', re.DOTALL)
_SEARCH_LINK = re.compile(r'<a class="kb-bar__link kb-bar__search"[^>]*>.*?</a>', re.DOTALL)
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_MIME = {".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml",
         ".png": "image/png", ".json": "application/json", ".webmanifest": "application/manifest+json"}


def iso639_3(lang: str) -> str:
    """"am" -> "amh": ZIM's Language metadata is ISO 639-3 (pycountry carries the standard's table)."""
    import pycountry

    found = pycountry.languages.get(alpha_2=lang) or pycountry.languages.get(alpha_3=lang)
    if found is None or not hasattr(found, "alpha_3"):
        raise ValueError(f"mkdocs.yml: no ISO 639-3 code for the edition {lang!r} (ZIM needs one)")
    return found.alpha_3


def file_name(site_name: str, lang: str, day: dt.date) -> str:
    """openZIM's convention: migrant-rights-help_am_all_2026-12.zim."""
    return f"{slug(site_name)}_{lang}_all_{day:%Y-%m}.zim"


def zim_page(text: str) -> str:
    """A built page as Kiwix serves it: links to index.html files, no script, no offline controls."""
    return _SEARCH_LINK.sub("", _OFFLINE.sub("", _SCRIPT.sub("", file_links(text))))


def illustration(size: int = 48) -> bytes:
    """The site's icon (overrides/assets/favicon.svg) as a size x size PNG: WeasyPrint draws it, pdfium rasterises."""
    from io import BytesIO

    import pypdfium2
    from weasyprint import HTML

    svg = (OVERRIDES / "assets" / "favicon.svg").resolve().as_uri()
    document = HTML(string=f'<style>@page {{ size: {size}px {size}px; margin: 0 }} body {{ margin: 0 }}</style>'
                           f'<img src="{svg}" style="width:{size}px;height:{size}px;display:block">').write_pdf()
    page = pypdfium2.PdfDocument(document)[0]
    image = page.render(scale=size / page.get_width()).to_pil().resize((size, size)).convert("RGBA")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_zim(site: Path, lang: str, editions: tuple[str, ...], target: Path, *, site_name: str, publisher: str,
              icon: bytes, day: dt.date) -> int:
    """Write one edition's ZIM to `target`; return its size in bytes."""
    from libzim.writer import Creator, FileProvider, Hint, Item, StringProvider

    class Entry(Item):
        def __init__(self, path: str, title: str, mimetype: str, provider, front: bool) -> None:
            super().__init__()
            self.path, self.title, self.mimetype, self.provider, self.front = path, title, mimetype, provider, front

        def get_path(self) -> str:
            return self.path

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return self.mimetype

        def get_contentprovider(self):
            # A fresh provider per call: libzim may ask twice (the size, then the content), and a provider is read once.
            return self.provider()

        def get_hints(self) -> dict:
            return {Hint.FRONT_ARTICLE: self.front, Hint.COMPRESS: True}

    t = translator(lang)
    prefix = edition_prefix(lang)
    files = manifest(site, lang, editions)["files"]
    target.unlink(missing_ok=True)
    with _quiet_stdout(), Creator(str(target)).config_verbose(False).config_indexing(True, iso639_3(lang)) as creator:
        creator.set_mainpath(f"{prefix}index.html")
        for rel in files:
            path = site / (rel + "index.html" if rel.endswith("/") or rel == "" else rel)
            name = path.relative_to(site).as_posix()
            if "search-index" in name or name.endswith("/search/index.html") or ENGINE_FILE.search(name):
                continue  # Kiwix searches the ZIM's own index
            if path.suffix == ".html":
                text = path.read_text(encoding="utf-8")
                title = html.unescape(_TITLE.search(text).group(1).strip()) if _TITLE.search(text) else name
                creator.add_item(Entry(name, title, "text/html", partial(StringProvider, zim_page(text).encode("utf-8")), True))
            else:
                kind = _MIME.get(path.suffix, "application/octet-stream")
                creator.add_item(Entry(name, "", kind, partial(FileProvider, str(path)), False))
        name_field = f"{slug(site_name)}_{lang}_all"
        for key, value in (("Name", name_field), ("Title", t("site.name")[:30]), ("Description", t("site.tagline")[:80]),
                           ("Language", iso639_3(lang)), ("Creator", site_name), ("Publisher", publisher),
                           ("Date", day.isoformat()), ("Flavour", "all"), ("Scraper", "migrant-rights-help kb zim")):
            creator.add_metadata(key, value)
        creator.add_illustration(48, icon)
    return target.stat().st_size


@contextmanager
def _quiet_stdout():
    """libzim's C++ writer prints its progress to the process's stdout whatever config_verbose says; the build
    prints its own one line per step."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def write_all(site: Path, editions: tuple[str, ...], site_name: str, publisher: str,
              day: dt.date | None = None) -> list[tuple[str, Path, int]]:
    """Every edition's ZIM into site/downloads/, each linked with its size from its edition's offline section."""
    from scripts.plugin.sheet import file_size

    day = day or dt.date.today()
    icon = illustration()
    (site / FOLDER).mkdir(exist_ok=True)
    for old in (site / FOLDER).glob("*.zim"):
        old.unlink()
    done = []
    for lang in editions:
        target = site / FOLDER / file_name(site_name, lang, day)
        size = write_zim(site, lang, editions, target, site_name=site_name, publisher=publisher, icon=icon, day=day)
        done.append((lang, target, size))
        label = html.escape(translator(lang)("offline.zim", size=file_size(size, lang)))
        for page in edition_pages(site, lang, editions):
            text = page.read_text(encoding="utf-8")
            if "<span data-kb-zim></span>" in text:
                href = "../" * (len(page.relative_to(site).parts) - 1) + f"{FOLDER}/{target.name}"
                page.write_text(text.replace("<span data-kb-zim></span>", f'<span data-kb-zim><a href="{href}" '
                                             f'download="{target.name}">{label}</a></span>'), encoding="utf-8")
    return done


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: site/)")


def run(args: argparse.Namespace) -> int:
    """`kb zim`: (re)write the ZIM files of a built site."""
    from scripts.project import built_editions, no_site, read_config

    if missing := no_site(args.site):
        print(missing, file=sys.stderr)
        return 2
    config = read_config()
    editions = built_editions(args.site)
    for lang, path, size in write_all(args.site, editions, str(config.get("site_name")), publisher(config)):
        print(f"  {path.relative_to(args.site).as_posix():<52} {size / 1_000_000:6.2f} MB ({lang})")
    return 0


def publisher(config: dict) -> str:
    """Who publishes the ZIM: mkdocs.yml's `site_author`, else the site's name."""
    return str(config.get("site_author") or config.get("site_name") or "")
