"""The site itself: every edition builds, speaks its language, links to itself, and fetches nothing elsewhere."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from scripts.languages import direction
from scripts.project import DEFAULT, languages
from scripts.sources.locales import strings
from tests.conftest import run_kb


def edition_root(site: Path, lang: str) -> Path:
    return site if lang == DEFAULT else site / lang


def pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("index.html") if p.parent.name != "en" or p.parent.parent != site]


@pytest.mark.parametrize("lang", languages())
def test_every_edition_has_a_home_page_in_its_language(site: Path, lang: str) -> None:
    assert (site / lang / "index.html").exists() or lang == DEFAULT
    home = (edition_root(site, lang) / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{direction(lang)}"' in home
    kafala = (edition_root(site, lang) / "kafala" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{direction(lang)}"' in kafala


def test_english_is_also_reachable_under_its_code(site: Path) -> None:
    assert 'url=../' in (site / "en" / "index.html").read_text(encoding="utf-8")


def test_arabic_is_right_to_left(site: Path) -> None:
    assert '<html lang="ar" dir="rtl"' in (site / "ar" / "index.html").read_text(encoding="utf-8")


_HREF = re.compile(r'<a href="([^"]+)" hreflang="([^"]+)" class="md-select__link"')
_ALTERNATE = re.compile(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)"')


def test_every_language_switcher_target_exists(site: Path) -> None:
    missing = []
    checked = 0
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        targets = _HREF.findall(html) + _ALTERNATE.findall(html)
        assert targets or page.parent.name == "search", f"{page}: no language switcher"
        for href, lang in targets:
            # With site_url set, alternates are absolute (issue 24): the site's own address is the site root here.
            own = os.environ.get("KB_SITE_URL", "")
            target = (site / href[len(own):]).resolve() if own and href.startswith(own) else (page.parent / href).resolve()
            target = target / "index.html" if href.endswith("/") or target.is_dir() else target
            checked += 1
            if not target.exists():
                missing.append(f"{page.relative_to(site)} -> {href} ({lang})")
    assert checked > 1000
    assert not missing, missing[:10]


def test_switcher_leads_to_the_same_page_in_the_other_edition(site: Path) -> None:
    html = (site / "ne" / "kafala" / "index.html").read_text(encoding="utf-8")
    links = dict((lang, href) for href, lang in _HREF.findall(html))
    assert links["ar"] == "../../ar/kafala/"
    assert links["en"] == "../../kafala/"


def test_language_names_are_in_their_own_script(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    for name in ("नेपाली", "አማርኛ", "العربية", "မြန်မာ", "සිංහල"):
        assert name in html


def test_untranslated_page_says_so_in_the_edition_language(site: Path, tmp_path: Path) -> None:
    # staff pages are English-only in most editions: they are built there with a notice.
    for lang in ("ne", "ar", "sw"):
        html = (site / lang / "staff" / "four-ps" / "index.html").read_text(encoding="utf-8")
        expected = strings(lang)["notice.fallback"].split("{language}")[0].strip()
        assert 'class="kb-notice kb-notice--fallback"' in html
        assert expected[:20] in html
        assert 'href="../../../staff/four-ps/" hreflang="en"' in html


_ASSET_REFS = re.compile(
    r'(<(?:link|script|img|source|iframe|video|audio)\b[^>]*\s(?:src|href|srcset)=")((?:https?:)?//[^"]+)"', re.IGNORECASE
)
_NOT_FETCHED = re.compile(r'<link\b[^>]*\brel="(?:canonical|alternate)"')  # addresses of pages, not requests
_CSS_URL = re.compile(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)")


def test_no_asset_comes_from_another_host(site: Path) -> None:
    offenders = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            html = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(site)}: {u}" for tag, u in _ASSET_REFS.findall(html)
                          if not _NOT_FETCHED.match(tag)]
            offenders += [f"{path.relative_to(site)}: {u}" for u in _CSS_URL.findall(html)]
        elif path.suffix == ".css":
            offenders += [f"{path.relative_to(site)}: {u}" for u in _CSS_URL.findall(path.read_text(encoding="utf-8"))]
    assert not offenders, offenders[:10]


def test_each_edition_uses_only_its_own_search_index(site: Path) -> None:
    for lang in languages():
        root = edition_root(site, lang)
        indexes = list(root.glob("search-index.*.json"))
        assert len(indexes) == 1, f"{lang}: {indexes}"
        search_page = (root / "search" / "index.html").read_text(encoding="utf-8")
        assert f'data-index="../{indexes[0].name}"' in search_page
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        referenced = re.findall(r"[\w./-]*search-index[\w.]*\.json", html)
        if page.parent.name != "search":
            assert not referenced, f"{page}: references a search index before search is opened"


def test_bad_front_matter_fails_naming_the_file_and_leaves_site_alone(repo_copy: Path) -> None:
    page = repo_copy / "docs" / "en" / "kafala.md"
    page.write_text("---\ntitle: Kafala\nsummary: [unclosed\n---\nText\n", encoding="utf-8")
    result = run_kb(repo_copy, "build")
    assert result.returncode == 1
    assert "docs/en/kafala.md:3:" in result.stderr
    assert (repo_copy / "site" / "previous.txt").exists()
    assert not (repo_copy / "site" / "index.html").exists()


def test_unknown_language_code_fails_naming_the_config(repo_copy: Path) -> None:
    config = repo_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("- locale: sw", "- locale: qq"), encoding="utf-8")
    result = run_kb(repo_copy, "build")
    assert result.returncode == 1
    assert re.search(r"mkdocs\.yml:\d+: unknown language code 'qq'", result.stderr), result.stderr
    assert (repo_copy / "site" / "previous.txt").exists()


def test_translation_status_page_lists_real_gaps(site: Path) -> None:
    from scripts.translation import coverage

    page = (site / "staff" / "translation-status" / "index.html").read_text(encoding="utf-8")
    assert page.count("<meter") == len(coverage.build_report().languages)
    report = coverage.build_report()
    first_gap = next((lang, lr.next_pages()[0].page) for lang, lr in report.languages.items() if lr.next_pages())
    assert f"docs/{first_gap[0]}/{first_gap[1]}" in page


def test_a_single_edition_preview_builds(repo_copy: Path) -> None:
    # A page started with new-translation but not translated yet: English, and shown as English.
    (repo_copy / "docs" / "ne" / "privacy.md").unlink(missing_ok=True)
    assert run_kb(repo_copy, "new-translation", "ne", "privacy.md").returncode == 0
    result = run_kb(repo_copy, "build", "--lang", "ne", "--preview")
    assert result.returncode == 0, result.stderr
    assert (repo_copy / "site" / "ne" / "index.html").is_file() and not (repo_copy / "site" / "ar").exists()
    copy = (repo_copy / "site" / "ne" / "privacy" / "index.html").read_text(encoding="utf-8")
    assert 'class="kb-notice kb-notice--fallback"' in copy and '<div lang="en" dir="ltr">' in copy
    translated = (repo_copy / "site" / "ne" / "get-help" / "index.html").read_text(encoding="utf-8")
    assert "kb-notice--fallback" not in translated and '<div lang="en"' not in translated


def test_an_english_page_in_another_edition_is_found_by_its_title_not_its_english_text(site: Path) -> None:
    """Untranslated staff pages (English in every edition) are in each edition's search by title and summary; their
    English text would cost every reader of that edition bytes on opening search."""
    import json

    def docs(lang: str) -> dict[str, list[str]]:
        index = next(edition_root(site, lang).glob("search-index.*.json"))
        return {doc[0]: doc for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]}

    english, other = docs("en"), docs(next(lang for lang in languages() if lang != "en"))
    page = "staff/four-ps/"
    assert page in other and other[page][1] == english[page][1], "the English page is not in the edition's search"
    assert len(other[page][4]) < len(english[page][4]) / 3, "the whole English text is in another edition's index"
    assert other[page][2] == english[page][2], "the English page's summary is not in the edition's search"


@pytest.mark.parametrize("command", [("build",), ("build", "--preview", "--lang", "ne")])
def test_a_symlink_out_of_the_repository_stops_the_build_and_leaves_the_site_byte_identical(
        repo_copy: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    # Issue 21: a link in docs/ to a file outside the repository was followed and published. The preflight refuses
    # it (tests/test_preflight.py); this checks the whole command: one line naming the link, nothing published.
    import hashlib

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for publishing", encoding="utf-8")
    (repo_copy / "docs" / "en" / "secret.md").symlink_to(outside / "secret.txt")

    def tree(folder: Path) -> dict[str, str]:
        return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    before = tree(repo_copy / "site")
    result = run_kb(repo_copy, *command)
    assert result.returncode == 1, result.stderr
    named = [line for line in result.stderr.splitlines() if line.startswith("docs/en/secret.md:")]
    assert len(named) == 1 and "symbolic link" in named[0] and named[0].endswith(")"), result.stderr
    assert "Traceback" not in result.stderr
    assert tree(repo_copy / "site") == before
    assert not any("not for publishing" in p.read_text(errors="ignore") for p in (repo_copy / "site").rglob("*")
                   if p.is_file())
