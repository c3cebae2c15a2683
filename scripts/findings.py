"""What the tooling reports about the sources and the build: one line each, `file:line: what (fix)`.

Every module that stops a build raises BuildError or one of the errors below it; nothing imports the build
module to say so, so the pipeline has no import cycle (build -> postbuild -> build was one).
"""

from __future__ import annotations

from dataclasses import dataclass


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
