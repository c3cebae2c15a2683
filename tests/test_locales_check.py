"""Interface strings are checked before a build (issue 21): placeholders as in English, no markup, YAML that
parses; each fault is one `locales/<lang>.yml:line: what (fix)` line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts.sources import locales
from tests.conftest import ROOT, run_kb

FALLBACK = 'fallback: "هذه الصفحة غير مترجمة إلى {language} بعد. هذه هي النسخة الإنجليزية."'
PLANTS = {  # what replaces the Arabic `notice.fallback` line (line 23), and what the message says
    "missing placeholder": ('fallback: "هذه الصفحة غير مترجمة بعد."', "notice.fallback: lacks {language}"),
    "misspelt placeholder": (FALLBACK.replace("{language}", "{langauge}"),
                             "notice.fallback: lacks {language}; has {langauge} that English does not"),
    "extra placeholder": (FALLBACK.replace("بعد", "{date}"), "notice.fallback: has {date} that English does not"),
    "unpaired brace": (FALLBACK.replace("{language}", "{language"), "notice.fallback: a { or } does not pair up"),
    "markup": ('fallback: "<img src=x onerror=alert(1)> {language}"', "interface strings are plain text and '<'"),
    "quote ending an attribute": ("fallback: '{language}\" onmouseover=\"alert(1)'", "interface strings are plain text and '\"'"),
}


def _locales(tmp_path: Path, line: str | None = None) -> Path:
    folder = tmp_path / "locales"
    folder.mkdir()
    shutil.copy(ROOT / "locales" / "en.yml", folder / "en.yml")
    text = (ROOT / "locales" / "ar.yml").read_text(encoding="utf-8")
    assert f"  {FALLBACK}\n" in text
    (folder / "ar.yml").write_text(text.replace(f"  {FALLBACK}\n", f"  {line}\n") if line else text, encoding="utf-8")
    return folder


def test_the_real_locales_pass() -> None:
    assert locales.check(["ar", "fr", "my", "sw"]) == []


def test_a_copy_passes(tmp_path: Path) -> None:
    assert locales.check(["ar"], _locales(tmp_path)) == []


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_each_fault_is_one_line_in_the_locale_file(tmp_path: Path, name: str) -> None:
    line, expected = PLANTS[name]
    folder = _locales(tmp_path, line)
    problems = locales.check(["ar"], folder)
    assert len(problems) == 1 and problems[0].startswith(f"{folder / 'ar.yml'}:23: "), problems
    assert expected in problems[0], problems


def test_malformed_yaml_is_one_line(tmp_path: Path) -> None:
    folder = _locales(tmp_path, 'fallback: "unclosed')
    problems = locales.check(["ar"], folder)
    assert len(problems) == 1 and problems[0].startswith(f"{folder / 'ar.yml'}:") and "not valid YAML" in problems[0]
    assert "\n" not in problems[0]


def test_markup_in_the_site_name_stops_the_build_and_keeps_the_old_site(repo_copy: Path) -> None:
    path = repo_copy / "locales" / "ar.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: مساعدة المهاجرين وحقوقهم\n", "  name: x</title><img src=x onerror=alert(1)>\n"),
                    encoding="utf-8")
    result = run_kb(repo_copy, "build")
    assert result.returncode == 1
    assert "locales/ar.yml:5: site.name: interface strings are plain text" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (repo_copy / "site" / "previous.txt").exists() and not (repo_copy / "site" / "index.html").exists()
