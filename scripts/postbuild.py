"""Steps run on a freshly built site before it replaces the old one."""

from __future__ import annotations

from pathlib import Path
from typing import Callable


def english_alias(site: Path) -> None:
    """/en/ leads to the English edition, which the i18n plugin builds at the site root."""
    target = site / "en" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>English</title>'
        '<meta http-equiv="refresh" content="0; url=../"><a href="../">English</a></html>',
        encoding="utf-8",
    )


def optimise(site: Path) -> None:
    """Pruned, hashed, non-blocking CSS; CSP; unused assets removed."""
    from scripts.optimise import optimise as run

    run(site)


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("optimising pages", optimise),
    ("English alias", english_alias),
]
