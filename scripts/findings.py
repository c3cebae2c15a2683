"""What the tooling reports about the sources and the build: one line each, `file:line: what (fix)`.

Every module that stops a build raises BuildError or one of the errors below it; nothing imports the build
module to say so, so the pipeline has no import cycle (build -> postbuild -> build was one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class BuildError(RuntimeError):
    """The build stopped; the message says why and where."""


@dataclass(frozen=True)
class Finding:
    """One problem in one file: where, what, and how to fix it."""

    path: str
    line: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" + (f" ({self.fix})" if self.fix else "")


def no_site(site: Path) -> str | None:
    """The message for a command that reads a built site when `site` holds none, else None."""
    from scripts.project import relative

    if (Path(site) / "index.html").is_file():
        return None
    return f"{relative(site)}: no built site here (build it first: ./kb build, or mkdocs build)"
