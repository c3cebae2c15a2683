"""Make every built page cheap to load on a slow, paid-per-megabyte connection.

- One stylesheet with only the rules the site uses, named by its content hash (cached for good); the part
  needed for the first paint is inlined, the rest loads after the content, so the first round trip paints.
- Scripts and search indexes also get content-hashed names; unused theme assets are deleted.
- A Content-Security-Policy allowing only the site's own origin (plus the hash of the inline style);
  inline scripts are removed (the site's one script is a file).
Works on the HTML output, not on theme templates, so a change of theme keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scripts.languages import direction
from scripts.postbuild import cssprune
from scripts.project import OVERRIDES

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/?>\s*')
_INLINE_SCRIPT = re.compile(r"<script>.*?</script>\s*", re.DOTALL)
_HTML_TAG = re.compile(r'<html lang="([^"]+)"')
_BETWEEN_TAGS = re.compile(r">\s+<")
_PRE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.DOTALL)

SITE_CSS = "assets/site.{hash}.css"
# The site's scripts, each renamed by its content hash: kb.js on every page, listen.js when Listen is first tapped,
# search.js (and the vendored engine, scripts/search/vendor.py) when the reader starts to search, offline.js when
# she saves an edition or opens a page of one she saved.
SCRIPTS = ("assets/kb.js", "assets/listen.js", "assets/search.js", "assets/offline.js")
# Classes only a script sets (the pages never carry them), kept by the CSS pruning.
SCRIPT_CLASSES = ("kb-listen-now", "kb-listen--on")


def content_hash(data: bytes) -> str:
    """Short content hash for file names."""
    return hashlib.sha256(data).hexdigest()[:10]


def html_files(site: Path) -> list[Path]:
    """Every HTML page of the built site."""
    return sorted(site.rglob("*.html"))


def root_prefix(site: Path, page: Path) -> str:
    """Relative path from a page to the site root ('' at the root, '../' one level down)."""
    depth = len(page.relative_to(site).parts) - 1
    return "../" * depth


def fingerprint(site: Path, rel: str) -> str:
    """Rename `site/rel` to a content-hashed name; return the new relative path."""
    path = site / rel
    data = path.read_bytes()
    new = path.with_name(f"{path.stem}.{content_hash(data)}{path.suffix}")
    path.rename(new)
    return new.relative_to(site).as_posix()


def csp(style_hash: str) -> str:
    """The Content-Security-Policy of every page: own origin only."""
    return (
        "default-src 'self'; script-src 'self'; "
        f"style-src 'self' 'sha256-{style_hash}'; img-src 'self' data:; "
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'"
    )


def rewrite(html: str, prefix: str, critical_css: str, css_rel: str, scripts: dict[str, str], policy: str) -> str:
    """Apply the page-level changes to one page's HTML (`scripts`: each script's path and its hashed name)."""
    html = _STYLESHEET.sub("", html)
    html = _INLINE_SCRIPT.sub("", html)
    for plain, hashed in scripts.items():
        html = html.replace(f'="{prefix}{plain}"', f'="{prefix}{hashed}"')
    html = html.replace(
        '<meta charset="utf-8">',
        f'<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{policy}">',
        1,
    )
    match = _HTML_TAG.search(html)
    if match:
        html = html.replace(match.group(0), f'{match.group(0)} dir="{direction(match.group(1))}"', 1)
    html = html.replace("</head>", f"<style>{critical_css}</style></head>", 1)
    html = html.replace("</body>", f'<link rel="stylesheet" href="{prefix}{css_rel}"></body>', 1)
    return collapse_whitespace(html)


def collapse_whitespace(html: str) -> str:
    """Drop whitespace-only runs between tags (not inside <pre> or <textarea>)."""
    parts = _PRE.split(html)
    return "".join(part if index % 2 else _BETWEEN_TAGS.sub("> <", part) for index, part in enumerate(parts))


def _rewrite_file(args: tuple[str, str, dict[str, tuple[str, str]], str, dict[str, str], str]) -> None:
    path, site, by_direction, css_rel, scripts, root = args
    page = Path(path)
    html = page.read_text(encoding="utf-8")
    match = _HTML_TAG.search(html)
    critical_css, policy = by_direction[direction(match.group(1)) if match else "ltr"]
    # The 404 pages (the site's and each edition's) are served for missing addresses at any depth: their assets
    # start from the site's root path.
    prefix = root if page.name == "404.html" and len(page.relative_to(site).parts) <= 2 else root_prefix(Path(site), page)
    page.write_text(rewrite(html, prefix, critical_css, css_rel, scripts, policy), encoding="utf-8")


def theme_stylesheets(site: Path, page: Path) -> list[Path]:
    """The stylesheets a page links to (the theme's), resolved to files."""
    html = page.read_text(encoding="utf-8")
    return [(page.parent / href).resolve() for href in _STYLESHEET.findall(html)]


def optimise(site: Path, root: str = "/") -> None:
    """Rewrite the built site in place (see module docstring). `root` is the site's path on its host."""
    pages = html_files(site)
    sample = next(p for p in pages if p.name == "index.html")
    css = "".join(path.read_text(encoding="utf-8") for path in theme_stylesheets(site, sample))
    css += (OVERRIDES / "assets" / "kb.css").read_text(encoding="utf-8")
    used = cssprune.tokens((p.read_text(encoding="utf-8") for p in pages), SCRIPT_CLASSES)
    pruned = cssprune.prune(css, used)
    critical_css = cssprune.critical(pruned)
    # A left-to-right page's first paint needs no right-to-left rules (the full stylesheet, a moment later, has
    # them all): about 300 bytes less in every such page's first round trip. Right-to-left pages keep everything,
    # since their phone numbers and Latin names sit in dir="ltr" spans.
    by_direction = {}
    for way, css_text in (("ltr", cssprune.without_direction(critical_css, "rtl")), ("rtl", critical_css)):
        digest = base64.b64encode(hashlib.sha256(css_text.encode()).digest()).decode()
        by_direction[way] = (css_text, csp(digest))
    css_rel = SITE_CSS.format(hash=content_hash(pruned.encode()))
    (site / css_rel).write_text(pruned, encoding="utf-8")
    from scripts.search.vendor import shipped

    scripts = {rel: fingerprint(site, rel) for rel in (*SCRIPTS, *shipped()) if (site / rel).exists()}
    jobs = [(str(p), str(site), by_direction, css_rel, scripts, root) for p in pages]
    workers = min(2, os.cpu_count() or 1)
    if workers > 1 and len(jobs) > 50:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_rewrite_file, jobs, chunksize=16))
    else:
        for job in jobs:
            _rewrite_file(job)
    fingerprint_search_indexes(site)
    prune_assets(site)


