"""The site's address online (`site_url`): required to publish, checked before anything is built.

Printed sheets carry a QR code and the page's address; a bare path such as `/ne/countries/qa/` is something no
phone camera can open, so a release build refuses to run without an absolute https address. The preview runs
without one and leaves the QR codes out.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from scripts.project import CONFIG, config_line, relative

ENV = "KB_SITE_URL"  # the variable mkdocs.yml's `site_url: !ENV [...]` reads (the publishing workflow sets it)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")  # `mkdocs serve` sets its own http://127.0.0.1:8000/


class AddressError(ValueError):
    """`site_url` is missing or not an address a reader's phone can open; says where to fix it."""


def problem(site_url: str | None, *, release: bool) -> str | None:
    """What is wrong with `site_url` for this kind of build, or None."""
    if not site_url:
        if not release:
            return None
        return (f"site_url is not set, so printed sheets' QR codes would hold a bare path no phone can open "
                f"(set `site_url: https://your.host/` in mkdocs.yml, or {ENV}=https://your.host/ when building)")
    parts = urlsplit(site_url)
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return None  # the preview's own address: `mkdocs serve` sets it
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        return (f"site_url {site_url!r} is not an absolute https address (write it like "
                f"`https://help.example.org/` or `https://example.github.io/project/`)")
    return None


def check(site_url: str | None, *, release: bool, config_path: Path = CONFIG) -> None:
    """Raise AddressError, naming mkdocs.yml and the line, when `site_url` will not do for this build."""
    found = problem(site_url, release=release)
    if found:
        line = config_line("site_url", path=config_path)
        raise AddressError(f"{relative(config_path)}:{line}: {found}")
