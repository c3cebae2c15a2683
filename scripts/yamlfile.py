"""The one YAML reader of the tooling: ruamel.yaml, YAML 1.2, a line for every key, no key given twice.

Every YAML file people write (front matter, locales/, data/, glossaries, the search queries, mkdocs.yml as the
tooling reads it) goes through `parse` or `read`. What they give:

- plain data (dict, list, str, int, float, bool, None), so callers and jsonschema see no library types;
- YAML 1.2 meanings: `no`, `on` and `NO` (Norway) stay strings, only true/false are booleans; dates stay the text
  that was written (`2026-03-01`), as the schemas and the pages expect;
- `lines`: the 1-based file line of every key and list item, by its path (`("organizations", 0, "name")`), so a
  check can say where a value is without parsing twice;
- one `YAMLFileError` (a Finding: `file:line: what (fix)`) for syntax errors, a key given twice, or a tag
  the tooling does not know, at the line where the problem starts (an unclosed quote: where it opens).

mkdocs.yml is also read by MkDocs itself, with PyYAML; the two agree on everything mkdocs.yml holds
(tests/test_layout.py reads it both ways). `!ENV` is read as MkDocs reads it; `!!python/name:` values (a theme's
extension hooks) are not data for the tooling and read as None.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from scripts.findings import Finding

FIX = "check the indentation on this line and the one before, and quote text that contains ': ' or ' #'"


class YAMLFileError(ValueError):
    """A YAML file that cannot be read; `.finding` says where, what and the fix."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(str(finding))

    @property
    def path(self) -> str:
        return self.finding.path

    @property
    def line(self) -> int:
        return self.finding.line


@dataclass
class Parsed:
    """A parsed YAML document: its plain data and the line of every key and item."""

    data: object
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, where=()) -> int:
        """The line of the value at `where`, or of its nearest parent that has one (1 for the whole file)."""
        where = tuple(where)
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where, 1)


class _Constructor(RoundTripConstructor):
    """Dates stay the text written; `!ENV` as MkDocs reads it; other tags (`!!python/name:`) are not data."""

    def construct_as_text(self, node: ScalarNode) -> str:
        return self.construct_scalar(node)

    def construct_env(self, node):
        """`!ENV VAR` or `!ENV [VAR, OTHER, default]`: the first variable set and not empty, else the default."""
        if isinstance(node, ScalarNode):
            names, default = [self.construct_scalar(node)], None
        else:
            items = [self.construct_object(item, deep=True) for item in node.value]
            names, default = items[:-1], items[-1] if items else None
        for name in names:
            if os.environ.get(str(name)):
                return parse(os.environ[str(name)], f"${name}").data
        return default

    def construct_unknown(self, node) -> None:
        return None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_as_text)
_Constructor.add_constructor("!ENV", _Constructor.construct_env)
_Constructor.add_constructor(None, _Constructor.construct_unknown)


def _yaml() -> YAML:
    # A new reader per call: ruamel's YAML objects hold parser state, and a long-running preview must never share one.
    reader = YAML(typ="rt", pure=True)
    reader.Constructor = _Constructor
    reader.allow_duplicate_keys = False
    return reader


@lru_cache(maxsize=4096)
def _tree(text: str, environment: tuple) -> object:
    """ruamel's tree of `text`. Kept by the text itself (and, for `!ENV`, the environment it read): the same text
    always gives the same tree, so this can never go stale in a long preview, and a build that reads mkdocs.yml,
    the locales and every page's front matter many times parses each text once (pure-Python YAML costs ~2 ms a
    page). Callers get fresh plain data from it (`_plain`), never the tree itself."""
    return _yaml().load(io.StringIO(text))


