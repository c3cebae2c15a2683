"""Contributed Markdown is untrusted: refuse scripts, frames, event handlers and anything from another host.

A pull request in any language could add a script or a tracking pixel; the build stops and names the file and
line instead. Our own generated HTML is added after this check and is not affected.
"""

from __future__ import annotations

import re
from typing import NamedTuple

FORBIDDEN_TAGS = ("script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "meta", "link", "style")
MEDIA_TAGS = ("img", "audio", "video", "source", "track", "picture", "input")

_TAG = re.compile(r"<\s*(" + "|".join(FORBIDDEN_TAGS) + r")\b", re.IGNORECASE)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
_JS_URL = re.compile(
    r"(?:href|src|action|formaction|xlink:href)\s*=\s*['\"]?\s*(?:javascript|vbscript|data):"
    r"|\]\(\s*<?\s*(?:javascript|vbscript|data):",
    re.IGNORECASE,
)
_REMOTE_HTML_MEDIA = re.compile(
    r"<\s*(?:" + "|".join(MEDIA_TAGS) + r")\b[^>]*\s(?:src|srcset|poster)\s*=\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE
)
_REMOTE_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?\s*(?:https?:)?//", re.IGNORECASE)
_REMOTE_CSS = re.compile(r"url\(\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE)


class Finding(NamedTuple):
    """One forbidden construct: where it is and what to do."""

    line: int
    message: str


RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_TAG, "<{match}> is not allowed in content (scripts, frames, forms and embedded objects are removed from "
           "contributions); delete it"),
    (_HANDLER, "inline event handler attributes (on...=) are not allowed; delete the attribute"),
    (_JS_URL, "javascript:, vbscript: and data: URLs are not allowed; link to a page or an https address instead"),
    (_REMOTE_HTML_MEDIA, "images and media must not load from another host (it would tell that host who reads this "
                         "page); add the file under docs/ and link to it"),
    (_REMOTE_MD_IMAGE, "images must not load from another host (it would tell that host who reads this page); add the "
                       "file under docs/ and link to it"),
    (_REMOTE_CSS, "styles must not load anything from another host; remove the url()"),
)


def findings(text: str) -> list[Finding]:
    """Every forbidden construct in a Markdown text, with its 1-based line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, message in RULES:
            match = pattern.search(line)
            if match:
                found.append(Finding(number, message.format(match=match.group(1) if match.groups() else match.group(0))))
    return found
