"""From a built page back to the file and line a person edits to fix it.

Layout rules (mkdocs-static-i18n, docs_structure: folder, use_directory_urls):
- docs/<lang>/a/b.md is built to site/<lang>/a/b/index.html; the default language is built at the site
  root (site/a/b/index.html) and, if the build also writes site/<default>/, there too;
- a page missing from an edition is built from docs/<default>/... into that edition (fallback);
- country pages countries/<cc>/ also show data from data/countries/<cc>.yml (rendered by a hook).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scripts.sources.contactlinks import digits_of, is_whatsapp

_COUNTRY = re.compile(r"^countries/([a-z]{2})/index\.html$")
# Markdown link forms: inline [text](target "title"), images, reference definitions, autolinks, raw HTML.
_INLINE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFDEF = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?")
_AUTOLINK = re.compile(r"<((?:[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]+)|(?:[^\s<>@]+@[^\s<>@]+))>")
_RAW_ATTR = re.compile(r"\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']")
_HEADING_ID = re.compile(r"\{[^}]*#([\w\-:.]+)[^}]*\}")
_PHONE_TOKEN = re.compile(r"\+?\d[\d\s().\-/]*\d|\d")
_MARKUP = re.compile(r"[*_`]|<[^>]+>")


@dataclass(frozen=True)
class PageSource:
    """Where a built page comes from."""

    edition: str
    inner: str  # path inside the edition, e.g. "kafala/index.html"
    doc_path: str | None  # path inside docs/<lang>/, e.g. "kafala.md"
    source: Path | None  # the Markdown file that was built (the default language's on fallback)
    fallback: bool
    country: str | None  # ISO code for countries/<cc>/ pages


@dataclass
class Layout:
    """The site's edition layout, read from which language folders the build wrote."""

    site_dir: Path
    docs_dir: Path
    data_dir: Path
    languages: tuple[str, ...]
    default: str
    prefixed: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.prefixed = frozenset(lang for lang in self.languages if (self.site_dir / lang).is_dir())

    def split(self, rel: str) -> tuple[str, str]:
        """(edition, path inside the edition) for a path relative to site/."""
        first, sep, rest = rel.partition("/")
        if sep and first in self.prefixed:
            return first, rest
        if not sep and first in self.prefixed:  # "fr" without the slash
            return first, ""
        return self.default, rel

    def prefix(self, edition: str) -> str:
        """URL prefix of an edition's canonical copy ('' for the default language at the root)."""
        return "" if edition == self.default else f"{edition}/"

    def page_source(self, rel: str) -> PageSource:
        """Map a built HTML file (relative to site/) to its Markdown source."""
        edition, inner = self.split(rel)
        match = _COUNTRY.match(inner)
        country = match.group(1) if match else None
        for lang in dict.fromkeys((edition, self.default)):
            for candidate in md_candidates(inner):
                path = self.docs_dir / lang / candidate
                if path.is_file():
                    return PageSource(edition, inner, candidate, path, lang != edition, country)
        return PageSource(edition, inner, None, None, False, country)

    def data_file(self, country: str | None) -> Path | None:
        """data/countries/<cc>.yml for a country page, if it exists."""
        if not country:
            return None
        path = self.data_dir / "countries" / f"{country}.yml"
        return path if path.is_file() else None


def md_candidates(inner: str) -> list[str]:
    """Markdown paths (inside docs/<lang>/) that build to `inner` (inside the edition)."""
    if inner == "index.html" or inner == "":
        return ["index.md", "README.md"]
    if inner.endswith("/index.html"):
        stem = inner[: -len("/index.html")]
        return [f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md"]
    if inner.endswith(".html"):
        return [inner[:-5] + ".md"]
    return []


def md_target_to_site(target: str, doc_path: str, edition_prefix: str) -> str | None:
    """Where a relative Markdown link target lands in site/, as '<path>#<fragment>' without index.html.

    `doc_path` is the linking file inside docs/<lang>/; the result is relative to site/ with the
    edition prefix, e.g. ('../kafala.md#x', 'help/a.md', 'ne/') -> 'ne/kafala/#x'.
    """
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("/", "//")):
        return None
    path, _, fragment = target.partition("#")
    path = unquote(path.split("?", 1)[0])
    if not path:
        url = page_url_of(doc_path)
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(doc_path), path))
        if joined.startswith(".."):
            return None
        url = page_url_of(joined) if joined.endswith(".md") else joined + ("/" if path.endswith("/") else "")
    return f"{edition_prefix}{'' if url in ('', '.') else url}#{fragment}"


