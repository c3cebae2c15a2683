"""Shared fixtures: the real site, built once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every build in the tests is a release build, which needs the site's address: a reserved name (RFC 6761) that
# can never be a real host, so nothing the tests make could point a reader somewhere real.
TEST_SITE_URL = "https://migrant-rights-help.example/"
os.environ.setdefault("KB_SITE_URL", TEST_SITE_URL)
REPO_PARTS = ("docs", "data", "locales", "overrides", "scripts", "mkdocs.yml", "requirements.txt")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, all editions, built from the repository as it is.

    KB_TEST_LANGS=ar,my (a developer's shortcut while iterating) builds English and those editions only;
    tests of the other editions then fail, so CI never sets it.
    """
    from scripts.build import build

    target = tmp_path_factory.mktemp("built") / "site"
    only = tuple(filter(None, os.environ.get("KB_TEST_LANGS", "").split(",")))
    build(target, only or None)
    return target


def copy_repo(destination: Path) -> Path:
    """A throwaway copy of the repository's sources, to plant faults in."""
    for part in REPO_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
        else:
            shutil.copy2(source, destination / part)
    return destination


def run_kb(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the project's tool inside a copy of the repository."""
    return subprocess.run(
        [sys.executable, "-m", "scripts", *args], cwd=repo, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the repository with a previous site/ in place (to prove failed builds leave it alone)."""
    repo = copy_repo(tmp_path / "repo")
    (repo / "site").mkdir()
    (repo / "site" / "previous.txt").write_text("the previous site", encoding="utf-8")
    return repo


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def server(site: Path):
    """The built site served on localhost (gzip where the client asks for it, as a real host would)."""
    from scripts.dev.httpserver import start_server

    httpd, url = start_server(site, port=0)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (./kb test installs chromium when missing)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./kb test, which installs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
