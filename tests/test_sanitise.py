"""Contributed translations are untrusted: forbidden HTML fails the build, naming the file and line (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.sources import content
from tests.conftest import ROOT, run_kb

CLEAN = (ROOT / "docs" / "en" / "kafala.md").read_text(encoding="utf-8")
PLANTS = {
    "script": ('<script>alert("x")</script>', "<script> is not allowed"),
    "iframe": ('<iframe src="page.html"></iframe>', "<iframe> is not allowed"),
    "object": ('<object data="x.swf"></object>', "<object> is not allowed"),
    "event handler": ('<span onclick="steal()">tap</span>', "inline event handler"),
    "javascript url in html": ('<a href="javascript:steal()">tap</a>', "javascript:"),
    "javascript url in markdown": ("[tap](javascript:steal())", "javascript:"),
    "remote image in markdown": ("![pixel](https://tracker.example/p.gif)", "must not load from another host"),
    "remote image in html": ('<img src="//tracker.example/p.gif" alt="">', "must not load from another host"),
    "remote video": ('<video src="https://cdn.example/v.mp4"></video>', "must not load from another host"),
}


def _planted(snippet: str) -> tuple[str, int]:
    lines = CLEAN.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("## "))  # after the front matter
    lines.insert(at, snippet)
    return "\n".join(lines) + "\n", at + 1


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_each_forbidden_construct_is_found_at_its_line(name: str) -> None:
    snippet, expected = PLANTS[name]
    text, line = _planted(snippet)
    problems = content.check_page(ROOT / "docs" / "ar" / "kafala.md", text)
    assert any(p.line == line and expected in p.message and p.path == "docs/ar/kafala.md" for p in problems), problems


def test_a_clean_page_has_no_finding() -> None:
    assert content.check_page(ROOT / "docs" / "en" / "kafala.md", CLEAN) == []


def test_links_to_other_sites_and_local_images_stay_allowed() -> None:
    text, _ = _planted("[ILO](https://www.ilo.org/) ![map](img/map.png) <a href=\"tel:+9611234567\">call</a>")
    assert content.check_page(ROOT / "docs" / "en" / "kafala.md", text) == []


def test_a_script_in_a_translation_stops_the_build_and_keeps_the_old_site(repo_copy: Path) -> None:
    text, line = _planted('<script src="https://evil.example/x.js"></script>')
    target = repo_copy / "docs" / "sw" / "kafala.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    result = run_kb(repo_copy, "build")
    assert result.returncode == 1
    assert f"docs/sw/kafala.md:{line}: <script> is not allowed" in result.stderr, result.stderr
    assert (repo_copy / "site" / "previous.txt").exists() and not (repo_copy / "site" / "index.html").exists()
