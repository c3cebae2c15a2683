"""Contributed Markdown is untrusted: refuse scripts, frames, event handlers and anything from another host; and
an id used twice in a page (only the first is reached by a link).

A pull request in any language could add a script or a tracking pixel; the build stops and names the file and
line instead. The check is made on what the reader's browser would get, not on the source's lines: the page is
rendered with the site's own Markdown extensions and the resulting HTML is walked against an allow-list of
elements, attributes and URL schemes. Line-by-line patterns were bypassed by `<svg/onload=…>`, reference links,
`java&Tab;script:`, tags split over two lines and attributes nobody thought of (issue 21); an allow-list refuses
what it does not know. Each finding is mapped back to its source line by rendering ever longer beginnings of the
page: the first line whose addition produces the construct is where it comes from. Our own generated HTML is
added after this check and is not affected.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from typing import NamedTuple

import markdown
from mkdocs.config.defaults import MkDocsConfig

from scripts.project import CONFIG, read_config

# What rendered Markdown needs (headings, lists, tables, admonitions, task lists, figures) and nothing that runs,
# submits, frames or embeds. Element -> the attributes it may carry besides GLOBAL ones.
ELEMENTS: dict[str, frozenset[str]] = {
    tag: frozenset(attributes.split())
    for tag, attributes in {
        "a": "href hreflang rel", "abbr": "", "article": "", "aside": "", "b": "", "bdi": "", "bdo": "",
        "blockquote": "cite", "br": "", "caption": "", "cite": "", "code": "", "col": "span", "colgroup": "span",
        "dd": "", "del": "cite datetime", "details": "open", "dfn": "", "div": "", "dl": "", "dt": "", "em": "",
        "figcaption": "", "figure": "", "h1": "", "h2": "", "h3": "", "h4": "", "h5": "", "h6": "", "hr": "",
        "i": "", "img": "src alt width height loading decoding", "ins": "cite datetime", "kbd": "", "label": "",
        "li": "value", "mark": "", "ol": "start reversed type", "p": "", "pre": "", "q": "cite", "s": "",
        "samp": "", "section": "", "small": "", "span": "", "strong": "", "sub": "", "summary": "", "sup": "",
        "table": "", "tbody": "", "td": "colspan rowspan", "tfoot": "", "th": "colspan rowspan scope",
        "thead": "", "time": "datetime", "tr": "", "u": "", "ul": "", "var": "", "wbr": "",
        "audio": "src controls preload loop muted", "video": "src controls preload loop muted poster width height",
        "source": "src type media", "track": "src kind srclang label default", "picture": "",
        # pymdownx.tasklist's check boxes (type is checked below: a checkbox only, never a button or an image)
        "input": "type disabled checked",
        # Charts drawn inline (the staff performance page): shapes and text only; no href, <image>, <use>,
        # <foreignObject> or animation, which could load or run something.
        "svg": "xmlns viewbox width height preserveaspectratio", "g": "transform", "title": "", "desc": "",
        "rect": "x y width height rx ry fill stroke stroke-width opacity",
        "line": "x1 y1 x2 y2 stroke stroke-width stroke-dasharray opacity",
        "circle": "cx cy r fill stroke stroke-width opacity", "path": "d fill stroke stroke-width opacity",
        "polyline": "points fill stroke stroke-width", "polygon": "points fill stroke stroke-width",
        "text": "x y dx dy font-size font-weight text-anchor dominant-baseline fill",
        "tspan": "x y dx dy font-size font-weight fill",
    }.items()
}
GLOBAL = frozenset(["id", "class", "title", "lang", "dir", "role", "translate", "hidden", "style"])
URL_ATTRIBUTES = frozenset(["href", "src", "cite", "poster"])
SCHEMES = ("http", "https", "mailto", "tel", "sms")
MEDIA = frozenset(["img", "audio", "video", "source", "track", "picture"])
# The only inline style rendered Markdown produces: table column alignment.
_STYLE = re.compile(r"\s*text-align:\s*(?:left|right|center)\s*;?\s*", re.IGNORECASE)
_SCHEME = re.compile(r"([^/?#]*?):")
_STRIPPED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL: java&Tab;script: is javascript:
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # and these at either end

NOT_ALLOWED = ("<{tag}> is not allowed in content (scripts, styles, frames, forms and embedded objects are removed "
               "from contributions); delete it")
HANDLER = "inline event handler attributes (on...=) are not allowed: delete {attribute}= from <{tag}>"
ATTRIBUTE = "{attribute}= is not allowed on <{tag}> (it could send or run something the reader did not ask for); delete it"
SCHEME = ("{scheme}: URLs are not allowed ({attribute}= of <{tag}>): javascript:, vbscript: and data: URLs run or hide "
          "code; link to a page or an https address instead")
REMOTE = ("images and media must not load from another host (it would tell that host who reads this page); add the "
          "file under docs/ and link to it")
STYLE = "style=\"{value}\" is not allowed on <{tag}>: styles must not load from another host or restyle the page; delete it"
REMOTE_VALUE = "{attribute}= of <{tag}> must not load anything (url(...)); delete it"
CHECKBOX = "<input type=\"{value}\"> is not allowed: only task-list check boxes are (`- [ ] item`); delete it"
MARKUP = "{what} is not allowed in content (browsers and checkers can read it differently); delete it"
DUPLICATE_ID = ("id \"{value}\" is already used earlier in this page (a link to #{value} reaches only the first); give "
                "this one another id")


class Finding(NamedTuple):
    """One forbidden construct: where it is and what to do."""

    line: int
    message: str


def extensions(config: dict | None = None) -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions MkDocs renders pages with: its built-in ones plus mkdocs.yml's `markdown_extensions`,
    with their settings, so the check sees what the site publishes."""
    config = read_config(CONFIG) if config is None else config
    names, settings = list(MkDocsConfig.markdown_extensions.builtins), {}
    for entry in config.get("markdown_extensions") or []:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name not in names:
            names.append(name)
        if isinstance(options, dict):
            settings[name] = options
    return names, settings