def _plain(value, where: tuple, lines: dict[tuple, int], offset: int):
    """Library types to plain data, recording the line of every key and item on the way."""
    if isinstance(value, CommentedMap):
        out = {}
        for key, item in value.items():
            line = value.lc.key(key)[0] if key in value.lc.data else None
            key = _plain(key, (), {}, offset)
            if line is not None:
                lines[where + (key,)] = line + 1 + offset
            out[key] = _plain(item, where + (key,), lines, offset)
        return out
    if isinstance(value, CommentedSeq):
        out = []
        for index, item in enumerate(value):
            if index in value.lc.data:
                lines[where + (index,)] = value.lc.item(index)[0] + 1 + offset
            out.append(_plain(item, where + (index,), lines, offset))
        return out
    if isinstance(value, bool):
        return bool(value)
    for kind in (str, int, float):  # ruamel's ScalarString, ScalarInt, ScalarFloat keep their formatting
        if isinstance(value, kind):
            return kind(value)
    return value


def _duplicate(text: str) -> tuple[str, int] | None:
    """The first key given twice in one mapping and its 0-based line (composition alone does not refuse them)."""
    def walk(node) -> tuple[str, int] | None:
        if isinstance(node, MappingNode):
            seen: set = set()
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        return key.value, key.start_mark.line
                    seen.add(key.value)
                found = walk(value)
                if found:
                    return found
        elif isinstance(node, SequenceNode):
            for item in node.value:
                found = walk(item)
                if found:
                    return found
        return None

    try:
        return walk(_yaml().compose(io.StringIO(text)))
    except YAMLError:
        return None


def parse(text: str, path: str | Path = "<text>", first_line: int = 1,
          fix: str = FIX) -> Parsed:
    """Parse YAML `text` that starts on `first_line` of the file `path` (only used in messages)."""
    offset = first_line - 1
    try:
        data = _tree(text, tuple(sorted(os.environ.items())) if "!ENV" in text else ())
    except DuplicateKeyError as error:
        key, line = _duplicate(text) or ("?", error.problem_mark.line if error.problem_mark else 0)
        raise YAMLFileError(Finding(str(path), line + 1 + offset, f"`{key}` is given twice in this block",
                                    "keep one of them: YAML would silently use only one")) from None
    except MarkedYAMLError as error:
        raise YAMLFileError(_syntax_finding(error, text, str(path), offset, fix)) from None
    except YAMLError as error:
        raise YAMLFileError(Finding(str(path), first_line, f"not valid YAML: {str(error).splitlines()[0]}",
                                    fix)) from None
    lines: dict[tuple, int] = {}
    return Parsed(_plain(data, (), lines, offset), lines)


def _syntax_finding(error: MarkedYAMLError, text: str, path: str, offset: int, fix: str) -> Finding:
    mark, context = error.problem_mark, error.context_mark
    problem = (error.problem or error.context or "cannot be read").strip()
    if context is not None and (mark is None or mark.index >= len(text.rstrip())):
        # Found only at the end of the text (an unclosed quote or bracket): point where it opened.
        mark, problem = context, f"{problem}: {error.context} that starts here"
    elif context is not None and context.line != mark.line:
        problem = f"{problem}, {error.context} that starts on line {context.line + 1 + offset}"
    line = (mark.line if mark is not None else 0) + 1 + offset
    return Finding(path, line, f"not valid YAML: {problem}", fix)


def read(path: Path, name: str | None = None, fix: str = FIX) -> Parsed:
    """Read and parse a YAML file; messages name it `name` (default: the path as given)."""
    shown = name if name is not None else str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = Path(path).read_bytes()[: error.start].count(b"\n") + 1
        raise YAMLFileError(Finding(shown, line, "not UTF-8 text", "save the file as UTF-8")) from None
    return parse(text, shown, fix=fix)


def compose(text: str):
    """The node tree of `text` (start and end marks on every node), for a tool that edits around the text."""
    return _yaml().compose(io.StringIO(text))


def walk_nodes(node, visit: Callable[[object, tuple], None], where: tuple = ()) -> None:
    """Call `visit(node, path)` for every node under `node`, keys by their text, items by their index."""
    visit(node, where)
    if isinstance(node, MappingNode):
        for key, value in node.value:
            walk_nodes(value, visit, where + (key.value,))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            walk_nodes(item, visit, where + (index,))
