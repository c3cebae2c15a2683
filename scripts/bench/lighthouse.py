"""Lighthouse as a peer of `./kb bench` (`--lighthouse`): the web's common audit, on the locally served site.

Lighthouse comes from npm, pinned exactly in scripts/bench/npm/package.json and package-lock.json and installed
there with `npm ci` on first use (Node 20 and npm from Debian). It drives Debian's Chromium (CHROME_PATH) with
its default mobile profile and simulated throttling. Nothing leaves the machine: the site is on localhost,
Chromium runs with its background networking off, and Lighthouse's error reporting is off.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from scripts.bench.pageload import CHROMIUM, CHROMIUM_FLAGS

FOLDER = Path(__file__).resolve().parent / "npm"  # the npm packages the tooling uses (not a Python package)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class LighthouseError(Exception):
    """Lighthouse could not be installed or run."""


def install() -> Path:
    """The pinned Lighthouse's command, installed with `npm ci` when missing."""
    command = FOLDER / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        if not shutil.which("npm"):
            raise LighthouseError("npm is missing: install Debian's nodejs and npm (apt-get install npm)")
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=FOLDER,
                              capture_output=True, text=True, check=False)
        if done.returncode or not command.exists():
            raise LighthouseError(f"npm ci in {FOLDER} failed: {done.stderr.strip().splitlines()[-1:]}")
    return command


def audit(command: Path, url: str) -> dict[str, float]:
    """The four category scores (0-100) and the layout shift Lighthouse reports for one page."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        flags = " ".join(["--headless=new", *[f for f in CHROMIUM_FLAGS if f != "--headless"]])
        done = subprocess.run(
            [str(command), url, "--quiet", "--output=json", f"--output-path={report}", f"--chrome-flags={flags}",
             f"--only-categories={','.join(CATEGORIES)}", "--no-enable-error-reporting", "--max-wait-for-load=60000"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, check=False, timeout=300)
        if done.returncode or not report.exists():
            raise LighthouseError(f"lighthouse failed on {url}: {done.stderr.strip()[-300:]}")
        result = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round((result["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    scores["cls"] = float(result["audits"]["cumulative-layout-shift"].get("numericValue") or 0)
    return scores


def table(command: Path, base_url: str, pages: list[str]) -> list[str]:
    """A Markdown table of Lighthouse's scores for each page (paths from the site root)."""
    out = ["| page | performance | accessibility | best practices | SEO | layout shift |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for path in pages:
        # Lighthouse sometimes loses its own trace (NO_NAVSTART) on a busy machine: one more try, then say so.
        try:
            s = audit(command, base_url + path)
        except LighthouseError:
            try:
                s = audit(command, base_url + path)
            except LighthouseError as error:
                out.append(f"| /{path} | {error} | | | | |")
                continue
        out.append(f"| /{path} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | "
                   f"{s['cls']:.3f} |")
    return out
