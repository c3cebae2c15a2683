"""Plain-language measures for the pages written for migrants: how long their sentences are.

Readers may have little schooling in the page's language and read on a small screen, so the house rule is an
average under 15 words per sentence on migrant pages. Word counting works for scripts without spaces too:
it counts what `coverage.count_words` counts (scripts/sources/words.py).
"""

from __future__ import annotations

import re

from scripts.sources.frontmatter import split
from scripts.sources.words import WORD as _WORD

_BLOCK_NOISE = re.compile(r"^\s*(?:!!!.*|#+\s|[-*+]\s|\d+\.\s|\||<!--)", re.M)
_MARKUP = re.compile(r"\{[^}\n]*\}|\]\([^)\n]*\)|<[^>\n]+>|[*_`\[\]]")
_SENTENCE_END = re.compile(r"(?<=[.!?։።۔।။。])\s+|\n\s*\n")


def sentences(markdown: str) -> list[str]:
    """The sentences of a page's prose: paragraphs and list items, without headings, markup or front matter."""
    _, body, _ = split(markdown)
    lines = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "!!!", "|", "<!--")):
            lines.append("")
            continue
        lines.append(re.sub(r"^(?:[-*+]|\d+\.)\s+", "", stripped))
    text = _MARKUP.sub("", "\n".join(lines))
    # A list item or line without a full stop is a sentence of its own.
    parts = [p for chunk in text.split("\n") for p in _SENTENCE_END.split(chunk)]
    return [p.strip() for p in parts if _WORD.search(p)]


def average_sentence_words(markdown: str) -> float:
    """Mean words per sentence (0 for a page without prose)."""
    found = sentences(markdown)
    return sum(len(_WORD.findall(s)) for s in found) / len(found) if found else 0.0