def page_url_of(doc_path: str) -> str:
    """Directory URL (relative, no leading slash) of a Markdown path: 'a/b.md' -> 'a/b/', 'a/index.md' -> 'a/'."""
    stem = doc_path.removesuffix(".md")
    head, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{head}/" if head else ""
    return f"{stem}/"


@dataclass(frozen=True)
class MdLink:
    line: int
    target: str
    text: str


@dataclass(frozen=True)
class MdIndex:
    """The links and heading ids of one Markdown file, with their line numbers (1-based)."""

    lines: tuple[str, ...]
    links: tuple[MdLink, ...]
    heading_ids: dict[str, int]


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split())


def md_index(path: Path) -> MdIndex:
    """Index a Markdown file's links (inline, image, reference, autolink, raw HTML) by line. Read afresh at every
    call: it is asked only for a link found broken, and the file may have changed since the last check."""
    lines = tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())
    links: list[MdLink] = []
    headings: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        for match in _INLINE.finditer(line):
            links.append(MdLink(number, match.group(3).strip("<>"), _plain(match.group(2))))
        ref = _REFDEF.match(line)
        if ref:
            links.append(MdLink(number, ref.group(2), _plain(ref.group(1))))
        for match in _AUTOLINK.finditer(line):
            target = match.group(1)
            if "@" in target and ":" not in target:
                target = "mailto:" + target
            links.append(MdLink(number, target, match.group(1)))
        for match in _RAW_ATTR.finditer(line):
            links.append(MdLink(number, match.group(1), ""))
        for match in _HEADING_ID.finditer(line):
            headings.setdefault(match.group(1), number)
    return MdIndex(lines, tuple(links), headings)


def _pick(lines: list[int], occurrence: int) -> int | None:
    unique = list(dict.fromkeys(lines))
    return unique[min(occurrence, len(unique) - 1)] if unique else None


def find_md_line(
    index: MdIndex, href: str, resolved: str | None, text: str, doc_path: str, prefix: str, occurrence: int = 0
) -> int | None:
    """The line of the Markdown file that produced a link, or None.

    Tiers, first hit wins: the target as written equals the built href (links MkDocs leaves alone:
    absolute, external, tel:, unresolvable .md); the target resolves to the same place; the link text
    is the same; the line contains the href; the line defines the `{#id}` the href points at.
    `occurrence` is how many earlier links on the page had the same href, to tell repeats apart.
    """
    exact = [link.line for link in index.links if link.target == href]
    if exact:
        return _pick(exact, occurrence)
    if resolved is not None:
        same = [
            link.line for link in index.links if md_target_to_site(link.target, doc_path, prefix) == resolved
        ]
        if same:
            return _pick(same, occurrence)
    if text:
        plain = _plain(text)
        by_text = [link.line for link in index.links if link.text and link.text == plain]
        if by_text:
            return _pick(by_text, occurrence)
    if len(href) > 2:
        containing = [number for number, line in enumerate(index.lines, 1) if href in line]
        if containing:
            return _pick(containing, occurrence)
    fragment = href.partition("#")[2]
    if fragment and fragment in index.heading_ids:
        return index.heading_ids[fragment]
    return None


def _data_lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())


def find_data_line(path: Path, href: str) -> int | None:
    """The line of a YAML data file holding the number, address or URL that a rendered link came from."""
    lines = _data_lines(path)
    lower = href.lower()
    if lower.startswith("tel:") or is_whatsapp(href):
        digits = digits_of(href)
        if not digits:
            return None
        hits = [
            number
            for number, line in enumerate(lines, 1)
            if any(re.sub(r"\D", "", token) == digits for token in _PHONE_TOKEN.findall(line))
        ]
        if not hits:  # stored with a trunk 0 or 00 prefix, or written differently: match on the tail
            hits = [
                number
                for number, line in enumerate(lines, 1)
                if len(digits) >= 6 and digits[-6:] in re.sub(r"\D", "", line)
            ]
        keyword = ("wa.me", "whatsapp") if not lower.startswith("tel:") else ("tel", "phone", "hotline")
        preferred = [n for n in hits if any(word in lines[n - 1].lower() for word in keyword)]
        return (preferred or hits or [None])[0]
    if lower.startswith("mailto:"):
        address = unquote(href[7:].split("?", 1)[0]).lower()
        return next((n for n, line in enumerate(lines, 1) if address and address in line.lower()), None)
    bare = href.rstrip("/")
    forms = [href, bare]
    parts = urlsplit(href)
    if parts.netloc:
        forms.append(parts.netloc + parts.path.rstrip("/"))
    for form in forms:
        if len(form) < 3:
            continue
        for number, line in enumerate(lines, 1):
            if form in line:
                return number
    return None
