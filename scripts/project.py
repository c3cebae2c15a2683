"""The project model: where things live in the repository, which editions the site has, and the address of each.

One home for these facts: the paths, the list of editions (mkdocs.yml, read here), the default edition and an
edition's URL prefix. Language names and text direction come from CLDR (scripts/languages.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DATA = ROOT / "data"
COUNTRIES = DATA / "countries"
SCHEMAS = DATA / "schema"
LOCALES = ROOT / "locales"
OVERRIDES = ROOT / "overrides"
SITE = ROOT / "site"
CONFIG = ROOT / "mkdocs.yml"
# Generated files that are not content (theme partials for languages the theme lacks, caches).
BUILD_CACHE = ROOT / ".cache"

# The default edition: served at the site's root, the one every other edition falls back to, and the language the
# sources are written in (pages in docs/en/, the `en:` texts of data/). mkdocs.yml marks the same edition
# `default: true`; tests/test_layout.py checks that the two agree.
DEFAULT = "en"


def relative(path: Path) -> str:
    """Return `path` relative to the repository root when it is inside it, for messages."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def edition_prefix(lang: str) -> str:
    """An edition's folder in the built site and in its URLs: "" for the default edition, "ar/" for Arabic."""
    return "" if lang == DEFAULT else f"{lang}/"


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader that reads MkDocs' `!ENV` tags as MkDocs does and ignores `!!python/name:` (plain data)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node):
    """`!ENV VAR` or `!ENV [VAR, OTHER, default]`: the first variable set (and not empty), else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1], items[-1] if items else None
    for name in names:
        if os.environ.get(str(name)):
            return yaml.load(os.environ[str(name)], Loader=yaml.SafeLoader)
    return default


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("!", _ignore_tag)


def read_config(path: Path = CONFIG) -> dict:
    """Read mkdocs.yml as plain data."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_ConfigLoader) or {}


def config_line(*keys: str | int, path: Path = CONFIG) -> int:
    """The line of a setting in mkdocs.yml, for messages: `config_line("extra", "kb", "headers")`. Where the
    setting is missing, the line of the nearest block that would hold it (1 at worst: the place to add it)."""
    with open(path, encoding="utf-8") as handle:
        node = yaml.compose(handle, Loader=_ConfigLoader)  # nodes keep their lines; tags need no constructor
    line = 1
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == key), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def configured_languages(config: dict) -> tuple[str, ...]:
    """Return the locale codes of the i18n plugin's `languages`, default first, in configured order."""
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = plugin["i18n"].get("languages", [])
            codes = [entry["locale"] for entry in entries]
            default = [entry["locale"] for entry in entries if entry.get("default")]
            return tuple(default + [code for code in codes if code not in default])
    raise ValueError("mkdocs.yml: no `i18n` plugin with `languages` found")


def languages(path: Path = CONFIG) -> tuple[str, ...]:
    """The edition codes, default language first (read from mkdocs.yml at every call: a few milliseconds, and
    never stale in a long-running preview)."""
    return configured_languages(read_config(path))


def built_editions(site: Path) -> tuple[str, ...]:
    """The editions a built site holds (a preview or a partial build holds only some): the default always."""
    return tuple(lang for lang in languages() if lang == DEFAULT or (site / lang / "index.html").is_file())
