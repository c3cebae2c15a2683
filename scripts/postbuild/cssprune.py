"""Drop the CSS rules no page of the site can use, and pick the small part needed for the first paint.

The theme ships one stylesheet for every feature it has; this site uses a fraction of them. A selector is
kept when every class, id, element and attribute it names occurs somewhere in the built HTML (the PurgeCSS
approach: a token test, not a full match, so it errs on the side of keeping a rule).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

import tinycss2

_CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')
_ID_ATTR = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_ATTR = re.compile(r"\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?==)")
_DATA_VALUE = re.compile(r'\s(data-[-a-z0-9]+)="([^"]*)"')
_SEL_DATA_VALUE = re.compile(r"\[\s*(data-[-a-z0-9]+)\s*=\s*['\"]?([^'\"\]]*)['\"]?\s*\]")
_VAR_USE = re.compile(r"var\(\s*(--[-_a-zA-Z0-9]+)")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any|nth-[a-z-]+|lang|dir)\((?:[^()]|\([^()]*\))*\)")
_PSEUDO_ELEMENT = re.compile(r"::?[a-zA-Z-]+")
_SEL_CLASS = re.compile(r"\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)")
_SEL_ID = re.compile(r"#(-?[_a-zA-Z][-_a-zA-Z0-9]*)")
_SEL_ATTR = re.compile(r"\[\s*([-_a-zA-Z0-9:]+)")
_SEL_TAG = re.compile(r"(?:^|[\s>+~(])([a-zA-Z][a-zA-Z0-9-]*)")


class Tokens(NamedTuple):
    """What occurs in the site's HTML (`values` holds `name=value` pairs of data-* attributes)."""

    tags: set[str]
    classes: set[str]
    ids: set[str]
    attrs: set[str]
    values: set[str]


def tokens(html_texts: Iterable[str], extra_classes: Iterable[str] = ()) -> Tokens:
    """Collect every element name, class, id and attribute name used in the pages."""
    found = Tokens(set(), set(extra_classes), set(), set(), set())
    for html in html_texts:
        found.tags.update(tag.lower() for tag in _TAG.findall(html))
        for value in _CLASS_ATTR.findall(html):
            found.classes.update(value.split())
        found.ids.update(_ID_ATTR.findall(html))
        found.attrs.update(attr.lower() for attr in _ATTR.findall(html))
        found.values.update(f"{name}={value}" for name, value in _DATA_VALUE.findall(html))
    return found


def selector_used(selector: str, used: Tokens) -> bool:
    """True when everything `selector` requires occurs somewhere in the site."""
    plain = _FUNCTIONAL.sub("", selector)
    # Theme switches such as [data-md-color-primary=indigo] come in dozens of values; keep only the ones in use.
    if any(f"{name}={value}" not in used.values for name, value in _SEL_DATA_VALUE.findall(plain)):
        return False
    plain = re.sub(r"\[[^\]]*\]", lambda m: "[" + (_SEL_ATTR.match(m.group(0)) or [None, ""])[1] + "]", plain)
    if any(name not in used.classes for name in _SEL_CLASS.findall(plain)):
        return False
    if any(name not in used.ids for name in _SEL_ID.findall(plain)):
        return False
    if any(name.lower() not in used.attrs for name in _SEL_ATTR.findall(plain)):
        return False
    bare = _PSEUDO_ELEMENT.sub("", _SEL_ATTR.sub("", re.sub(r"[.#][-_a-zA-Z0-9]+", "", plain)))
    return all(tag.lower() in used.tags or tag.lower() in ("html", "body") for tag in _SEL_TAG.findall(" " + bare))


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in prelude:
        depth += (char in "([" and 1) or (char in ")]" and -1) or 0
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def _rules(nodes, used: Tokens, keep_rule) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = [s for s in _split_selectors(tinycss2.serialize(node.prelude)) if selector_used(s, used)]
            if selectors and keep_rule(selectors):
                out.append(",".join(selectors) + "{" + tinycss2.serialize(node.content).strip() + "}")
        elif node.type == "at-rule":
            keyword = node.lower_at_keyword
            prelude = tinycss2.serialize(node.prelude).strip()
            if keyword in ("media", "supports", "layer", "container") and node.content is not None:
                inner = _rules(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True), used, keep_rule)
                if inner and keep_rule([f"@{keyword} {prelude}"]):
                    out.append(f"@{keyword} {prelude}{{{''.join(inner)}}}")
            elif keyword in ("keyframes", "-webkit-keyframes", "property", "page", "counter-style") and keep_rule(
                [f"@{keyword} {prelude}"]
            ):  # @font-face is dropped: the site uses system fonts only
                out.append(tinycss2.serialize([node]).strip())
    return out


