"""Translation workflow: source hashes, front matter errors, `./kb coverage` and `./kb new-translation`.

Each test builds a small repository in tmp_path (with or without Git history) and checks one state.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

# The repository root on sys.path, for runs of `pytest` without a shared conftest or `pythonpath` setting.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.project import ROOT
from scripts.sources.frontmatter import FrontMatterError, split
from scripts.sources.source_hash import normalised_text, source_hash
from scripts.translation import coverage, scaffold

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MKDOCS = """site_name: Test
plugins:
  - i18n:
      docs_structure: folder
      languages:
        - locale: en
          default: true
        - locale: xx
        - locale: yy
"""
KAFALA = """---
title: Kafala
summary: How sponsorship works.
audience: migrants
reviewed: 2026-11-22
sources:
  - seed: 004_853fbbc78817cbbc.txt
    section: "Recommendations"
---

# Kafala {#kafala}

Your employer must not keep your passport.

## Changing jobs {#changing-jobs}

Ask a shelter for help.
"""
GET_HELP = "---\ntitle: Get help now\nsummary: Who to call.\naudience: migrants\n---\n\n# Get help now\n\nCall for help.\n"
LB = "---\ntitle: Lebanon\nsummary: Country sheet.\naudience: migrants\n---\n\n# Lebanon\n\nRights in Lebanon.\n"
QA = "---\ntitle: Qatar\nsummary: Country sheet.\naudience: migrants\n---\n\n# Qatar\n\nRights in Qatar.\n"
STAFF = "---\ntitle: Notes\nsummary: For staff.\naudience: staff\n---\n\n# Notes\n\nCaseworker notes.\n"
PRIORITIES = """default: 2
rules:
  - {pattern: get-help.md, weight: 10}
  - {pattern: kafala.md, weight: 6}
  - {pattern: countries/*, corridor: true, weight: 5}
  - {pattern: staff/*, weight: 1}
"""
EN_LOCALE = "site:\n  name: Help\nnotice:\n  machine: Machine translation\n  outdated: Outdated\n"
XX_LOCALE = "site:\n  name: Xelp\nnotice:\n  machine: Xachine\n  old_key: gone\n"


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def translated(english: str, status: str = "draft", hash_: str | None = None, extra: str = "") -> str:
    """A translation of `english` in language xx, with its `translation:` block."""
    meta = f"translation:\n  source_hash: {hash_ or source_hash(english)}\n  status: {status}\n{extra}"
    return f"---\ntitle: X\nsummary: X.\naudience: migrants\n{meta}---\n\n# X\n\nXxx xxx.\n"


def make_repo(root: Path) -> Path:
    """English pages, an xx edition with some translations, interface strings and two countries."""
    write(root, "mkdocs.yml", MKDOCS)
    write(root, "data/translation-priorities.yml", PRIORITIES)
    write(root, "data/countries/lb.yml", "name: Lebanon\ncorridor: [xx]\n")
    write(root, "data/countries/qa.yml", "name: Qatar\ncorridor: [xx, yy]\n")
    for rel, text in {"get-help.md": GET_HELP, "kafala.md": KAFALA, "countries/lb.md": LB,
                      "countries/qa.md": QA, "staff/notes.md": STAFF}.items():
        write(root, f"docs/en/{rel}", text)
    write(root, "locales/en.yml", EN_LOCALE)
    write(root, "locales/xx.yml", XX_LOCALE)
    return root


def git(root: Path, *args: str) -> str:
    command = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"]
    return subprocess.run([*command, *args], check=True, capture_output=True, text=True).stdout


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def cli(module, root: Path, *argv: str, capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    module.configure_parser(parser)
    code = module.run(parser.parse_args([*argv, "--root", str(root)]))
    out, err = capsys.readouterr()
    return code, out, err


def states(root: Path, lang: str = "xx") -> dict[str, tuple[str, bool]]:
    report = coverage.build_report(root, [lang])
    return {e.page: (e.state, e.outdated) for e in report.languages[lang].entries}


# Source hash and front matter ----------------------------------------------------------------------


def test_whitespace_does_not_change_the_hash_but_a_word_does():
    base = source_hash(KAFALA)
    spaced = KAFALA.replace("\n\n", "\n\n\n\n").replace("passport.", "passport.   ") + "\n\n\n"
    assert source_hash(spaced) == base
    assert source_hash(KAFALA.replace("\n", "\r\n") + "\r\n\r\n") == base
    assert source_hash(KAFALA.replace("reviewed: 2026-11-22", "reviewed: 2027-01-01")) == base
    assert source_hash(unicodedata.normalize("NFD", KAFALA + "Café\n")) == source_hash(KAFALA + "Café\n")
    assert source_hash(KAFALA.replace("must not keep", "must never keep")) != base
    assert source_hash(KAFALA.replace("title: Kafala", "title: Sponsorship")) != base
    assert source_hash(KAFALA.replace("How sponsorship", "How the sponsorship")) != base
    assert normalised_text(KAFALA).startswith("title: Kafala\nsummary: How sponsorship works.\n\n# Kafala")


@pytest.mark.parametrize(("text", "line", "words"), [
    ("---\ntitle: A\nsummary: [unclosed\n---\nbody\n", 3, "not valid YAML"),
    ("---\ntitle: A\n  bad: indent\n---\n", 3, "not valid YAML"),
    ("---\n- a list\n---\nbody\n", 2, "not a mapping"),
    ("---\ntitle: A\nbody without end\n", 1, "never closed"),
])
def test_front_matter_errors_point_at_the_file_line(text, line, words):
    with pytest.raises(FrontMatterError) as caught:
        split(text, "docs/ne/kafala.md")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"docs/ne/kafala.md:{line}: ")
    assert words in str(caught.value) and "(" in str(caught.value)


def test_split_returns_body_and_its_line():
    meta, body, line = split(KAFALA)
    assert meta["title"] == "Kafala" and body.startswith("\n# Kafala") and line == 10
    assert split("# No front matter\n") == ({}, "# No front matter\n", 1)


def test_the_project_priorities_put_get_help_first():
    default, rules = coverage.load_priorities(ROOT)

    def weight(page: str, lang: str = "ne") -> float:
        return coverage.page_weight(page, lang, (default, rules), {"lb": ["ne"]})[0]

    assert weight("get-help.md") == max(float(r["weight"]) for r in rules)
    assert weight("get-help.md") > weight("kafala.md") > weight("staff/index.md")
    assert weight("countries/lb.md") > weight("countries/lb.md", "sw") == default


# States ---------------------------------------------------------------------------------------------


def test_states_without_git(tmp_path):
    root = make_repo(tmp_path)
    write(root, "docs/xx/get-help.md", translated(GET_HELP, "machine"))
    reviewed = "  reviewed_by: Ana\n  reviewed_on: 2026-11-20\n"
    write(root, "docs/xx/kafala.md", translated(KAFALA, "reviewed", extra=reviewed))
    write(root, "docs/xx/countries/lb.md", translated(LB.replace("Rights", "Old rights"), "draft"))
    write(root, "docs/xx/old-page.md", "---\ntitle: Old\n---\n\nOld words here.\n")
    assert states(root) == {
        "get-help.md": ("machine", False), "kafala.md": ("reviewed", False),
        "countries/lb.md": ("draft", True), "countries/qa.md": ("missing", False),
        "staff/notes.md": ("missing", False), "old-page.md": ("orphaned", False),
    }
    report = coverage.build_report(root, ["xx"])
    lr = report.languages["xx"]
    assert lr.count("translated")[0] == 3 and lr.count("orphaned") == (1, 4)
    assert lr.count("missing")[1] == report.english["countries/qa.md"].words + report.english["staff/notes.md"].words
    # get-help 10 + kafala 6 + half of lb 5 (outdated) over 10 + 6 + 5 + 5 + 1
    assert lr.coverage == round(100 * (10 + 6 + 2.5) / 27, 1)
    assert [e.page for e in lr.next_pages()] == ["countries/lb.md", "countries/qa.md", "staff/notes.md"]
    assert not report.all_problems()


def test_outdated_after_a_word_changes_not_after_whitespace(tmp_path):
    root = make_repo(tmp_path)
    write(root, "docs/xx/kafala.md", translated(KAFALA))
    write(root, "docs/en/kafala.md", KAFALA.replace("\n\n", "\n\n\n").replace("passport.", "passport.  "))
    assert states(root)["kafala.md"] == ("draft", False)
    write(root, "docs/en/kafala.md", KAFALA.replace("a shelter", "an organisation"))
    assert states(root)["kafala.md"] == ("draft", True)


def test_orphan_alone_is_reported_not_broken(tmp_path, capsys):
    root = make_repo(tmp_path)
    write(root, "docs/xx/gone.md", "# No front matter at all\n")
    code, out, err = cli(coverage, root, "--lang", "xx", capsys=capsys)
    assert code == 0 and "Orphaned" in out and "  docs/xx/gone.md" in out and err == ""


@pytest.mark.parametrize(("text", "line", "words"), [
    (translated(KAFALA, "finished"), 7, "translation.status 'finished' is not one of"),
    (translated(KAFALA, hash_="sha256:1234"), 6, "is not sha256:<64 hex digits>"),
    (translated(KAFALA, "reviewed"), 7, "reviewed_by is missing"),
    (translated(KAFALA, "draft", extra="  reviewed_by: Ana\n"), 8, "reviewed_by is set but status is 'draft'"),
    ("---\ntitle: X\ntranslation: [\n---\n\nX\n", 4, "not valid YAML"),
    ("---\ntitle: X\n---\n\nX\n", 1, "no `translation:` mapping"),
])
def test_broken_metadata_exits_1_with_file_and_line(tmp_path, capsys, text, line, words):
    root = make_repo(tmp_path)
    write(root, "docs/xx/kafala.md", text)
    code, _, err = cli(coverage, root, capsys=capsys)
    assert code == 1
    assert f"docs/xx/kafala.md:{line}: " in err and words in err
    assert states(root)["kafala.md"][0] == "broken"


# --diff ---------------------------------------------------------------------------------------------


@needs_git
def test_diff_shows_the_english_change_since_the_translation(tmp_path, capsys):
    root = make_repo(tmp_path)
    git(root, "init", "-q")
    commit(root, "English")
    assert cli(scaffold, root, "xx", "kafala.md", capsys=capsys)[0] == 0
    assert "source_commit: " in (root / "docs/xx/kafala.md").read_text(encoding="utf-8")
    write(root, "docs/en/kafala.md", KAFALA.replace("Ask a shelter for help.", "Ask a union for help."))
    commit(root, "English edit")
    code, out, _ = cli(coverage, root, "--diff", "kafala.md", "--lang", "xx", capsys=capsys)
    assert code == 0 and "source_commit" in out
    assert "\n-Ask a shelter for help.\n" in out and "\n+Ask a union for help.\n" in out
    assert "\n-Your employer" not in out  # unchanged lines are context, not changes
    assert states(root)["kafala.md"] == ("draft", True)


@needs_git
def test_diff_finds_the_source_by_hash_when_there_is_no_source_commit(tmp_path, capsys):
    root = make_repo(tmp_path)
    git(root, "init", "-q")
    commit(root, "English")
    write(root, "docs/en/kafala.md", KAFALA.replace("passport", "passport or phone"))
    first = commit(root, "English edit")
    write(root, "docs/xx/kafala.md", translated(KAFALA.replace("passport", "passport or phone")))
    write(root, "docs/en/kafala.md", KAFALA.replace("passport", "documents"))  # uncommitted
    code, out, _ = cli(coverage, root, "--diff", "docs/en/kafala.md", "--lang", "xx", capsys=capsys)
    assert code == 0 and first[:12] in out and "found by its source_hash" in out
    assert "\n-Your employer must not keep your passport or phone.\n" in out
    assert "\n+Your employer must not keep your documents.\n" in out


def test_diff_without_history_says_unknown_and_shows_both_hashes(tmp_path, capsys):
    root = make_repo(tmp_path)
    old = KAFALA.replace("passport", "papers")
    write(root, "docs/xx/kafala.md", translated(old))
    code, out, _ = cli(coverage, root, "--diff", "kafala", "--lang", "xx", capsys=capsys)
    assert code == 0 and "unknown" in out
    assert source_hash(old) in out and source_hash(KAFALA) in out


def test_diff_of_a_current_translation_says_up_to_date(tmp_path, capsys):
    root = make_repo(tmp_path)
    write(root, "docs/xx/kafala.md", translated(KAFALA))
    code, out, _ = cli(coverage, root, "--diff", "kafala.md", "--lang", "xx", capsys=capsys)
    assert code == 0 and "up to date" in out


# Interface strings, corridors, thresholds, formats ---------------------------------------------------


def test_interface_strings_missing_and_unused(tmp_path, capsys):
    root = make_repo(tmp_path)
    report = coverage.build_report(root)
    assert report.languages["xx"].ui_missing == ["notice.outdated"]
    assert report.languages["xx"].ui_unused == ["notice.old_key"]
    assert report.languages["yy"].ui_missing == ["notice.machine", "notice.outdated", "site.name"]
    _, out, _ = cli(coverage, root, "--lang", "xx", capsys=capsys)
    assert "missing: notice.outdated" in out and "unused:  notice.old_key" in out


def test_corridor_coverage(tmp_path):
    root = make_repo(tmp_path)
    write(root, "docs/xx/countries/lb.md", translated(LB))
    report = coverage.build_report(root)
    assert report.corridors == {"lb": ["xx"], "qa": ["xx", "yy"]}
    assert report.languages["xx"].corridor == [("lb", True), ("qa", False)]
    assert report.languages["yy"].corridor == [("qa", False)]
    weights = {e.page: e.weight for e in report.languages["yy"].entries}
    assert weights["countries/qa.md"] == 5 and weights["countries/lb.md"] == 2  # lb is not in yy's corridor


def test_fail_under(tmp_path, capsys):
    root = make_repo(tmp_path)
    write(root, "docs/xx/get-help.md", translated(GET_HELP))  # 10 of 27
    assert cli(coverage, root, "--lang", "xx", "--fail-under", "30", capsys=capsys)[0] == 0
    code, _, err = cli(coverage, root, "--lang", "xx", "--fail-under", "50", capsys=capsys)
    assert code == 1 and "below 50%: xx" in err
    assert cli(coverage, root, "--fail-under", "30", capsys=capsys)[0] == 1  # yy has 0%
    assert cli(coverage, root, "--fail-under", "130", capsys=capsys)[0] == 2


def test_usage_errors_exit_2(tmp_path, capsys):
    root = make_repo(tmp_path)
    code, _, err = cli(coverage, root, "--lang", "xy", capsys=capsys)
    assert code == 2 and "unknown language code 'xy'" in err and "xx" in err
    assert cli(coverage, root, "--lang", "en", capsys=capsys)[0] == 2
    assert cli(coverage, root, "--diff", "kafala.md", capsys=capsys)[0] == 2


def test_formats(tmp_path, capsys, monkeypatch):
    root = make_repo(tmp_path)
    write(root, "docs/xx/kafala.md", translated(KAFALA, "machine"))
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("coverage ran a process"))
    code, out, _ = cli(coverage, root, "--format", "json", capsys=capsys)
    data = json.loads(out)
    assert code == 0 and data["languages"]["xx"]["counts"]["machine"] == {"pages": 1, "words": 19}
    assert data["english"]["hashes"]["kafala.md"] == source_hash(KAFALA)
    code, out, _ = cli(coverage, root, "--format", "markdown", "--lang", "xx", capsys=capsys)
    assert "| lang | coverage |" in out and "`docs/xx/get-help.md`" in out
    code, out, _ = cli(coverage, root, capsys=capsys)
    assert "\033[" not in out and "xx    [" in out


def test_status_page(tmp_path):
    root = make_repo(tmp_path)
    write(root, "docs/xx/kafala.md", translated(KAFALA.replace("passport", "papers")))
    page = coverage.status_page_markdown(coverage.build_report(root))
    assert page.startswith("---\ntitle: Translation status\n") and "audience: staff" in page
    assert "http" not in page and "<meter" in page and "style=" not in page  # CSP forbids style attributes
    todo = page.split("{#next-xx}")[1].split("###")[0]
    lines = [line for line in todo.splitlines() if line[:1].isdigit()]
    assert lines[0].startswith("1. Translate [Get help now](../get-help.md)") and "`docs/xx/get-help.md`" in lines[0]
    assert lines[1].startswith("2. Update [Kafala](../kafala.md)") and "edit `docs/xx/kafala.md`" in lines[1]
    assert "countries/lb.md" in lines[2] and "../countries/lb.md" in lines[2]


# new-translation -------------------------------------------------------------------------------------


def test_new_translation_without_git_then_refuses_to_overwrite(tmp_path, capsys):
    root = make_repo(tmp_path)
    code, out, _ = cli(scaffold, root, "xx", "kafala", capsys=capsys)
    assert code == 0 and "docs/xx/kafala.md" in out
    text = (root / "docs/xx/kafala.md").read_text(encoding="utf-8")
    meta, body, _ = split(text)
    assert meta["title"] == "Kafala" and meta["sources"][0]["section"] == "Recommendations"
    assert meta["translation"] == {"source_hash": source_hash(KAFALA), "status": "draft"}
    assert body == split(KAFALA)[1] and "{#changing-jobs}" in body
    # Still the English text: counted as missing (a reader would get English), with the file to translate.
    assert states(root)["kafala.md"] == ("missing", False)
    code, out, _ = cli(coverage, root, "--lang", "xx", capsys=capsys)
    assert "translate" in out and "docs/xx/kafala.md" in out, out
    (root / "docs/xx/kafala.md").write_text(text.replace("Ask a shelter for help.", "Xxx xxx."), encoding="utf-8")
    assert states(root)["kafala.md"] == ("draft", False)
    (root / "docs/xx/kafala.md").write_text("mine", encoding="utf-8")
    code, _, err = cli(scaffold, root, "xx", "kafala.md", capsys=capsys)
    assert code == 1 and "already exists" in err and "coverage --diff kafala.md --lang xx" in err
    assert (root / "docs/xx/kafala.md").read_text(encoding="utf-8") == "mine"


@needs_git
def test_new_translation_records_the_commit_only_when_the_english_is_committed(tmp_path, capsys):
    root = make_repo(tmp_path)
    git(root, "init", "-q")
    head = commit(root, "English")
    assert cli(scaffold, root, "xx", "countries/lb.md", capsys=capsys)[0] == 0
    assert split((root / "docs/xx/countries/lb.md").read_text())[0]["translation"]["source_commit"] == head
    write(root, "docs/en/countries/qa.md", QA.replace("Rights", "Work"))
    assert cli(scaffold, root, "xx", "countries/qa.md", capsys=capsys)[0] == 0
    assert "source_commit" not in split((root / "docs/xx/countries/qa.md").read_text())[0]["translation"]


def test_new_translation_usage_errors(tmp_path, capsys):
    root = make_repo(tmp_path)
    code, _, err = cli(scaffold, root, "zz", "kafala.md", capsys=capsys)
    assert code == 2 and "unknown language code 'zz'" in err
    code, _, err = cli(scaffold, root, "xx", "kafla.md", capsys=capsys)
    assert code == 2 and "docs/en/kafla.md" in err and "kafala.md" in err
    assert not (root / "docs/xx").exists()


def test_core_pages_are_counted_apart(tmp_path):
    root = make_repo(tmp_path)
    write(root, "data/translation-priorities.yml", PRIORITIES.replace("weight: 10}", "weight: 10, core: true}"))
    assert coverage.build_report(root).languages["xx"].core() == (0, 1)
    write(root, "docs/xx/get-help.md", translated(GET_HELP))
    assert coverage.build_report(root).languages["xx"].core() == (1, 1)
