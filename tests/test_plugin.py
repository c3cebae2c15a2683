"""The tooling as a real MkDocs project (issue 17): plain `mkdocs build` gives the same site as `./kb build`, and
a rebuild in the same process shows every edit (pages, interface strings, country data)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import copy_repo

# Both sides read the same mkdocs.yml; the slow steps (PDFs, offline copies, link check) are left out here only
# to keep the test short: they run the same way on both sides.
FAST_STEPS = "[optimising pages, print stylesheet, English alias, open data]"


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(repo), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_plain_mkdocs_build_gives_the_same_site_as_kb_build(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - kb:\n", f"  - kb:\n      post_steps: {FAST_STEPS}\n", 1)
    assert "post_steps" in text
    # Three editions built (left-to-right, right-to-left, another script) keep the two builds short; the others
    # stay configured (`build: false`, the i18n plugin's own switch), so the data's language codes stay valid.
    kept = re.sub(r"(\n        - locale: (?!en\n|ar\n|ne\n)[a-z-]+\n          name: [^\n]+)", r"\1\n          build: false", text)
    assert kept.count("build: false") == 12
    config.write_text(kept, encoding="utf-8")
    plain = _run(repo, "-m", "mkdocs", "build", "--quiet", "--site-dir", "plain")
    assert plain.returncode == 0, plain.stderr[-3000:]
    kb = _run(repo, "-m", "scripts", "build", "--site-dir", "kb")
    assert kb.returncode == 0, kb.stderr[-3000:]
    assert _files(repo / "plain") == _files(repo / "kb")
    assert len(_files(repo / "kb")) > 300
    for page in ("ne/kafala/index.html", "countries/qa/index.html", "ar/get-help/index.html"):
        assert (repo / "plain" / page).read_text(encoding="utf-8") == (repo / "kb" / page).read_text(encoding="utf-8")


def test_plain_mkdocs_build_stops_on_a_source_problem_with_file_and_line(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    page = repo / "docs" / "en" / "kafala.md"
    page.write_text(page.read_text(encoding="utf-8").replace('article: "9"', 'article: "99"', 1), encoding="utf-8")
    plain = _run(repo, "-m", "mkdocs", "build", "--quiet", "--site-dir", "plain")
    assert plain.returncode != 0
    assert "docs/en/kafala.md:" in plain.stderr and "article 99" in plain.stderr
    assert "Traceback" not in plain.stderr
    assert not (repo / "plain" / "index.html").exists()


REBUILD = """
from pathlib import Path
from scripts.build import build

def edit(path, old, new):
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    assert old in text, (path, old)
    p.write_text(text.replace(old, new, 1), encoding="utf-8")

build(Path("out"), ("ne",), steps=[])
edit("locales/ne.yml", "  protects: ", "  protects: EDITED-LOCALE ")
edit("data/countries/qa.yml", "Qatar is a country of destination", "EDITED-DATA Qatar is a country of destination")
edit("docs/ne/kafala.md", "## ", "## EDITED-PAGE ")
build(Path("out"), ("ne",), steps=[])
qa = Path("out/ne/countries/qa/index.html").read_text(encoding="utf-8")
en_qa = Path("out/countries/qa/index.html").read_text(encoding="utf-8")
kafala = Path("out/ne/kafala/index.html").read_text(encoding="utf-8")
print("locale", "EDITED-LOCALE" in qa, "data", "EDITED-DATA" in en_qa, "page", "EDITED-PAGE" in kafala)
"""


def test_a_rebuild_in_the_same_process_shows_every_edit(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    done = _run(repo, "-c", REBUILD)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[-6:] == ["locale", "True", "data", "True", "page", "True"], done.stdout


def test_mkdocs_serve_also_watches_data_locales_and_theme_extensions() -> None:
    """`mkdocs serve` watches docs/ and mkdocs.yml by itself; the site is also made from these."""
    from types import SimpleNamespace

    from scripts.plugin.plugin import KbPlugin

    watched: list[str] = []
    KbPlugin().on_serve(SimpleNamespace(watch=watched.append), None, None)
    assert sorted(Path(folder).name for folder in watched) == ["data", "locales", "overrides"]