def prune(css: str, used: Tokens, keep_rule=lambda selectors: True) -> str:
    """The CSS with every rule no page can match removed (and any rule `keep_rule` refuses)."""
    sheet = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return drop_unused_properties("".join(_rules(sheet, used, keep_rule)))


def _declarations_without(block: str, unused: set[str]) -> str:
    kept = []
    for item in tinycss2.parse_blocks_contents(block, skip_whitespace=True, skip_comments=True):
        if item.type == "declaration":
            if item.name in unused:
                continue
            important = "!important" if item.important else ""
            kept.append(f"{item.name}:{tinycss2.serialize(item.value).strip()}{important}")
        elif item.type in ("qualified-rule", "at-rule"):
            kept.append(tinycss2.serialize([item]))
    return ";".join(kept)


def drop_unused_properties(css: str) -> str:
    """Remove custom properties (`--x: ...`) that no `var(--x)` refers to, until nothing changes."""
    while True:
        defined = set(re.findall(r"(?<![-\w])(--[-_a-zA-Z0-9]+)\s*:", css))
        unused = defined - set(_VAR_USE.findall(css))
        if not unused:
            return css
        pattern = re.compile(r"([^{}]*)\{([^{}]*)\}")
        def without_unused(m: re.Match, unused: set[str] = unused) -> str:
            if not any(name in m.group(2) for name in unused):
                return m.group(0)
            return m.group(1) + "{" + _declarations_without(m.group(2), unused) + "}"

        css = pattern.sub(without_unused, css)
        css = re.sub(r"[^{}]+\{\}", "", css)


# Parts of the page never seen before the reader scrolls or acts: left out of the inline first-paint CSS.
# Whatever sits in the header or the top of the content (the language list `md-select`, the table of contents
# `md-sidebar--secondary`, the language bar's `details`/`summary`, the "In short" summary box, the search form) stays
# in, and so does the footer (short pages show it; unstyled, it is wider than a phone and the page zooms): without
# its rules it takes room at first paint and everything under it moves when the full stylesheet arrives.
BELOW_THE_FOLD = re.compile(
    r"md-dialog|md-search|md-source|md-tabs|md-top|md-clipboard|md-annotation|md-tooltip|"
    r"md-banner|md-version|md-consent|md-nav__link--active|task-list|table|"
    # Listen is hidden until the script has found a voice on the phone: never part of the first paint.
    r"kb-listen|kb-page-foot|kb-offline|md-progress|md-feedback|@keyframes|@media print|md-typeset pre|code|kbd|"
    r"\.highlight|admonition-title::before|hover|focus|:target|"
    # Wider screens than a phone's: their layout comes with the full stylesheet a moment later.
    r"@media[^{]*\(min-width:"
)


def critical(css: str) -> str:
    """The subset of (already pruned) CSS worth inlining for the first paint, its declarations without spaces."""
    used_all = Tokens(_AnySet(), _AnySet(), _AnySet(), _AnySet(), _AnySet())
    kept = prune(css, used_all, keep_rule=lambda selectors: not any(BELOW_THE_FOLD.search(s) for s in selectors))
    return _DECLARATIONS.sub(_tight, kept)


# The innermost `{...}`: a rule's declarations. Inlined CSS rides in every page's first round trip, where the
# project's own stylesheet's readable spacing costs about 160 bytes (gzip); selectors are left as they are, since a
# space there can mean something (`.a :is(b)`).
_DECLARATIONS = re.compile(r"\{([^{}]*)\}")


def _tight(match: re.Match) -> str:
    inner = match.group(1)
    if '"' in inner or "'" in inner:  # a string value may hold ": " that must stay
        return match.group(0)
    inner = re.sub(r"\s*([:;,])\s*", r"\1", re.sub(r"\s+", " ", inner).strip())
    return "{" + inner.rstrip(";") + "}"


class _AnySet(set):
    """A set that contains everything (used to re-filter CSS that is already pruned)."""

    def __contains__(self, item: object) -> bool:
        return True


def without_direction(css: str, way: str) -> str:
    """`css` without the selectors that apply only inside `[dir=<way>]` (a rule whose selectors all do goes)."""
    marker = f"[dir={way}]"

    def rule(match: re.Match) -> str:
        selectors = [s for s in match.group(1).split(",") if marker not in s]
        return ",".join(selectors) + "{" + match.group(2) + "}" if selectors else ""

    # Innermost rules only: a selector list, then declarations without braces; at-rules' own braces stay.
    return re.sub(r"([^{}@;]+)\{([^{}]*)\}", rule, css)
