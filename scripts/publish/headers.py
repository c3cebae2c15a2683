"""The HTTP headers a host sends with the site, from one list (the `headers` option of the project's plugin, `kb`, in mkdocs.yml).

A `<meta>` Content-Security-Policy cannot forbid framing: a page framed by another origin would have Quick exit
navigate only the frame. So a policy is also sent as a header, holding `frame-ancestors 'none'` and the
directives that need no page's hash; the full policy stays in every page's meta tag, and a browser enforces both.
Repeating the whole policy in the header would cost every page's first round trip about 400 bytes (headers count
in it) for nothing a browser does not already enforce, and its style hash would change the server's
configuration at every build. Caching follows
the file names: content-hashed files never change (cached for a year), everything else is revalidated (pages,
`sw.js`, the offline manifests), so a rebuilt site reaches readers at once.

One list, several spellings: `_headers` for Netlify and Cloudflare Pages (written by the build), nginx and Caddy
configuration (`./kb headers nginx|caddy`), and the preview server, which reads `_headers` back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

from scripts.project import CONFIG, relative

HASHED = re.compile(r"\.[0-9a-f]{10}\.\w+$")  # scripts/postbuild/optimise.py's fingerprints
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ALWAYS_REVALIDATED = ("sw.js", "offline.json")  # fixed names whose content changes with every build
# Sources a directive may list: the site itself, nothing, or the hash of an inline style; images also data:.
_ALLOWED_SOURCES = re.compile(r"^('self'|'none'|'sha256-[A-Za-z0-9+/=]+')$")
_FRAME_ANCESTORS = "'none'"

Rule = tuple[str, list[tuple[str, str]]]


class HeaderError(ValueError):
    """The configured headers would weaken the site's protection; says where and what."""


