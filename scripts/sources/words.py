"""What counts as a word, in every script the site is written in (coverage counts, sentence lengths).

Python's `\\w` leaves out combining marks, so "तपाईंको" would be four words: a word here runs on through
marks (and any letter), and ends at a space or punctuation. Scripts written without spaces (Thai, Burmese)
count a phrase as one word; segmenting them would need ICU, and nothing here needs their exact count.
"""

from __future__ import annotations

import re

# Punctuation that ends a word: ASCII, Latin-1, general and CJK punctuation, and the danda, Burmese, Ethiopic
# and Arabic marks. Apostrophes and hyphens inside a word keep it whole ("don't", "well-paid").
_STOP = r"\s!-/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\u0964\u0965\u104a\u104b\u1361-\u1368\u060c\u061b\u061f"
WORD = re.compile(rf"[^\W_][^{_STOP}]*(?:['’-][^\W_][^{_STOP}]*)*")


# What is not prose in a Markdown line: link targets, attribute lists, inline code, tags, web and e-mail addresses,
# an admonition's keyword.
NOT_PROSE = re.compile(r"\]\([^)]*\)|\{[^}]*\}|`[^`]*`|<[^>]+>|https?://\S+|[\w.+-]+@[\w.-]+|!!! \w+")


def prose(markdown_line: str) -> str:
    """The words a reader sees in one line of Markdown (the rest blanked out)."""
    return NOT_PROSE.sub(" ", markdown_line)


def count(text: str) -> int:
    """The number of words in plain text."""
    return len(WORD.findall(text))