def findings(text: str, config: dict | None = None) -> list[Finding]:
    """Every forbidden construct in a Markdown page (front matter included, as read from the file), with the
    1-based line of the source it comes from."""
    names, settings = extensions(config)
    renderer = markdown.Markdown(extensions=names, extension_configs=settings)
    lines = _without_front_matter(text).splitlines()
    whole = _offences(_render(renderer, lines))
    found, seen = [], Counter()
    for key, message in whole:
        seen[key] += 1
        found.append(Finding(_first_line(renderer, lines, key, seen[key]), message))
    return sorted(set(found))


def _without_front_matter(text: str) -> str:
    """The page with its front matter lines left empty, so line numbers stay those of the file."""
    lines = text.removeprefix("\ufeff").splitlines()
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n" * (index + 1) + "\n".join(lines[index + 1:])
    return "\n".join(lines)


def _render(renderer: markdown.Markdown, lines: list[str]) -> str:
    renderer.reset()
    return renderer.convert("\n".join(lines))


def _first_line(renderer: markdown.Markdown, lines: list[str], key: tuple, occurrence: int) -> int:
    """The first line by which the page's beginning renders `key` `occurrence` times (bisection)."""
    low, high = 1, max(len(lines), 1)
    while low < high:
        middle = (low + high) // 2
        count = sum(1 for k, _ in _offences(_render(renderer, lines[:middle])) if k == key)
        if count >= occurrence:
            high = middle
        else:
            low = middle + 1
    return low


def _offences(html: str) -> list[tuple[tuple, str]]:
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return walker.offences


class _Walker(HTMLParser):
    """Collects (key, message) for everything in rendered HTML that is not on the allow-list; the key is what the
    construct is (element, attribute, value), to find it again in a shorter rendering."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.offences: list[tuple[tuple, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ELEMENTS:
            self.offences.append((("element", tag), NOT_ALLOWED.format(tag=tag)))
            return
        for attribute, value in attrs:
            if message := _attribute_problem(tag, attribute, value or ""):
                self.offences.append((("attribute", tag, attribute, value), message))
            elif attribute == "id" and value in self.ids:
                self.offences.append((("duplicate id", value), DUPLICATE_ID.format(value=value)))
            elif attribute == "id":
                self.ids.add(value or "")

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        # `<!-->` ends a comment in a browser but not here: a comment holding markup could hide a live tag.
        if "<" in data or ">" in data or data.startswith("-"):
            self.offences.append((("comment", data), MARKUP.format(what="an HTML comment holding markup")))

    def handle_decl(self, decl: str) -> None:
        self.offences.append((("declaration", decl), MARKUP.format(what=f"<!{decl}>")))

    def unknown_decl(self, data: str) -> None:
        self.offences.append((("declaration", data), MARKUP.format(what=f"<![{data}]>")))

    def handle_pi(self, data: str) -> None:
        self.offences.append((("pi", data), MARKUP.format(what=f"<?{data}>")))


def _attribute_problem(tag: str, attribute: str, value: str) -> str | None:
    if attribute.startswith("on"):
        return HANDLER.format(attribute=attribute, tag=tag)
    allowed = attribute in ELEMENTS[tag] or attribute in GLOBAL or attribute.startswith("aria-")
    if not allowed:
        return ATTRIBUTE.format(attribute=attribute, tag=tag)
    if attribute == "style" and not _STYLE.fullmatch(value):
        return STYLE.format(value=value, tag=tag)
    if tag == "input" and attribute == "type" and value.lower() != "checkbox":
        return CHECKBOX.format(value=value)
    if attribute in URL_ATTRIBUTES:
        url = _STRIPPED.sub("", value).strip(_C0_AND_SPACE)
        scheme = _SCHEME.match(url)
        if scheme and scheme.group(1).lower() not in SCHEMES:
            return SCHEME.format(scheme=scheme.group(1).lower(), attribute=attribute, tag=tag)
        if tag in MEDIA and (scheme or url.startswith("//")):
            return REMOTE
    elif "url(" in value.lower().replace(" ", ""):
        return REMOTE_VALUE.format(attribute=attribute, tag=tag)
    return None
