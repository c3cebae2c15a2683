"""One vocabulary per edition (issue 16): the glossary, `./kb check terms`, English isolated in right-to-left
pages, and coverage that sees a page still partly in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.project import DEFAULT, languages
from scripts.sources import locales, terms
from scripts.translation import coverage

ROOT = Path(__file__).resolve().parent.parent


def _tree(tmp_path: Path, page: str, data_line: str, string: str, lang: str = "ne") -> dict[str, Path]:
    """A small edition: one page, one country-data text, one interface string, and a glossary."""
    docs, countries, loc = tmp_path / "docs", tmp_path / "countries", tmp_path / "locales"
    (docs / lang).mkdir(parents=True)
    countries.mkdir()
    (loc / "glossary").mkdir(parents=True)
    (docs / lang / "get-help.md").write_text(f"---\ntitle: मद्दत\nsummary: छोटो\n---\n\n## शीर्षक {{#a}}\n\n{page}\n",
                                             encoding="utf-8")
    (countries / "qa.yml").write_text(f"code: QA\nnote:\n  en: Text.\n  {lang}: {data_line}\n", encoding="utf-8")
    (loc / f"{lang}.yml").write_text(f"site:\n  name: {string}\n", encoding="utf-8")
    (loc / "glossary" / "en.yml").write_text("terms:\n  employer: {en: employer}\n", encoding="utf-8")
    (loc / "glossary" / f"{lang}.yml").write_text("terms:\n  employer: {use: मालिक, avoid: [रोजगारदाता]}\n",
                                                   encoding="utf-8")
    return {"docs": docs, "countries": countries, "locales": loc}


def _found(tmp_path: Path, lang: str = "ne", **texts: str) -> list[str]:
    where = _tree(tmp_path, texts.get("page", "मालिकसँग कुरा गर्नुहोस्।"), texts.get("data", "मालिक।"),
                  texts.get("string", "सहायता"), lang)
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in
            terms.check(lang, where["docs"], where["countries"], where["locales"])]


def test_a_clean_edition_passes(tmp_path: Path) -> None:
    assert _found(tmp_path) == []


@pytest.mark.parametrize(("where", "text", "expected"), [
    ("page", "रोजगारदातासँग कुरा गर्नुहोस्।",
     "get-help.md:8: 'रोजगारदाता' is not the word for employer in this edition: write 'मालिक'"),
    ("data", "रोजगारदाता।", "qa.yml:4: 'रोजगारदाता' is not the word for employer"),
    ("string", "रोजगारदाता", "ne.yml:2: 'रोजगारदाता' is not the word for employer"),
    ("page", "Labour Market Regulatory Authority मा जानुहोस्।",
     "get-help.md:8: 'Labour Market Regulatory Authority' is in Latin letters"),
])
def test_each_planted_fault_is_reported_at_its_line(tmp_path: Path, where: str, text: str, expected: str) -> None:
    found = _found(tmp_path, **{where: text})
    assert any(line.startswith(expected) for line in found), found


@pytest.mark.parametrize("text", ["श्रम बजार नियामक प्राधिकरण (Labour Market Regulatory Authority) मा जानुहोस्।",
                                  "Labour Market Regulatory Authority (श्रम बजार नियामक प्राधिकरण) मा जानुहोस्।",
                                  "ILO को नियम।", "[यहाँ](https://example.org/Some Long Path) हेर्नुहोस्।"])
def test_a_glossed_name_or_a_link_target_is_not_a_fault(tmp_path: Path, text: str) -> None:
    assert _found(tmp_path, page=text) == []


def test_numbers_are_checked_against_the_languages_own_grouping(tmp_path: Path) -> None:
    found = _found(tmp_path, lang="id", page="Biaya 5,000 rupiah.", data="Rp 1.500.000.", string="Ada 2.000 orang")
    assert [line.split(": ", 1)[0] for line in found] == ["get-help.md:8"], found
    assert "5,000 reads differently in this language (it groups with '.', decimals with ','): write 5.000" in found[0]


def test_every_edition_has_a_complete_glossary() -> None:
    editions = [code for code in languages() if code != DEFAULT]
    assert terms.missing_glossaries(editions) == []
    assert len(terms.concepts()) >= 40


@pytest.mark.parametrize("lang", [code for code in languages() if code != DEFAULT])
def test_the_whole_edition_keeps_to_its_glossary(lang: str) -> None:
    problems = terms.check(lang)
    assert not problems, "\n".join(map(str, problems[:20]))


def test_an_english_fallback_is_isolated_in_a_right_to_left_edition(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_text("a:\n  b: Not known. Ask first.\n  c: Hello\n", encoding="utf-8")
    (tmp_path / "ar.yml").write_text("a:\n  c: مرحبا\n", encoding="utf-8")
    (tmp_path / "ne.yml").write_text("a:\n  c: नमस्ते\n", encoding="utf-8")
    assert locales.strings("ar", tmp_path)["a.b"] == "\u2066Not known. Ask first.\u2069"
    assert locales.strings("ar", tmp_path)["a.c"] == "مرحبا"
    assert locales.strings("ne", tmp_path)["a.b"] == "Not known. Ask first."


def test_coverage_sees_english_left_in_a_translation() -> None:
    english = ("---\ntitle: T\n---\n\n!!! summary \"In short\"\n    - You can complain in many places.\n\n"
               "One two three four five.\n")
    half = "---\ntitle: त\n---\n\n!!! summary \"छोटकरीमा\"\n    - You can complain in many places.\n\nएक दुई तीन चार।\n"
    label = "---\ntitle: त\n---\n\n!!! summary \"In short\"\n    - तपाईं उजुरी गर्न सक्नुहुन्छ।\n\nएक दुई तीन चार।\n"
    done = "---\ntitle: त\n---\n\n!!! summary \"छोटकरीमा\"\n    - तपाईं उजुरी गर्न सक्नुहुन्छ।\n\nएक दुई तीन चार।\n"
    assert coverage.english_lines_left(english, half) == ["- You can complain in many places."]
    assert coverage.english_lines_left(english, label) == ['!!! summary "In short"']
    assert coverage.english_lines_left(english, done) == []


def test_a_built_arabic_page_isolates_an_english_fallback(tmp_path: Path) -> None:
    """Plant a missing Arabic interface string, build the Arabic edition, and find the English isolated."""
    import subprocess
    import sys

    from tests.conftest import copy_repo

    repo = copy_repo(tmp_path / "repo")
    arabic = repo / "locales" / "ar.yml"
    lines = arabic.read_text(encoding="utf-8").splitlines(keepends=True)
    key = next(i for i, line in enumerate(lines) if line.startswith("  reviewed:"))  # page.reviewed
    arabic.write_text("".join(lines[:key] + lines[key + 1:]), encoding="utf-8")
    english = locales.strings("en")["page.reviewed"]
    code = "from pathlib import Path; from scripts.build import build; build(Path('out'), ('ar',), steps=[])"
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    html = (repo / "out" / "ar" / "kafala" / "index.html").read_text(encoding="utf-8")
    assert f"\u2066{english}\u2069" in html
    assert f">{english}:" not in html and f">{english}<" not in html
