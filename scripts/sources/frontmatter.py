"""YAML front matter of Markdown pages: split it from the body, with errors that say file:line.

A page may start with a block between two `---` lines (the closing line may also be `...`, as MkDocs
accepts). Pages without that block have empty metadata. Anything else wrong with the block is a
`FrontMatterError` that points at the file line, not at the line inside the YAML snippet.
"""

from __future__ import annotations

from pathlib import Path

from scripts.project import relative
from scripts.yamlfile import YAMLFileError, parse

_CLOSERS = ("---", "...")


class FrontMatterError(ValueError):
    """Malformed front matter. `str()` is `path:line: message`, where message says what and how to fix."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")


def _block(text: str, path: str | Path) -> tuple[list[str], int]:
    """The page's lines and the index of the line closing its front matter (0 when it has none)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return lines, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            return lines, index
    raise FrontMatterError(
        path, 1, "front matter starts with --- but is never closed (add a line with --- after the last key)"
    )


def body(text: str, path: str | Path = "<text>") -> tuple[str, int]:
    """(body, body_line) without reading the front matter's YAML: for tools that need only the text."""
    text = text.removeprefix("\ufeff")
    lines, index = _block(text, path)
    return ("".join(lines[index + 1 :]), index + 2) if index else (text, 1)


def split(text: str, path: str | Path = "<text>") -> tuple[dict, str, int]:
    """Split `text` into (metadata, body, body_line); body_line is the 1-based file line the body starts on.

    `path` is only used in error messages. Raises FrontMatterError for unterminated blocks, YAML syntax
    errors and front matter that is not a mapping.
    """
    text = text.removeprefix("\ufeff")
    lines, index = _block(text, path)
    if not index:
        return {}, text, 1
    source = "".join(lines[1:index])
    try:
        meta = parse(source, path, first_line=2,
                     fix="check the indentation, and quote values that contain ': ' or ' #'").data
    except YAMLFileError as error:
        raise FrontMatterError(path, error.line, f"front matter: {error.finding.message} ({error.finding.fix})") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(
            path, 2, f"front matter is a {type(meta).__name__}, not a mapping (write it as `key: value` lines)"
        )
    return meta, "".join(lines[index + 1 :]), index + 2


def read(path: Path, name: str | None = None) -> tuple[dict, str, int]:
    """Read a page and split it; errors name the file as `name` (default: relative to the repository)."""
    text = Path(path).read_text(encoding="utf-8")
    return split(text, name if name is not None else relative(Path(path)))
