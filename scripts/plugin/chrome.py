"""What the templates need for the site's own chrome: UI strings in the reader's language and settings.

Templates read `kb.*` only; they never compute anything themselves.
"""

from __future__ import annotations

from collections.abc import Mapping

from mkdocs.utils import get_relative_url

from scripts.languages import direction
from scripts.project import DEFAULT, edition_prefix
from scripts.search.vendor import edition_scripts


def site_root_path(site_url: str | None) -> str:
    """The site's root path on its host: the path of `site_url` ("/kb/"), or "/" when it is not set."""
    from urllib.parse import urlsplit

    return (urlsplit(site_url or "/").path or "/").rstrip("/") + "/"



def context(lang: str, page_url: str, config, options: Mapping, strings: Mapping[str, str],
            base: str | None = None) -> dict:
    """Template context for one page: strings, direction, and URLs relative to the page (or, with `base`, from
    the site's root path: the 404 page, served for a missing address at any depth). `options` are the project
    plugin's (scripts/plugin/config.py); `strings` the edition's interface strings."""
    prefix = edition_prefix(lang)

    def rel(target: str) -> str:
        if base is not None:
            return base + ("" if target == "./" else target)
        return get_relative_url(target, page_url or "")

    from scripts.languages import native_name
    from scripts.project import languages

    # Every edition by its own name, for the labelled language menu and the root's offer (see main.html).
    # The editions this build makes (a preview of one edition makes two): the i18n plugin's language links.
    alternates = {str(a.get("lang")): str(a.get("link") or "") for a in (config.extra or {}).get("alternate") or []
                  if isinstance(a, dict)}
    links = {} if base is not None else alternates  # the 404 page leads to each edition's home, not the last page's
    built = [code for code in languages() if code in alternates] or [lang]
    editions = [{"lang": code, "name": native_name(code), "dir": direction(code),
                 "url": links.get(code) or rel(edition_prefix(code)) or "./"}
                for code in built]
    return {
        "lang": lang,
        "language_name": native_name(lang),
        "editions": editions,
        "is_root": (page_url or "") in ("", "./", "index.html") and lang == DEFAULT,
        "dir": direction(lang),
        "t": strings,
        "quick_exit_url": options["quick_exit_url"],
        "home_url": rel(prefix or "./"),
        "countries_url": rel(f"{prefix}countries/"),
        "get_help_url": rel(f"{prefix}get-help/"),
        "search_url": rel(f"{prefix}search/"),
        "index_url": rel(f"{prefix}search-index.json"),
        # Loaded in this order when the reader starts to search: the engine, the edition's stemmer, the site's code.
        "search_scripts": [rel(path) for path in edition_scripts(lang)],
        "script_url": rel("assets/kb.js"),
        "listen_script_url": rel("assets/listen.js"),
        "offline_script_url": rel("assets/offline.js"),
        "worker_url": rel("sw.js"),
        "manifest_url": rel(f"{prefix}offline.json"),  # what "Save this language" fetches (postbuild/offline.py)
    }


def localise_sections(items, t) -> None:
    """Give each navigation section the name `nav.<folder>` from locales/ (MkDocs names it after its folder, in
    English, in every edition); sections without such a key keep theirs."""
    for item in items:
        children = getattr(item, "children", None)
        if not children:
            continue
        page = next((child for child in children if getattr(child, "file", None) is not None), None)
        if page is not None:
            parts = page.file.src_uri.split("/")
            folder = parts[-2] if len(parts) >= 2 else ""
            key = f"nav.{folder}"
            label = t(key)
            if label and label != key:
                item.title = label
        localise_sections(children, t)


def trim_untranslated(items, lang: str, docs) -> None:
    """In an edition other than the default, a section lists only its index page and the pages translated into the
    edition: the navigation sits in every page's first round trip, and a list of English-only pages (the staff
    section) cost every reader of the edition bytes on every page. The index page links to all of them."""
    if lang == DEFAULT:
        return
    for item in items:
        children = getattr(item, "children", None)
        if not children:
            continue
        kept = []
        for child in children:
            file = getattr(child, "file", None)
            if file is None or getattr(child, "children", None):
                kept.append(child)
                continue
            parts = file.src_uri.split("/")
            rel = "/".join(parts[1:]) if parts[0] in (lang, DEFAULT) else file.src_uri
            if rel.endswith("index.md") or (docs / lang / rel).is_file():
                kept.append(child)
        item.children[:] = kept
        trim_untranslated(kept, lang, docs)
