"""Open data: each country's referral directory as HSDS 3.0 JSON and as CSV, for other organisations to reuse.

The files are language-neutral, so they are written once, at `data/<cc>.json` and `data/<cc>.csv` in the
site root, and every edition's country page links to the same two files with their sizes.
"""

from __future__ import annotations

import json
from pathlib import Path

from scripts.hsds import to_csv, to_hsds

FOLDER = "data"  # inside the built site


def exports(country: dict) -> dict[str, bytes]:
    """The export files of one country: {"<cc>.json": ..., "<cc>.csv": ...}."""
    code = str(country["code"]).lower()
    document = json.dumps(to_hsds(country), ensure_ascii=False, indent=1, sort_keys=True, default=str)
    return {f"{code}.json": document.encode("utf-8") + b"\n", f"{code}.csv": to_csv(country).encode("utf-8")}


def site_path(name: str) -> str:
    """Where an export file lives, relative to the site root."""
    return f"{FOLDER}/{name}"


def write_exports(site: Path, countries: dict[str, dict]) -> int:
    """Write every country's exports into `site`; return how many files were written."""
    folder = site / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for country in countries.values():
        for name, content in exports(country).items():
            (folder / name).write_bytes(content)
            written += 1
    return written
