"""The project plugin's options in mkdocs.yml (`plugins: - kb: ...`), typed and checked by MkDocs itself.

Material's plugins keep their options this way; the settings were read by hand from `extra.kb` before.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

NAME = "kb"  # the plugin's name in mkdocs.yml, registered in pyproject.toml (entry point "mkdocs.plugins")


class KbConfig(base.Config):
    # Where "Quick exit" leads: a neutral site that draws no attention.
    quick_exit_url = c.Type(str, default="https://www.bbc.com/weather")
    # Where "Suggest a correction" leads (a page of the site).
    corrections_page = c.Type(str, default="staff/contribute.md")
    # HTTP headers for hosts that take them (scripts/publish/headers.py).
    headers = c.Type(dict, default={})
    # "Report a problem with this number": the publisher's one channel (email, whatsapp or sms), checked before the
    # build with mkdocs.yml:line (scripts/directory/reports.py); unset, no link is shown.
    reports = c.Optional(c.Type(dict))
    # A country needs attention when none of its listings has evidence newer than this (scripts/directory/health.py).
    directory_fresh_months = c.Type(int, default=24)
    # The post-build steps to run (scripts/postbuild/steps.py STEPS); unset runs them all (a release).
    post_steps = c.Optional(c.ListOfItems(c.Type(str)))


def raw_options(raw: dict) -> tuple[int | None, dict]:
    """The plugin's place in mkdocs.yml's `plugins` list and its options, from mkdocs.yml read as plain data (for
    commands that do not load MkDocs, such as `./kb headers`)."""
    for index, entry in enumerate(raw.get("plugins") or []):
        if entry == NAME:
            return index, {}
        if isinstance(entry, dict) and NAME in entry:
            return index, dict(entry[NAME] or {})
    return None, {}


def option_line(raw: dict, *keys: str, path: Path | None = None) -> int:
    """The line of one of the plugin's options in mkdocs.yml, for messages."""
    from scripts.project import CONFIG, config_line

    index, _ = raw_options(raw)
    return config_line("plugins", index, NAME, *keys, path=path or CONFIG) if index is not None else 1