def fingerprint_search_indexes(site: Path) -> None:
    """Give each edition's search index a hashed name and point its search page at it."""
    for index in site.rglob("search-index.json"):
        new_rel = fingerprint(site, index.relative_to(site).as_posix())
        search_page = index.parent / "search" / "index.html"
        if search_page.exists():
            html = search_page.read_text(encoding="utf-8")
            search_page.write_text(html.replace("search-index.json", Path(new_rel).name), encoding="utf-8")


def prune_assets(site: Path) -> None:
    """Delete theme assets that no page refers to, directly or through a stylesheet or script it loads."""
    names = re.compile(r"[-\w.]+\.\w+")
    referenced: set[str] = set()
    for page in site.rglob("*.html"):
        referenced.update(names.findall(page.read_text(encoding="utf-8")))
    assets = [path for path in (site / "assets").rglob("*") if path.is_file()]
    for path in assets:
        if path.name in referenced and path.suffix in (".css", ".js"):
            referenced.update(names.findall(path.read_text(encoding="utf-8", errors="ignore")))
    for path in sorted((site / "assets").rglob("*"), reverse=True):
        if path.is_file() and path.name not in referenced:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        sitemap = site / name
        # Without site_url the sitemap holds "None/..." addresses: worse than none.
        if sitemap.exists() and (name.endswith(".gz") or "<loc>None" in sitemap.read_text(encoding="utf-8")):
            sitemap.unlink()
