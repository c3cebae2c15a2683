"""Advice that is safe where the reader is (issue 15): sources in plain words, articles that exist, the "What
protects you here" block on every country page, and the new pages current in every edition."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scripts.project import COUNTRIES, DEFAULT, DOCS, languages
from scripts.sources import content
from scripts.sources.frontmatter import split
from scripts.sources.source_hash import source_hash

SEED_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
DATA_PATH = re.compile(r"data/countries/[a-z]{2}\.yml")
NEW_PAGES = ("health-and-safety.md", "going-home.md", "recruitment-agencies.md", "complaints.md")
CORE_PAGES = ("index.md", "get-help.md", "rights.md", "domestic-workers.md", "kafala.md", "trafficking.md",
              "shelters.md", "browse-safely.md", "before-you-go.md", *NEW_PAGES)
EDITIONS = [code for code in languages() if code != DEFAULT]
COUNTRY_CODES = sorted(path.stem for path in COUNTRIES.glob("*.yml"))


class _Text(HTMLParser):
    """The text a reader sees: everything outside <script>, <style> and <template>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self._hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style", "template") and self._hidden > 0

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def reader_pages(site: Path) -> list[Path]:
    """Every page a migrant reads: all editions, all pages but those for staff."""
    return [p for p in site.rglob("index.html") if "staff" not in p.relative_to(site).parts]


def test_readers_never_see_a_seed_file_name_or_a_data_path(site: Path) -> None:
    shown = []
    for page in reader_pages(site):
        text = visible_text(page.read_text(encoding="utf-8"))
        for found in SEED_NAME.findall(text) + DATA_PATH.findall(text):
            shown.append(f"{page.relative_to(site)}: {found}")
    assert len(reader_pages(site)) > 400
    assert not shown, "\n".join(shown[:20])


def test_the_check_would_see_a_planted_file_name() -> None:
    planted = '<p>Source: seed 004_853fbbc78817cbbc.txt</p><script>var x="000_cde8b80f87934d06.txt"</script>'
    assert SEED_NAME.findall(visible_text(planted)) == ["004_853fbbc78817cbbc.txt"]


@pytest.mark.parametrize(("planted", "expected"), [
    ('  - instrument: "ILO Domestic Workers Convention, 2011 (No. 189)"\n    article: "71"\n',
     "article 71 of 'ILO Domestic Workers Convention, 2011 (No. 189)' does not exist: it has articles 1 to 27"),
    ('  - instrument: "ILO Domestic Workers Convention, 2011 (No. 189)"\n    article: "nine"\n',
     "is not an article number"),
    ('  - instrument: "Protocol of 2014 to the Forced Labour Convention, 1930"\n    article: "1"\n',
     "has no article count"),
])
def test_a_front_matter_article_outside_the_instrument_is_reported(planted: str, expected: str) -> None:
    path = DOCS / "en" / "kafala.md"
    text = path.read_text(encoding="utf-8").replace("sources:\n", "sources:\n" + planted, 1)
    problems = content.check_page(path, text)
    assert any(expected in p.message and p.line > 1 for p in problems), problems


def test_an_inline_article_outside_the_cited_instruments_is_reported_on_its_line() -> None:
    path = DOCS / "en" / "domestic-workers.md"
    clean = path.read_text(encoding="utf-8")
    assert not content.check_page(path, clean)
    text = clean.replace("(Article 9)", "(Article 90)", 1)
    line = text.splitlines().index(next(x for x in text.splitlines() if "(Article 90)" in x)) + 1
    problems = content.check_page(path, text)
    assert [(p.line, "Article 90 does not exist" in p.message) for p in problems] == [(line, True)], problems
    named = clean.replace("(Article 9)", "(Universal Declaration of Human Rights, Article 31)", 1)
    assert [p.message for p in content.check_page(path, named)] == [
        "Article 31 does not exist in Universal Declaration of Human Rights, 1948 "
        "(check the article number against the instrument's text)"]
    assert not content.check_page(path, clean.replace("(Article 9)", "(Universal Declaration of Human Rights, Article 30)", 1))


@pytest.mark.parametrize("lang", [DEFAULT, *EDITIONS])
def test_every_country_page_says_what_protects_the_reader_with_sources(site: Path, lang: str) -> None:
    root = site if lang == DEFAULT else site / lang
    missing = []
    for code in COUNTRY_CODES:
        html = (root / "countries" / code / "index.html").read_text(encoding="utf-8")
        block = html[html.find('id="sheet-protects"'):]
        treaties = block[block.find('<dl class="kb-rights kb-treaties">'):block.find("</dl>")]
        rows = treaties.split("<dt>")[1:]
        if len(rows) != 4:
            missing.append(f"{code}: {len(rows)} treaties shown")
        for row in rows:
            if 'class="kb-source"' not in row and "kb-treaty-unknown" not in row:
                missing.append(f"{code}: a treaty answer without its source: {visible_text(row)[:80]}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_core_page_has_a_current_machine_or_reviewed_translation(lang: str) -> None:
    problems = []
    for page in CORE_PAGES:
        english = (DOCS / "en" / page).read_text(encoding="utf-8")
        path = DOCS / lang / page
        if not path.is_file():
            problems.append(f"{page}: missing")
            continue
        meta = split(path.read_text(encoding="utf-8"))[0]
        translation = meta.get("translation") or {}
        if translation.get("source_hash") != source_hash(english):
            problems.append(f"{page}: outdated (the English changed since it was translated)")
        if translation.get("status") not in ("machine", "reviewed"):
            problems.append(f"{page}: status {translation.get('status')!r}")
        if not meta.get("sources") or not meta.get("reviewed"):
            problems.append(f"{page}: no sources or review date")
    assert not problems, "\n".join(problems)
