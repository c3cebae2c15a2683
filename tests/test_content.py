"""The English knowledge base: complete front matter, real sources, stable ids, plain language (issue 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.sources import content
from scripts.sources.frontmatter import split
from scripts.sources.readability import average_sentence_words, sentences

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "docs" / "en"
SEEDS = ROOT.parent / "shared" / "seeds"
PAGES = sorted(p for p in ENGLISH.rglob("*.md") if not split(p.read_text(encoding="utf-8"))[0].get("kb_chrome"))
REQUIRED_PAGES = ["index.md", "get-help.md", "rights.md", "domestic-workers.md", "kafala.md", "shelters.md",
                  "trafficking.md", "before-you-go.md", "about.md", "staff/needs-first.md", "staff/four-ps.md",
                  "staff/shelter-checklist.md", "staff/regional-findings.md", "staff/country-sheets.md",
                  "staff/contribute.md"]
MIGRANT_PAGES = [p for p in PAGES if split(p.read_text(encoding="utf-8"))[0].get("audience") == "migrants"]


def _meta(path: Path) -> dict:
    return split(path.read_text(encoding="utf-8"))[0]


def _id(path: Path) -> str:
    return str(path.relative_to(ENGLISH))


@pytest.mark.parametrize("page", REQUIRED_PAGES)
def test_every_page_the_issue_names_exists(page: str) -> None:
    assert (ENGLISH / page).is_file()


def test_every_english_page_passes_the_content_check() -> None:
    problems = [p for path in PAGES for p in content.check_page(path, path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("field", content.REQUIRED)
def test_a_missing_front_matter_field_is_reported(field: str) -> None:
    text = (ENGLISH / "kafala.md").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith((" ", "\t")):
        end += 1  # a list or mapping value continues on indented lines
    planted = "".join(lines[:start] + lines[end:])
    problems = content.check_page(ENGLISH / "kafala.md", planted)
    assert any(f"lacks `{field}`" in p.message for p in problems), problems


@pytest.mark.parametrize(("source", "expected"), [
    ("  - seed: 999_nothing.txt\n    section: Intro\n", "not listed in data/sources.yml"),
    ('  - instrument: "Made-up Convention, 2031"\n', "instrument 'Made-up Convention, 2031' is not listed"),
    ("  - data: data/countries/xx.yml\n", "does not exist"),
])
def test_a_source_that_points_at_nothing_is_reported(source: str, expected: str) -> None:
    text = (ENGLISH / "kafala.md").read_text(encoding="utf-8").replace("sources:\n", "sources:\n" + source, 1)
    problems = content.check_page(ENGLISH / "kafala.md", text)
    assert any(expected in p.message and p.line > 1 for p in problems), problems


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents (../shared/seeds) are not beside the checkout")
@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_cited_seed_sections_exist_in_the_seed(path: Path) -> None:
    def norm(text: str) -> str:
        return re.sub(r"\W+", " ", text).lower().strip()

    for source in _meta(path).get("sources") or []:
        if isinstance(source, dict) and "seed" in source:
            seed = SEEDS / source["seed"]
            assert seed.is_file(), f"{_id(path)} cites {source['seed']}, which is not in ../shared/seeds"
            if source.get("section"):
                assert norm(source["section"]) in norm(seed.read_text(encoding="utf-8", errors="replace")), (
                    f"{_id(path)}: section {source['section']!r} is not in {source['seed']}")


@pytest.mark.parametrize("path", MIGRANT_PAGES, ids=_id)
def test_migrant_pages_have_a_summary_and_stable_heading_ids(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    meta, body, _ = split(text)
    assert str(meta.get("summary") or "").strip(), "summary is empty"
    assert '!!! summary "In short"' in body, "the 3-line summary box is missing"
    headings = [line for line in body.splitlines() if re.match(r"#{2,6}\s", line)]
    without_id = [h for h in headings if not re.search(r"\{[^}]*#[-a-z0-9]+[^}]*\}\s*$", h)]
    assert not without_id, f"headings without a stable {{#id}}: {without_id}"


@pytest.mark.parametrize("path", [p for p in MIGRANT_PAGES if len(sentences(p.read_text(encoding="utf-8"))) >= 10],
                         ids=_id)
def test_migrant_pages_use_short_sentences(path: Path) -> None:
    average = average_sentence_words(path.read_text(encoding="utf-8"))
    assert average < 15, f"{_id(path)}: {average:.1f} words per sentence on average (aim for under 15)"


def test_the_readability_measure_catches_long_sentences() -> None:
    long = "---\ntitle: t\n---\n\n" + " ".join(["word"] * 30) + ". " + " ".join(["more"] * 20) + ".\n"
    assert average_sentence_words(long) == 25
    assert average_sentence_words("---\ntitle: t\n---\n\n- Short one.\n- Short two.\n") == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("तपाईंको पासपोर्ट खोसिएको छ।", 4),     # Devanagari: vowel signs are part of the word
    ("আপনার পাসপোর্ট আপনার।", 3),           # Bengali
    ("ඔබේ වීසාව රඳා පවතී.", 4),             # Sinhala
    ("ሊባኖስ በዋናነት ከእስያ፣ በጥቂቱ።", 4),      # Ethiopic, with its own comma and full stop
    ("Don't sign: well-paid work, 24 hours.", 6),
])
def test_words_are_counted_whole_in_every_script(text: str, expected: int) -> None:
    from scripts.sources import words

    assert words.count(text) == expected
