"""YAML front matter of Markdown pages: split it from the body, with errors that say file:line.

A page may start with a block between two `---` lines (the closing line may also be `...`, as MkDocs
accepts). Pages without that block have empty metadata. Anything else wrong with the block is a
`FrontMatterError` that points at the file line, not at the line inside the YAML snippet.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from scripts.project import relative

# libyaml when it is there: the coverage report parses every page of every edition.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """A safe loader that refuses a key given twice in one mapping: YAML would silently keep the second value.
    Also used for locales (scripts/sources/locales.py)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (keep one of them)", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


UniqueKeyLoader = _Loader
_CLOSERS = ("---", "...")


class FrontMatterError(ValueError):
    """Malformed front matter. `str()` is `path:line: message`, where message says what and how to fix."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")


def split(text: str, path: str | Path = "<text>") -> tuple[dict, str, int]:
    """Split `text` into (metadata, body, body_line); body_line is the 1-based file line the body starts on.

    `path` is only used in error messages. Raises FrontMatterError for unterminated blocks, YAML syntax
    errors and front matter that is not a mapping.
    """
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return {}, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            break
    else:
        raise FrontMatterError(
            path, 1, "front matter starts with --- but is never closed (add a line with --- after the last key)"
        )
    source = "".join(lines[1:index])
    try:
        meta = yaml.load(source, Loader=_Loader)  # a safe loader (libyaml's when available)
    except yaml.YAMLError as error:
        mark, context = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        if context is not None and (mark is None or mark.line >= index - 1):
            # Found only at the end of the block (an unclosed bracket or quote): point where it opened.
            mark, problem = context, f"{problem}, {error.context} that starts here"
        line = mark.line + 2 if mark is not None else 2  # +1 for 1-based, +1 for the opening ---
        fix = "check the indentation, and quote values that contain ': ' or ' #'"
        raise FrontMatterError(path, line, f"front matter is not valid YAML: {problem} ({fix})") from error
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
