"""Offline reading: what the service worker and "Save this language" need, and a ZIP of each edition.

Runs on the freshly built site (after optimise.py):
- `sw.js` at the root gets the list of editions;
- each edition gets `offline.html` (its home page with the "you are offline" notice, in its language);
- the save button on each edition shows that size before anything is downloaded;
- `downloads/<site>-<lang>.zip`: the edition as files that open from file:// (links point at index.html,
  the search index is a script, the CSP allows local files), linked from the edition's home page with its size.

Last of all, once no later step changes a page (`write_manifests`): each edition's `offline.json`, the files
"Save this language" downloads with each file's content hash and size, and the build's version in `sw.js`. A
saved edition is brought up to date from it (only the files whose hash changed), and a new version of `sw.js`
makes the browser replace the worker and drop the caches of the old build.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import zipfile
from io import BytesIO
from pathlib import Path

from scripts.plugin.sheet import file_size
from scripts.project import DEFAULT, edition_prefix
from scripts.sources.locales import translator

ZIP_LIMIT = 5_000_000
_SW_VERSION = re.compile(r'var VERSION = "[^"]*";')
_ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">).*?(</article>)', re.DOTALL)
# data-kb-script(-N): a script a page loads only when asked (Listen, search), saved with the edition all the same.
_LOCAL_REF = re.compile(r'\s(?:href|src|data-kb-script(?:-\d+)?)="(?![a-z][a-z0-9+.-]*:|#|/)([^"#?]+)')
_DIR_LINK = re.compile(r'((?:href)="(?![a-z][a-z0-9+.-]*:|#|/)[^"#?]*/)(#[^"]*)?"')
_DOT_LINK = re.compile(r'(href=")(\.\.?)(#[^"]*)?"')
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_SEARCH_SCRIPT = re.compile(r'(<script src="[^"]*assets/kb\.[0-9a-f]+\.js")')
ZIP_CSP = ("default-src 'self' file:; script-src 'self' file:; style-src 'self' file: 'unsafe-inline'; "
           "img-src 'self' file: data:; connect-src 'none'; object-src 'none'; base-uri 'none'")


def edition_pages(site: Path, lang: str, editions: tuple[str, ...]) -> list[Path]:
    """The HTML pages of one edition (the default edition is the site root minus the other editions)."""
    if lang != DEFAULT:
        return sorted((site / lang).rglob("index.html"))
    # The other editions' folders, the default edition's own alias folder (/en/), downloads and open data.
    others = set(editions) | {"downloads", "data"}
    return sorted(p for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in others)


def page_url(site: Path, page: Path) -> str:
    """The directory URL of a page, relative to the site root ("" for the root, "ar/kafala/")."""
    rel = page.parent.relative_to(site).as_posix()
    return "" if rel == "." else rel + "/"


def referenced_files(site: Path, pages: list[Path]) -> set[str]:
    """Site-relative paths of the non-HTML files the pages refer to (stylesheets, scripts, icons, images)."""
    found: set[str] = set()
    for page in pages:
        for ref in _LOCAL_REF.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / ref).resolve()
            if target.is_file() and target.suffix not in (".html", ".pdf", ".zip", ".zim", ".csv", ".json"):
                found.add(target.relative_to(site.resolve()).as_posix())
    return found


def _served(site: Path, rel: str) -> Path:
    """The file a site-relative URL serves (a directory URL serves its index.html)."""
    return site / (rel + "index.html" if rel.endswith("/") or rel == "" else rel)


def manifest(site: Path, lang: str, editions: tuple[str, ...]) -> dict:
    """What "Save this language" fetches: every page, the search index and the assets; per file its content hash
    and gzip size (what it costs on the wire), and the edition's version, a hash of all of them."""
    pages = edition_pages(site, lang, editions)
    prefix = edition_prefix(lang)
    index = sorted((site / prefix).glob("search-index.*.json"))
    files = [page_url(site, p) for p in pages] + [i.relative_to(site).as_posix() for i in index]
    files += sorted(referenced_files(site, pages))
    hashes, sizes = [], []
    for rel in files:
        data = _served(site, rel).read_bytes()
        hashes.append(hashlib.sha256(data).hexdigest()[:12])
        sizes.append(len(gzip.compress(data, compresslevel=6)))
    version = hashlib.sha256("\n".join(f"{f} {h}" for f, h in zip(files, hashes, strict=True)).encode()).hexdigest()[:12]
    return {"lang": lang, "version": version, "files": files, "hashes": hashes, "sizes": sizes, "bytes": sum(sizes)}


def offline_page(home_html: str, lang: str) -> str:
    """The edition's home page with its text replaced by the offline notice."""
    t = translator(lang)
    notice = f'<h1>{html.escape(t("offline.title"))}</h1><p>{html.escape(t("offline.offline_page"))}</p>'
    page = _ARTICLE.sub(lambda m: m.group(1) + notice + m.group(2), home_html, count=1)
    return page.replace('href="#', 'href="./#')  # the table of contents still points at the home page's sections


