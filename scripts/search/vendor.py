"""The vendored search engine: which files each edition's search page loads, and their record (vendor.json).

The files are copied unchanged from the npm registry's tarballs at the versions the record pins; the record
gives each one's sha256 so a test can prove the shipped copy is the published one.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from scripts.project import OVERRIDES, ROOT

RECORD = Path(__file__).with_name("vendor.json")
# The site's own search code, loaded after the engine and the edition's stemmer.
SEARCH_SCRIPT = "assets/search.js"
# A built site's engine files (content-hashed names): only the search page loads them.
ENGINE_FILE = re.compile(r"(^|/)assets/(vendor/[^/]+|search\.[0-9a-f]+)\.js$")


def record() -> dict:
    """The vendor record: packages (name, version, licence, tarball sha256, shipped files) and stemmers."""
    return json.loads(RECORD.read_text(encoding="utf-8"))


def _site_path(repo_path: str) -> str:
    """overrides/assets/vendor/x.js -> assets/vendor/x.js (where the theme copies it in the site)."""
    return (ROOT / repo_path).relative_to(OVERRIDES).as_posix()


def shipped() -> list[str]:
    """Site-relative paths of every vendored file."""
    return [_site_path(path) for package in record()["packages"] for path in package["files"]]


def edition_scripts(lang: str) -> list[str]:
    """Site-relative scripts the search page of `lang` loads, in order: lunr, the edition's stemmer when
    lunr-languages has one (English's is in lunr itself; other editions use plain words), the site's search."""
    stemmers = record()["stemmers"].get(lang, [])
    return ["assets/vendor/lunr.min.js", *(f"assets/vendor/{name}" for name in stemmers), SEARCH_SCRIPT]


def stemmed(lang: str) -> bool:
    """Whether the edition's search knows its word forms (stemmer and stop words)."""
    return lang in record()["stemmers"]


def mismatches(root: Path = ROOT) -> list[str]:
    """Shipped files (under `root`, the repository) whose content differs from the record: empty when every
    copy is the published one."""
    wrong = []
    for package in record()["packages"]:
        for path, info in package["files"].items():
            file = root / path
            digest = hashlib.sha256(file.read_bytes()).hexdigest() if file.exists() else "missing"
            if digest != info["sha256"]:
                wrong.append(f"{path}: sha256 {digest} is not {info['sha256']} ({package['name']} {package['version']})")
    return wrong
