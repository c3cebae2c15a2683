"""The one definition of "the same English text", used to tell whether a translation is outdated.

A translation records `source_hash`, the hash of the normalised English page it was translated from.
Normalising makes whitespace-only edits invisible while any change of a word changes the hash.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from scripts.sources.frontmatter import split

# The front matter keys that are translated too, so a change to them outdates translations.
TRANSLATED_KEYS = ("title", "summary")
PREFIX = "sha256:"
HASH_PATTERN = re.compile(r"^sha256:[0-9a-f]{64}$")


def normalised_text(markdown: str, path: str | Path = "<text>") -> str:
    """Return the page text as hashed: title and summary, then the body, whitespace-normalised.

    Steps: drop the front matter except `title` and `summary`; Unicode NFC; `\\n` line endings; strip
    trailing whitespace; collapse runs of blank lines into one; strip leading and trailing blank lines.
    Raises FrontMatterError (naming `path`) when the front matter is malformed.
    """
    meta, body, _ = split(markdown, path)
    kept = [f"{key}: {' '.join(str(meta[key]).split())}" for key in TRANSLATED_KEYS if meta.get(key) is not None]
    text = "\n".join(kept) + "\n\n" + body if kept else body
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def source_hash(markdown: str, path: str | Path = "<text>") -> str:
    """Return `sha256:<64 hex>` of normalised_text(markdown)."""
    return PREFIX + hashlib.sha256(normalised_text(markdown, path).encode("utf-8")).hexdigest()


def is_valid_hash(value: object) -> bool:
    """True when `value` is a string of the form `sha256:<64 lower-case hex>`."""
    return isinstance(value, str) and bool(HASH_PATTERN.match(value))


def is_untranslated(translation: str, english_hash: str) -> bool:
    """Whether a translation file is still the English text it was started from, word for word (as
    `./kb new-translation` leaves it): then it is counted as missing and shown as English."""
    return source_hash(translation) == english_hash