def file_links(text: str) -> str:
    """Directory links lead to their index.html: where no web server does that (file://, a ZIM)."""
    text = _DIR_LINK.sub(lambda m: f'{m.group(1)}index.html{m.group(2) or ""}"', text)
    text = _DOT_LINK.sub(lambda m: f'{m.group(1)}{m.group(2)}/index.html{m.group(3) or ""}"', text)
    return text.replace('href=""', 'href="index.html"')


def zip_html(text: str, search_script: str | None) -> str:
    """A page rewritten to work from file://: directory links go to index.html; a local-files CSP."""
    text = file_links(text)
    text = _CSP.sub(f'<meta http-equiv="Content-Security-Policy" content="{ZIP_CSP}">', text, count=1)
    if search_script:
        text = _SEARCH_SCRIPT.sub(lambda m: f'<script src="{search_script}"></script>{m.group(1)}', text, count=1)
    return text


def build_zip(site: Path, lang: str, info: dict) -> bytes:
    """The edition as a ZIP that opens from file:// with links and search working."""
    buffer = BytesIO()
    prefix = edition_prefix(lang)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for rel in info["files"]:
            path = _served(site, rel)
            name = path.relative_to(site).as_posix()
            if path.suffix == ".html":
                depth = name.count("/")
                search = None
                if name == f"{prefix}search/index.html":
                    search = "../" * depth + f"{prefix}search-index.js"
                archive.writestr(name, zip_html(path.read_text(encoding="utf-8"), search))
            elif name.endswith(".json") and "search-index" in name:
                data = path.read_text(encoding="utf-8")
                archive.writestr(f"{prefix}search-index.js", f"window.kbSearchIndex={data};\n")
            else:
                archive.write(path, name)
        if prefix:  # a start page at the top of the ZIP
            archive.writestr("index.html", f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" '
                                           f'content="0; url={prefix}index.html"><a href="{prefix}index.html">{lang}</a>')
    return buffer.getvalue()


def _fill(path: Path, marker: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    if marker in text:
        path.write_text(text.replace(marker, value), encoding="utf-8")


def prepare(site: Path, editions: tuple[str, ...], site_name: str = "site") -> list[tuple[str, int]]:
    """Do everything above; return (lang, ZIP size) per edition. `site_name` (mkdocs.yml) names the ZIPs."""
    from scripts.publish.names import edition_zip

    sw = site / "sw.js"
    if sw.exists():
        sw.write_text(sw.read_text(encoding="utf-8").replace('"__KB_EDITIONS__"', ", ".join(
            json.dumps(e) for e in editions if e != DEFAULT)), encoding="utf-8")
    sizes = []
    (site / "downloads").mkdir(exist_ok=True)
    for lang in editions:
        prefix = edition_prefix(lang)
        t = translator(lang)
        info = manifest(site, lang, editions)
        home = site / prefix / "index.html"  # the English alias site/en/ is a redirect, not the home page
        (site / prefix / "offline.html").write_text(offline_page(home.read_text(encoding="utf-8"), lang),
                                                    encoding="utf-8")
        size_text = html.escape(t("offline.size", size=file_size(info["bytes"], lang)))
        for page in edition_pages(site, lang, editions):
            _fill(page, "<span data-kb-size></span>", f"<span data-kb-size>{size_text}</span>")
        data = build_zip(site, lang, info)
        zip_name = f"downloads/{edition_zip(site_name, lang)}"
        (site / zip_name).write_bytes(data)
        sizes.append((lang, len(data)))
        label = html.escape(t("offline.zip", size=file_size(len(data), lang)))
        for page in edition_pages(site, lang, editions):
            href = "../" * page_url(site, page).count("/") + zip_name
            _fill(page, "<span data-kb-zip></span>",
                  f'<span data-kb-zip><a href="{href}" download="{Path(zip_name).name}">{label}</a></span>')
    return sizes


def write_manifests(site: Path, editions: tuple[str, ...]) -> str:
    """Each edition's `offline.json`, from the pages as they will be served, and the build's version in `sw.js`
    (a hash of every edition's version): run after every step that changes a page. Returns the version."""
    versions = []
    for lang in editions:
        info = manifest(site, lang, editions)
        (site / edition_prefix(lang) / "offline.json").write_text(json.dumps(info, separators=(",", ":")),
                                                                  encoding="utf-8")
        versions.append(info["version"])
    version = hashlib.sha256(" ".join(versions).encode()).hexdigest()[:12]
    sw = site / "sw.js"
    if sw.exists():
        # A new build is a new sw.js: the browser installs it and its `activate` drops the old build's caches.
        # (Replaced whatever it holds, not only the template's marker: running this step again stays right.)
        text = sw.read_text(encoding="utf-8")
        sw.write_text(_SW_VERSION.sub(f'var VERSION = "{version}";', text, count=1), encoding="utf-8")
    return version
