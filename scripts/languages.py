"""The editions of the site. The list of languages lives once, in mkdocs.yml; everything else reads it here.

Names and text direction come from CLDR through Babel, never from a hand-typed table.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

from scripts.paths import CONFIG

DEFAULT = "en"


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader that reads MkDocs' `!ENV` tags as MkDocs does and ignores `!!python/name:` (plain data)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node):
    """`!ENV VAR` or `!ENV [VAR, OTHER, default]`: the first variable set (and not empty), else the default."""
    import os

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


@cache
def languages(path: Path = CONFIG) -> tuple[str, ...]:
    """The edition codes, default language first."""
    return configured_languages(read_config(path))


def locale(code: str) -> Locale:
    """Parse an edition code into a Babel locale, with a clear error for an unknown code."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as error:
        raise ValueError(
            f"unknown language code {code!r}: use a BCP 47 code that CLDR knows, e.g. 'ne' or 'pt-BR'"
        ) from error


def native_name(code: str) -> str:
    """The language's name in its own script, from CLDR (e.g. 'ne' -> 'नेपाली')."""
    parsed = locale(code)
    # The bare language name: CLDR maps some codes to a regional locale (tl -> fil_PH) whose display
    # name would carry the territory.
    name = parsed.languages.get(parsed.language) or parsed.get_display_name(parsed) or code
    return name[:1].upper() + name[1:] if name[:1].islower() else name


def direction(code: str) -> str:
    """'rtl' or 'ltr' from CLDR's character order."""
    return "rtl" if locale(code).character_order == "right-to-left" else "ltr"


LANGUAGES: tuple[str, ...]
try:
    LANGUAGES = languages()
except (OSError, ValueError):  # mkdocs.yml not written yet, or broken: callers that need it will say so
    LANGUAGES = ()


def built_editions(site: Path) -> tuple[str, ...]:
    """The editions a built site holds (a preview or a partial build holds only some): the default always."""
    return tuple(lang for lang in LANGUAGES if lang == DEFAULT or (site / lang / "index.html").is_file())