class _MetaPolicy(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.policy: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = self.policy or values.get("content")


def page_policy(html: str) -> str:
    """The Content-Security-Policy a built page carries in its `<meta>` tag ("" when none)."""
    parser = _MetaPolicy()
    parser.feed(html)
    return parser.policy or ""


def parse_policy(policy: str) -> dict[str, list[str]]:
    """"default-src 'self'; img-src 'self' data:" -> {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def format_policy(directives: Mapping[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def policy_problem(directives: Mapping[str, list[str]]) -> str | None:
    """What in a policy would let in another host, inline or evaluated script, or framing, or None."""
    for name, sources in directives.items():
        if name in ("base-uri", "form-action", "frame-ancestors", "object-src", "sandbox", "report-to"):
            continue
        for source in sources:
            if _ALLOWED_SOURCES.match(source) or (source == "data:" and name in ("img-src", "font-src")):
                continue
            return f"{name} allows {source}"
    if directives.get("frame-ancestors") != [_FRAME_ANCESTORS]:
        return f"frame-ancestors is {' '.join(directives.get('frame-ancestors') or ['missing'])}, not 'none'"
    if "script-src" not in directives and "default-src" not in directives:
        return "no script-src or default-src: scripts from anywhere"
    return None


HEADER_DIRECTIVES = ("frame-ancestors", "object-src", "base-uri", "form-action")  # no page's hash in them


def security_headers(policy: str, configured: Mapping[str, object], config_path: Path = CONFIG) -> list[tuple[str, str]]:
    """The headers every response carries: a policy with frame-ancestors 'none' and the pages' hash-free
    directives (directives written in mkdocs.yml under Content-Security-Policy replace the pages' ones and are
    sent too), then the configured headers in order. The policy a browser ends up enforcing (the pages' meta tag
    and this header) is what is checked."""
    directives = parse_policy(policy)
    directives["frame-ancestors"] = [_FRAME_ANCESTORS]
    configured = dict(configured)
    override = parse_policy(str(configured.pop("Content-Security-Policy", "") or ""))
    directives.update(override)
    sent = {name: sources for name, sources in directives.items() if name in HEADER_DIRECTIVES or name in override}
    problem = policy_problem(directives)
    if problem:
        from scripts.plugin.config import option_line
        from scripts.project import read_config

        line = option_line(read_config(config_path), "headers", path=config_path)
        raise HeaderError(f"{relative(config_path)}:{line}: the Content-Security-Policy header would "
                          f"weaken the site: {problem} (keep to 'self' and hashes; the site loads nothing from "
                          "another host and runs no inline script)")
    return [("Content-Security-Policy", format_policy(sent))] + [(str(k), str(v)) for k, v in configured.items()]


def rules(site: Path, root: str, common: list[tuple[str, str]]) -> list[Rule]:
    """Path patterns and their headers, in the order hosts apply them: everything, then the cache rules."""
    files = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    hashed = [f"{root}{name}" for name in files if HASHED.search(name)]
    revalidated = [f"{root}{name}" for name in files if Path(name).name in ALWAYS_REVALIDATED]
    return ([(f"{root}*", common)] + [(path, [("Cache-Control", IMMUTABLE)]) for path in hashed]
            + [(path, [("Cache-Control", REVALIDATE)]) for path in revalidated])


def not_found_pages(site: Path, root: str) -> list[tuple[str, str]]:
    """(path prefix, its 404 page): each edition's own, then the site's."""
    editions = sorted(p.parent.name for p in site.glob("*/404.html"))
    return [(f"{root}{lang}/", f"{root}{lang}/404.html") for lang in editions] + [(root, f"{root}404.html")]


def netlify(rule_list: list[Rule]) -> str:
    """`_headers` (Netlify, Cloudflare Pages)."""
    return "".join(f"{path}\n" + "".join(f"  {name}: {value}\n" for name, value in headers)
                   for path, headers in rule_list)


def netlify_redirects(pages: list[tuple[str, str]]) -> str:
    """`_redirects` (Netlify): each edition's own not-found page. Cloudflare Pages finds the nearest 404.html."""
    return "".join(f"{prefix}*  {page}  404\n" for prefix, page in pages if prefix != pages[-1][0])


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx(common: list[tuple[str, str]], pages: list[tuple[str, str]]) -> str:
    """A `server { ... }` block's body for nginx. nginx drops the server's add_header lines in any location that
    has its own, so every location repeats them."""
    security = "".join(f"    add_header {name} {_quote(value)} always;\n" for name, value in common)
    blocks = [f"location ~ {_quote(HASHED.pattern)} {{\n{security}    add_header Cache-Control {_quote(IMMUTABLE)} always;\n}}\n"]
    for prefix, page in pages:
        blocks.append(f"location {prefix} {{\n{security}    add_header Cache-Control {_quote(REVALIDATE)} always;\n"
                      f"    error_page 404 {page};\n}}\n")
    return "# Generated by ./kb headers nginx from mkdocs.yml (plugins: kb: headers) and the built site.\n" + "".join(blocks)


def caddy(common: list[tuple[str, str]], pages: list[tuple[str, str]]) -> str:
    """Directives for a Caddy site block. Rewrites in one block are exclusive and the most specific path wins, so
    each edition's missing pages get its own 404 page and the rest the site's."""
    *editions, (_, site_page) = pages
    lines = ["# Generated by ./kb headers caddy from mkdocs.yml (plugins: kb: headers) and the built site.",
             "header {", *(f"    {name} {_quote(value)}" for name, value in common), "}",
             f"@hashed path_regexp `{HASHED.pattern}`",  # backticks: Caddy takes the regular expression as written
             f"header @hashed Cache-Control {_quote(IMMUTABLE)}",
             f"@revalidated not path_regexp `{HASHED.pattern}`",
             f"header @revalidated Cache-Control {_quote(REVALIDATE)}",
             "file_server", "handle_errors {"]
    lines += [f"    rewrite {prefix}* {page}" for prefix, page in editions]
    lines += [f"    rewrite * {site_page}", "    file_server", "}"]
    return "\n".join(lines) + "\n"


def configured(raw_config: Mapping) -> dict:
    """The header list in mkdocs.yml (the `headers` option of the `kb` plugin)."""
    from scripts.plugin.config import raw_options

    return dict(raw_options(dict(raw_config))[1].get("headers") or {})


def for_site(site: Path, root: str, raw_config: Mapping, config_path: Path = CONFIG) -> tuple[list[Rule], list]:
    """The header rules and the not-found pages of a built site."""
    home = site / "index.html"
    policy = page_policy(home.read_text(encoding="utf-8")) if home.is_file() else ""
    common = security_headers(policy, configured(raw_config), config_path)
    return rules(site, root, common), not_found_pages(site, root)


def write(site: Path, root: str, raw_config: Mapping) -> None:
    """`_headers` and `_redirects` in the site root, for the hosts that read them."""
    rule_list, pages = for_site(site, root, raw_config)
    (site / "_headers").write_text(netlify(rule_list), encoding="utf-8")
    (site / "_redirects").write_text(netlify_redirects(pages), encoding="utf-8")


def read_netlify(text: str) -> list[Rule]:
    """`_headers` back into rules (the preview server applies exactly what a host would)."""
    found: list[Rule] = []
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            found.append((line.strip(), []))
        elif ":" in line and found:
            name, value = line.strip().split(":", 1)
            found[-1][1].append((name.strip(), value.strip()))
    return found


def matching(rule_list: list[Rule], path: str) -> list[tuple[str, str]]:
    """The headers for one request path: every rule whose pattern matches, in order (`*` matches the rest)."""
    headers: list[tuple[str, str]] = []
    for pattern, values in rule_list:
        if pattern == path or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            headers += values
    return headers
