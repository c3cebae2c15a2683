"""Contributed translations are untrusted: forbidden HTML fails the build, naming the file and line (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.sources import content, sanitise
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


# Issue 21: each of these reached the built HTML past the line-by-line patterns. (snippet, line of the snippet
# that holds the fault, what the message says)
BYPASSES = {
    "svg onload without a space": ("<svg/onload=alert(1)>", 0, "delete onload= from <svg>"),
    "reference link": ("Tap [here][k].\n\n[k]: javascript:alert(1)", 2, "javascript: URLs are not allowed"),
    "tab entity in the scheme": ("[x](java&Tab;script:alert(1))", 0, "javascript: URLs are not allowed"),
    "tag split over two lines": ("<img\nsrc=x onerror=alert(1)>", 1, "delete onerror= from <img>"),
    "image inside svg": ("<svg><image href=https://evil.example/x.png>", 0, "<image> is not allowed"),
    "ping attribute": ('<a href="https://example.org" ping="https://evil.example">x</a>', 0, "ping= is not allowed on <a>"),
    "handler from attr_list": ("Tap here\n{: onclick=\"steal()\" }", 1, "delete onclick= from <p>"),
    "data url image": ("![x](data:image/svg+xml;base64,PHN2Zz4=)", 0, "data: URLs are not allowed"),
    "comment hiding a tag": ("<!--><img src=x onerror=alert(1)>-->", 0, "an HTML comment holding markup"),
    "style loading a url": ('<span style="background:url(https://t.example/p.gif)">x</span>', 0, "style="),
}


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_each_bypass_of_the_old_patterns_is_found_at_its_line(name: str) -> None:
    snippet, offset, expected = BYPASSES[name]
    text, line = _planted(snippet)
    problems = content.check_page(ROOT / "docs" / "ar" / "kafala.md", text)
    assert [(p.line, expected in p.message) for p in problems] == [(line + offset, True)], problems


def test_markup_shown_as_code_is_not_flagged() -> None:
    text, _ = _planted("Never add `<meta http-equiv=\"refresh\">` or `<script>`:\n\n```html\n<script src=\"x.js\"></script>"
                       "\n<meta name=\"x\">\n```\n\n    <iframe src=\"x\"></iframe>\n")
    assert content.check_page(ROOT / "docs" / "en" / "kafala.md", text) == []


def test_the_same_fault_twice_is_found_at_both_lines() -> None:
    text, line = _planted("<b onclick=x>a</b>\n\ntext\n\n<b onclick=x>b</b>")
    assert [p.line for p in content.check_page(ROOT / "docs" / "ar" / "kafala.md", text)] == [line, line + 4]


def test_every_page_in_the_repository_passes() -> None:
    problems = [f"{path}:{f.line}: {f.message}" for path in sorted((ROOT / "docs").rglob("*.md"))
                for f in sanitise.findings(path.read_text(encoding="utf-8"))]
    assert problems == []


def test_an_id_used_twice_is_found_at_its_second_use() -> None:
    text, line = _planted("## Fees again {#fees}\n\nText.\n\n## Fees {#fees}")
    problems = content.check_page(ROOT / "docs" / "ar" / "kafala.md", text)
    assert [(p.line, 'id "fees" is already used' in p.message) for p in problems] == [(line + 4, True)], problems


def test_automatic_heading_ids_are_not_duplicates() -> None:
    text, _ = _planted("## Same\n\nText.\n\n## Same\n")
    assert content.check_page(ROOT / "docs" / "en" / "kafala.md", text) == []


def test_a_page_over_its_size_budget_is_refused_with_its_size() -> None:
    text = CLEAN + "\n" + ("Words of a very long page. " * 40 + "\n\n") * 200  # about 220 KB
    problems = content.check_page(ROOT / "docs" / "ar" / "kafala.md", text)
    assert [p.line for p in problems] == [1] and f"the page is {len(text.encode()) / 1000:,.0f} KB, over the 200 KB" \
        in problems[0].message, problems
